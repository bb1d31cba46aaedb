public import Foundation

/// A fresh directory under the system's temporary directory, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    // Immutable after init; only the file system is touched, which is thread-safe.
    public let url: URL

    public init(_ label: String = "ledger") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("accountability-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory (not created).
    public func child(_ name: String) -> URL { url.appendingPathComponent(name, isDirectory: true) }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
