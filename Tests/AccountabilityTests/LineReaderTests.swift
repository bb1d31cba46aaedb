import Accountability
import Foundation
import LedgerTestSupport
import Testing

/// ``LineReader`` over real files: line endings, empty lines, lines across the 1 MiB read chunk,
/// the length limit (with the 1-based line number it names) and the counters.
@Suite("LineReader")
struct LineReaderTests {
    /// The size of the reader's read chunk (1 MiB): lines are placed around it.
    static let chunk = 1 << 20

    /// What reading a whole file gave: the lines, the reader after the last call, and the error
    /// that stopped it, if any.
    struct Outcome {
        var lines: [[UInt8]] = []
        var reader: LineReader
        var error: (any Error)?
        /// `reader.lineNumber` and `reader.bytesRead` after each line.
        var counters: [(line: Int, bytes: Int)] = []

        var interchangeError: InterchangeError? { error as? InterchangeError }
        var texts: [String] { lines.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Writes `bytes` to a file in a fresh temporary directory and reads it to the end through a
    /// `FileHandle`.
    static func read(_ bytes: [UInt8], maximumLineLength: Int? = nil) throws -> Outcome {
        let directory = try TemporaryDirectory("line-reader")
        let url = directory.url.appendingPathComponent("input.ndjson")
        try Data(bytes).write(to: url)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let reader = maximumLineLength.map { LineReader(handle, maximumLineLength: $0) } ?? LineReader(handle)
        var outcome = Outcome(reader: reader)
        do {
            while try outcome.reader.next({ outcome.lines.append(Array($0)) }) {
                outcome.counters.append((outcome.reader.lineNumber, outcome.reader.bytesRead))
            }
        } catch {
            outcome.error = error
        }
        return outcome
    }

    static func read(_ text: String, maximumLineLength: Int? = nil) throws -> Outcome {
        try read(Array(text.utf8), maximumLineLength: maximumLineLength)
    }

    /// `count` bytes of a pattern that starts with `tag`, so lines are told apart.
    static func line(_ count: Int, tag: UInt8 = UInt8(ascii: "a")) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = Array(String(repeating: "0123456789", count: count / 10 + 1).utf8.prefix(count))
        bytes[0] = tag
        return bytes
    }

    // MARK: - Line endings

    @Test("lines end with LF; empty lines are lines; the counters end at the line count and the file size")
    func lineFeeds() throws {
        let outcome = try Self.read("one\ntwo\n\n{\"x\":1}\n")
        #expect(outcome.error == nil)
        #expect(outcome.texts == ["one", "two", "", "{\"x\":1}"])
        #expect(outcome.reader.lineNumber == 4)
        #expect(outcome.reader.bytesRead == 17)
        #expect(outcome.counters.map(\.line) == [1, 2, 3, 4])
    }

