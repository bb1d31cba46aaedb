import Accountability
import ArgumentParser
import Foundation

/// An input file argument (`-` for standard input) and its format, as `import` and
/// `verify-export` take them.
struct InputFile {
    let path: String
    let handle: FileHandle
    let size: UInt64
    let format: ExportFormat

    /// The name errors give the input.
    var name: String { path == "-" ? "standard input" : path }

    /// Opens `path`; the format is `option`, or CSV for a `.csv` name and NDJSON otherwise.
    init(_ path: String, format option: ExportFormatOption?) throws {
        self.path = path
        if path == "-" {
            handle = .standardInput
            size = 0
        } else {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ToolError("'\(path)' does not exist or cannot be read; nothing was written")
            }
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        }
        format = option?.format ?? (path.lowercased().hasSuffix(".csv") ? .csv : .ndjson)
    }

    func close() {
        if path != "-" { try? handle.close() }
    }
}
