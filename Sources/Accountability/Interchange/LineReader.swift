public import Foundation

/// Reads a file (or standard input) line by line without holding more than one line and one
/// chunk in memory, and refuses a line longer than a limit before reading the rest of it.
///
/// Lines end with `\n`; a `\r` before it is dropped; the last line needs no line break.
public struct LineReader {
    /// The longest line accepted, in bytes (without the line break).
    public let maximumLineLength: Int
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// The number of the line ``next()`` returned last (1-based).
    public private(set) var lineNumber = 0
    /// The bytes read so far, for progress.
    public private(set) var bytesRead = 0
    private let chunkSize = 1 << 20

    /// Reads from `handle`.
    public init(_ handle: FileHandle, maximumLineLength: Int = 1 << 20) {
        self.handle = handle
        self.maximumLineLength = max(1, maximumLineLength)
    }

    /// Calls `body` with the next line's bytes, or returns `false` at the end of the input.
    ///
    /// - Throws: ``InterchangeError`` (field `line`) for a line over the limit; the error of the
    ///   read for an unreadable file.
    public mutating func next(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        var scanFrom = start
        while true {
            if let newline = buffer[scanFrom...].firstIndex(of: 10) {
                var end = newline
                if end > start, buffer[end - 1] == 13 { end -= 1 }
                try check(length: end - start)
                lineNumber += 1
                let lineStart = start
                start = newline + 1
                try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lineStart..<end])) }
                return true
            }
            // A trailing CR may be the first half of a CRLF line break: it does not count.
            let pending = buffer.count - start
            try check(length: pending > 0 && buffer[buffer.count - 1] == 13 ? pending - 1 : pending)
            if atEnd {
                guard start < buffer.count else { return false }
                lineNumber += 1
                let lineStart = start
                var end = buffer.count
                if buffer[end - 1] == 13 { end -= 1 }
                start = buffer.count
                try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lineStart..<end])) }
                return true
            }
            // Keep the unfinished line, read more.
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            scanFrom = buffer.count
            guard let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty else {
                atEnd = true
                continue
            }
            bytesRead += chunk.count
            buffer.append(contentsOf: chunk)
        }
    }

    private func check(length: Int) throws(InterchangeError) {
        guard length <= maximumLineLength else {
            throw InterchangeError(line: lineNumber + 1, field: "line",
                                   "is longer than \(maximumLineLength) bytes (the longest line accepted); nothing was read past it")
        }
    }
}
