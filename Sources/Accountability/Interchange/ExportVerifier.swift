public import EventLedger
public import Foundation

/// Checks an export file from the file alone: the hash chain, and that every readable field of
/// every line is what its canonical bytes encode (``ExportLineCheck``, ``ExportBindings``): what
/// `ledger verify-export` runs, and what `Scripts/verify_export.py` does with Python's hashlib.
///
/// It reads the file as a stream, one line at a time, and stops at the first fault.
public struct ExportVerifier: Sendable {
    /// What a verified export holds.
    public struct Report: Sendable, Hashable {
        /// The events checked.
        public var events = 0
        /// The first and last positions.
        public var positions: ClosedRange<UInt64>?
        /// The last chain hash.
        public var head = ChainHash.genesis
        /// Events of user types with a binary codec of their own: chained, their bytes proved,
        /// their fields unverifiable.
        public var unverifiable = 0
        /// Seals checked against the key.
        public var sealsChecked = 0
        /// Seals present but not checked (no key given).
        public var sealsUnchecked = 0
    }

    /// The format of the file.
    public var format: ExportFormat
    /// The chain hash the last line must end on, obtained elsewhere (`ledger stats`, a seal).
    public var expectedHead: ChainHash?
    /// The key to check the export's seals with.
    public var sealKey: SealKey?
    /// The longest line accepted, in bytes.
    public var maximumLineLength = 1 << 20

    /// A verifier of `format` files.
    public init(format: ExportFormat) {
        self.format = format
    }

    /// Verifies the export read from `handle`.
    ///
    /// - Parameter progress: called with the bytes read, every 16,384 lines.
    /// - Throws: ``InterchangeError`` naming the line, the position and the field of the first fault.
    public func verify(_ handle: FileHandle, progress: ((Int) -> Void)? = nil) throws -> Report {
        var preparer = LinePreparer(InterchangeSource(handle, format: format, maximumLineLength: maximumLineLength))
        var report = Report()
        var bytesRead = 0
        while let prepared = try preparer.nextLine() {
            bytesRead = prepared.bytesRead
            do throws(InterchangeError) {
                // Every line of an export carries its canonical bytes: reading the line as one
                // names the member that is missing or wrong.
                guard let (line, proof) = prepared.export else {
                    _ = try ExportLine(prepared.object)
                    throw InterchangeError(field: "canonical", "is missing; every line of an export carries its canonical bytes")
                }
                if proof.payload == .bytesOnly { report.unverifiable += 1 }
                if let seal = line.seal {
                    if let sealKey {
                        guard seal.headSeal(position: line.position, hash: line.chainHash).isSigned(by: sealKey, ledgerID: seal.ledgerID) else {
                            throw InterchangeError(field: "seal", "is not signed by this key for ledger \(UUIDText.lowercase(seal.ledgerID)) at this position and chain hash").at(position: line.position)
                        }
                        report.sealsChecked += 1
                    } else {
                        report.sealsUnchecked += 1
                    }
                }
                report.events += 1
                report.positions = (report.positions?.lowerBound ?? line.position)...line.position
                report.head = line.chainHash
            } catch {
                throw error.at(line: prepared.number)
            }
            if prepared.number % 16_384 == 0 { progress?(bytesRead) }
        }
        progress?(bytesRead)
        guard report.events > 0 else { throw InterchangeError(field: "file", "holds no events") }
        if let expectedHead, expectedHead != report.head {
            throw InterchangeError(field: "chainHash", "the last chain hash \(report.head.hex) is not the expected head \(expectedHead.hex)")
        }
        return report
    }

    /// The chain between two lines: gapless positions, each previousHash the chainHash before it.
    static func chain(_ line: ExportLine, previous: ChainHash?, next: UInt64?) throws(InterchangeError) {
        if let next, line.position != next {
            throw InterchangeError(field: "position", "is \(line.position) after position \(next - 1): a gap or a reordering").at(position: line.position)
        }
        if let previous, line.previousHash != previous {
            throw InterchangeError(field: "previousHash", "is not the chainHash of the line before").at(position: line.position)
        }
        if previous == nil, line.position == 1, line.previousHash != .genesis {
            throw InterchangeError(field: "previousHash", "position 1 must follow the genesis hash (64 zeros)").at(position: line.position)
        }
    }
}
