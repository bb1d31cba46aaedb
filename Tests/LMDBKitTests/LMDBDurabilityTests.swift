import Foundation
import LMDBKit
import Testing

@Suite struct LMDBDurabilityTests {
    @Test(arguments: [LMDBDurability.full, .noMetaSync, .noSync])
    func committedDataSurvivesReopening(_ durability: LMDBDurability) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = LMDBEnvironmentOptions()
        options.durability = durability
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        let items = try environment.database("items")
        for key in UInt64(0)..<10 {
            try environment.write { txn throws in try txn.put(items, key: key, value: sampleValue(for: key, count: 64)) }
        }
        try environment.sync(force: true)
        try environment.sync(force: false)
        environment.close()

        let reopened = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { reopened.close() }
        let reopenedItems = try reopened.database("items")
        try reopened.read { txn throws in
            #expect(try txn.entryCount(reopenedItems) == 10)
            for key in UInt64(0)..<10 {
                #expect(try txn.value(reopenedItems, key: key) == sampleValue(for: key, count: 64))
            }
        }
    }
}