    @Test("CRLF endings lose their CR; a CR elsewhere is kept")
    func crlf() throws {
        let outcome = try Self.read("one\r\ntwo\r\n\r\nin\rside\r\nlast\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.texts == ["one", "two", "", "in\rside", "last"])
        #expect(outcome.reader.lineNumber == 5)
    }

    @Test("the last line needs no line break, with LF or CRLF before it")
    func lastLineWithoutBreak() throws {
        for (text, expected) in [("a\nb", ["a", "b"]), ("a\r\nb", ["a", "b"]), ("only", ["only"]), ("a\n\nb", ["a", "", "b"])] {
            let outcome = try Self.read(text)
            #expect(outcome.error == nil)
            #expect(outcome.texts == expected, "\(text.debugDescription)")
            #expect(outcome.reader.lineNumber == expected.count)
            #expect(outcome.reader.bytesRead == text.utf8.count)
        }
    }

    @Test("an empty file has no lines; a lone line break is one empty line")
    func emptyInput() throws {
        let empty = try Self.read("")
        #expect(empty.error == nil)
        #expect(empty.lines.isEmpty)
        #expect(empty.reader.lineNumber == 0)
        #expect(empty.reader.bytesRead == 0)
        for text in ["\n", "\r\n"] {
            let one = try Self.read(text)
            #expect(one.texts == [""], "\(text.debugDescription)")
            #expect(one.reader.lineNumber == 1)
        }
        #expect(try Self.read("\n\n\n").texts == ["", "", ""])
    }

    @Test("multi-byte UTF-8 is passed through byte for byte")
    func bytesUnchanged() throws {
        let text = "é日本🎉👨‍👩‍👧\u{0}\t\n second"
        let outcome = try Self.read(text)
        #expect(outcome.lines == [Array("é日本🎉👨‍👩‍👧\u{0}\t".utf8), Array(" second".utf8)])
    }

    // MARK: - The read chunk

    @Test("lines of about 700 KB across the 1 MiB chunk boundary come back whole", arguments: ["LF", "CRLF"])
    func linesAcrossChunks(_ ending: String) throws {
        let lineBreak = ending == "LF" ? "\n" : "\r\n"
        let lengths = [700_000, 700_001, 699_999, 5, 700_000]
        var file: [UInt8] = []
        var expected: [[UInt8]] = []
        for (index, length) in lengths.enumerated() {
            let line = Self.line(length, tag: UInt8(ascii: "A") + UInt8(index))
            expected.append(line)
            file += line + Array(lineBreak.utf8)
        }
        #expect(file.count > 2 * Self.chunk, "the file spans several chunks")
        let outcome = try Self.read(file)
        #expect(outcome.error == nil)
        #expect(outcome.lines.map(\.count) == lengths)
        #expect(outcome.lines == expected)
        #expect(outcome.reader.lineNumber == lengths.count)
        #expect(outcome.reader.bytesRead == file.count)
        // Progress: bytesRead never decreases, never runs ahead of the file, and covers each line read.
        var covered = 0
        for (index, counter) in outcome.counters.enumerated() {
            covered += lengths[index] + lineBreak.utf8.count
            #expect(counter.line == index + 1)
            #expect(counter.bytes >= covered - lineBreak.utf8.count, "line \(index + 1)")
            #expect(counter.bytes <= file.count)
        }
        #expect(outcome.counters.map(\.bytes) == outcome.counters.map(\.bytes).sorted())
    }

    @Test("a CRLF split across the chunk boundary (CR last in one chunk, LF first in the next) still ends the line")
    func crlfSplitAcrossChunks() throws {
        // Line 1 is 700,000 bytes + CRLF; line 2 ends so that its CR is the chunk's last byte.
        let first = Self.line(700_000, tag: UInt8(ascii: "A"))
        let second = Self.line(Self.chunk - 1 - (first.count + 2), tag: UInt8(ascii: "B"))
        let third = Self.line(700_000, tag: UInt8(ascii: "C"))
        let file = first + [13, 10] + second + [13, 10] + third + [13, 10]
        #expect(file[Self.chunk - 1] == 13 && file[Self.chunk] == 10)
        let outcome = try Self.read(file)
        #expect(outcome.error == nil)
        #expect(outcome.lines == [first, second, third])
    }

    // MARK: - The length limit

    /// Where the long line is in the file.
    enum Place: String, CaseIterable, Sendable {
        case first, middle, lastWithBreak, lastWithoutBreak
    }

    /// A file with a line of `length` at `place` among short ones, and that line's 1-based number.
    static func file(withLineOf length: Int, at place: Place, lineBreak: String = "\n") -> (bytes: [UInt8], number: Int, lines: [[UInt8]]) {
        let long = line(length, tag: UInt8(ascii: "L"))
        let short: [[UInt8]] = [Array("{\"a\":1}".utf8), Array("{\"b\":2}".utf8)]
        let lines: [[UInt8]]
        let number: Int
        switch place {
        case .first: (lines, number) = ([long] + short, 1)
        case .middle: (lines, number) = ([short[0], long, short[1]], 2)
        case .lastWithBreak, .lastWithoutBreak: (lines, number) = (short + [long], 3)
        }
        var bytes = lines.map { $0 + Array(lineBreak.utf8) }.joined().map { $0 }
        if place == .lastWithoutBreak { bytes.removeLast(lineBreak.utf8.count) }
        return (bytes, number, lines)
    }

    @Test("a line of exactly maximumLineLength bytes is accepted wherever it is, with LF or CRLF",
          arguments: [16, 1 << 20], Place.allCases)
    func lineAtLimitAccepted(_ limit: Int, _ place: Place) throws {
        for lineBreak in ["\n", "\r\n"] {
            let (bytes, _, lines) = Self.file(withLineOf: limit, at: place, lineBreak: lineBreak)
            let outcome = try Self.read(bytes, maximumLineLength: limit)
            #expect(outcome.error == nil, "\(lineBreak.debugDescription)")
            #expect(outcome.lines == lines, "\(lineBreak.debugDescription)")
            #expect(outcome.reader.lineNumber == 3)
        }
    }

    @Test("a line one byte over maximumLineLength is rejected with field \"line\" and its 1-based line number",
          arguments: [16, 1 << 20], Place.allCases)
    func lineOverLimitRejected(_ limit: Int, _ place: Place) throws {
        let (bytes, number, lines) = Self.file(withLineOf: limit + 1, at: place)
        let outcome = try Self.read(bytes, maximumLineLength: limit)
        let error = try #require(outcome.interchangeError, "\(String(describing: outcome.error))")
        #expect(error.field == "line")
        #expect(error.line == number)
        #expect(error.reason.contains("longer than \(limit) bytes"), "\(error)")
        // The lines before it were read; none after it.
        #expect(outcome.lines == Array(lines.prefix(number - 1)))
        #expect(outcome.reader.lineNumber == number - 1)
    }

    @Test("the default limit is 1 MiB")
    func defaultLimit() throws {
        let handle = FileHandle.nullDevice
        #expect(LineReader(handle).maximumLineLength == 1 << 20)
        let accepted = try Self.read(Self.line(1 << 20) + [10] + Self.line((1 << 20) + 1))
        #expect(accepted.lines.map(\.count) == [1 << 20])
        #expect(accepted.interchangeError?.line == 2)
    }

    @Test("a line over the limit is refused before the rest of it is read")
    func overLongLineNotReadToTheEnd() throws {
        let file = Self.line(6 * Self.chunk)
        let outcome = try Self.read(file, maximumLineLength: 1000)
        #expect(outcome.interchangeError?.line == 1)
        #expect(outcome.reader.bytesRead <= 2 * Self.chunk, "read \(outcome.reader.bytesRead) of \(file.count) bytes")
    }

    @Test("a CR at a chunk boundary or at the end of the file does not count against the limit")
    func carriageReturnNotCounted() throws {
        // Line 2 is exactly at the limit and ends with CRLF, its CR the last byte of the first chunk.
        let limit = Self.chunk - 1 - 4
        let split = Array("ab\r\n".utf8) + Self.line(limit) + Array("\r\nend\r\n".utf8)
        #expect(split[Self.chunk - 1] == 13)
        // The same line with LF only is accepted: the limit is about the line, not its line break.
        let lf = Array("ab\n".utf8) + Self.line(limit) + Array("\nend\n".utf8)
        #expect(try Self.read(lf, maximumLineLength: limit).lines.map(\.count) == [2, limit, 3])
        // The reader drops a CR that ends the file; the line without it is at the limit.
        let atEnd = Array("abc\r".utf8)
        #expect(try Self.read(atEnd, maximumLineLength: 4).texts == ["abc"])

        let outcome = try Self.read(split, maximumLineLength: limit)
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        #expect(outcome.lines.map(\.count) == [2, limit, 3])
        let end = try Self.read(atEnd, maximumLineLength: 3)
        #expect(end.error == nil, "\(String(describing: end.error))")
        #expect(end.texts == ["abc"])
    }

    @Test("maximumLineLength is at least 1")
    func limitAtLeastOne() throws {
        #expect(LineReader(FileHandle.nullDevice, maximumLineLength: 0).maximumLineLength == 1)
        let outcome = try Self.read("a\n\nbc\n", maximumLineLength: 0)
        #expect(outcome.texts == ["a", ""])
        #expect(outcome.interchangeError?.line == 3)
    }
}
