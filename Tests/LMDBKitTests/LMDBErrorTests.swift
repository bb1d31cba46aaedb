import Foundation
import LMDBKit
import Testing

@Suite struct LMDBErrorTests {
    @Test func descriptionContainsMessageAndLMDBText() throws {
        let error = LMDBError(code: .mapFull, message: "writing to 'x'")
        #expect(error.message == "writing to 'x'")
        #expect(error.lmdbText.contains("MDB_MAP_FULL"))
        #expect(error.description.contains("writing to 'x'"))
        #expect(error.description.contains(error.lmdbText))
        #expect(error.description.contains("\(LMDBError.Code.mapFull.rawValue)"))

        let errnoError = LMDBError(code: .noSuchFile, message: "opening 'y'")
        #expect(errnoError.lmdbText.contains("No such file"))
        #expect(errnoError.description.contains("opening 'y'"))
    }

    @Test func storageLayerCodesHaveNoLMDBText() {
        let error = LMDBError(code: .alreadyOpen, message: "already open")
        #expect(error.lmdbText.isEmpty)
        #expect(error.description == "already open")
        #expect(LMDBError.Code.alreadyOpen.description == "alreadyOpen")
        #expect(LMDBError.Code.nestedTransaction.description == "nestedTransaction")
    }

    @Test func errorFromAnOperationCarriesItsContext() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        try environment.write { txn throws in try txn.put(items, key: 1, value: [1]) }

        do {
            try environment.write { txn throws in try txn.put(items, key: 1, value: [2], flags: .noOverwrite) }
            Issue.record("expected an error")
        } catch let error as LMDBError where error.code == .keyExists {
            #expect(error.message.contains("database 'items'"))
            #expect(error.lmdbText.contains("MDB_KEYEXIST"))
            #expect(error.description.contains(error.message))
            #expect(error.description.contains(error.lmdbText))
        }
    }

    @Test func codesCompareByValue() {
        let code = LMDBError.Code(rawValue: LMDBError.Code.keyExists.rawValue)
        #expect(code == .keyExists)
        #expect(code != .notFound)
        #expect(LMDBError.Code(rawValue: 2) == .noSuchFile)
        #expect(LMDBError(code: .invalid, message: "m") == LMDBError(code: .invalid, message: "m"))
        #expect(LMDBError(code: .invalid, message: "m") != LMDBError(code: .invalid, message: "n"))
        #expect(LMDBError(code: .invalid, message: "m") != LMDBError(code: .corrupted, message: "m"))

        let all: [LMDBError.Code] = [
            .keyExists, .notFound, .corrupted, .pageNotFound, .panic, .versionMismatch, .invalid, .mapFull,
            .databasesFull, .readersFull, .transactionFull, .mapResized, .incompatible, .badTransaction,
            .badValueSize, .noSuchFile, .permissionDenied, .readOnlyFileSystem, .alreadyOpen, .closed,
            .invalidKey, .backupTargetNotEmpty, .invalidPath, .nestedTransaction, .readOnly,
        ]
        #expect(Set(all).count == all.count, "every code is distinct")
    }
}
