import EventLedger
import Foundation

/// Runs a ``LinePreparer`` on a thread of its own, a bounded number of lines ahead of the
/// writer: reading, parsing and proving export lines (most of an import's work) overlaps the
/// rules and the writes on the caller's thread. Lines come out in file order, a failure at the
/// place of its line, and at most ``batchesAhead`` batches of ``batchSize`` lines are held.
final class LinePipeline: @unchecked Sendable {
    /// Lines handed over at once (one lock round trip per batch, not per line).
    static let batchSize = 256
    /// Batches read ahead at most: with export lines of about a kilobyte, a few megabytes.
    static let batchesAhead = 8

    private enum Item {
        case line(PreparedLine)
        case failure(any Error)
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var batches: [[Item]] = []
    private var producerDone = false
    private var cancelled = false
    private var producerExited = false

    // The consumer's own (the caller's thread only).
    private var current: [Item] = []
    private var index = 0
    private var finalLineNumber = 0

    /// Starts reading `source` on a new thread.
    init(_ source: InterchangeSource) {
        let preparer = PreparerBox(LinePreparer(source))
        let thread = Thread { [self] in self.produce(preparer) }
        thread.name = "ledger import reader"
        thread.start()
    }

    /// The next line, in file order, or `nil` after the last one.
    ///
    /// - Throws: the error of the first line that failed the file-only checks, when its turn comes.
    func next() throws -> PreparedLine? {
        while index >= current.count {
            condition.lock()
            while batches.isEmpty && !producerDone { condition.wait() }
            guard !batches.isEmpty else {
                condition.unlock()
                return nil
            }
            current = batches.removeFirst()
            index = 0
            condition.broadcast()
            condition.unlock()
        }
        let item = current[index]
        index += 1
        switch item {
        case .line(let line): return line
        case .failure(let error): throw error
        }
    }

    /// The number of the last line of the file (blank lines included), once ``next()`` returned `nil`.
    var lastLineNumber: Int {
        condition.lock()
        defer { condition.unlock() }
        return finalLineNumber
    }

    /// Stops the reader (when the import fails part-way) and waits until it has let go of the file.
    func stop() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !producerExited { condition.wait() }
        batches.removeAll()
        condition.unlock()
    }

    private func produce(_ box: PreparerBox) {
        var ended = false
        while !ended {
            var batch: [Item] = []
            batch.reserveCapacity(Self.batchSize)
            while batch.count < Self.batchSize {
                do {
                    guard let line = try box.preparer.nextLine() else {
                        ended = true
                        break
                    }
                    batch.append(.line(line))
                } catch {
                    batch.append(.failure(error))
                    ended = true
                    break
                }
            }
            condition.lock()
            while batches.count >= Self.batchesAhead && !cancelled { condition.wait() }
            if cancelled { ended = true } else if !batch.isEmpty { batches.append(batch) }
            if ended {
                producerDone = true
                finalLineNumber = box.preparer.lineNumber
            }
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        producerExited = true
        condition.broadcast()
        condition.unlock()
    }
}

/// The preparer, owned by the reader thread once it starts.
private final class PreparerBox: @unchecked Sendable {
    var preparer: LinePreparer
    init(_ preparer: LinePreparer) { self.preparer = preparer }
}
