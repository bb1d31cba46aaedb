import Foundation
import LMDBKit

/// Checks on a ledger directory before LMDB opens it, so that each wrong directory gets its own
/// clear error.
enum LedgerDirectory {
    static func check(_ path: String, options: LedgerOptions) throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if options.createIfMissing && !options.readOnly { return }
            throw LedgerError(.notFound, "no ledger at '\(path)': the directory does not exist")
        }
        guard isDirectory.boolValue else {
            throw LedgerError(.notALedger, "'\(path)' is a file, not a ledger directory")
        }
        let contents = (try? files.contentsOfDirectory(atPath: path)) ?? []
        let hasData = contents.contains("data.mdb")
        if !hasData && !contents.isEmpty {
            throw LedgerError(.notALedger, "'\(path)' holds other files (\(contents.sorted().prefix(3).joined(separator: ", "))) and no ledger; use an empty or new directory")
        }
        if !hasData && options.readOnly {
            throw LedgerError(.notFound, "no ledger at '\(path)': the directory is empty")
        }
    }

    static func openError(_ error: LMDBError, path: String) -> LedgerError {
        switch error.code {
        case .invalid, .versionMismatch:
            return LedgerError(.notALedger, "'\(path)' does not hold a ledger: \(error.message)", storageError: error)
        case .noSuchFile:
            return LedgerError(.notFound, "no ledger at '\(path)': \(error.message)", storageError: error)
        case .permissionDenied, .readOnlyFileSystem, LMDBError.Code(rawValue: 1):
            return LedgerError(.storage, "'\(path)' cannot be written by this process (\(error.lmdbText)): the directory or its files are read-only; open it with LedgerOptions.readOnly to read it, or fix its permissions", storageError: error)
        case .corrupted:
            if let fault = error.pageFault {
                return LedgerError(.corruptRecord, "the ledger at '\(path)' cannot be opened: \(PageDamage.describe(fault))", position: PageDamage.firstUnreadablePosition(fault), storageError: error)
            }
            return LedgerError(.corruptRecord, "the ledger at '\(path)' cannot be opened: \(error.message)", storageError: error)
        case .notFound:
            return LedgerError(.notALedger, "'\(path)' is an LMDB environment but not a ledger: \(error.message)", storageError: error)
        default:
            return LedgerError(.storage, "opening the ledger at '\(path)': \(error.message)", storageError: error)
        }
    }
}
