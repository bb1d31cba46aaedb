import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("ledger replay from the persisted read models")
struct PersistedReplayTests {
    /// The `readModels` entries of `ledger stats --format json`.
    private func readModels(_ fixture: ToolFixture, _ name: String) throws -> [JSONObject] {
        guard case .array(let entries)? = try fixture.stats(name)["readModels"] else { throw ToolFixtureError("stats printed no readModels") }
        return entries.compactMap { if case .object(let object) = $0 { object } else { nil } }
    }

    @Test("each model's report from the stored rows equals the in-memory fold of --read-only, whole and for one mentorship and participant",
          arguments: ReplayCommandTests.models)
    func storedEqualsInMemory(_ model: String) throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a", mentorships: 12, months: 2)
        let dir = fixture.path("a")
        let inMemory = try fixture.succeed(["replay", dir, model, "--format", "json", "--read-only"]).output
        #expect(try readModels(fixture, "a").isEmpty, "--read-only writes nothing")
        let stored = try fixture.succeed(["replay", dir, model, "--format", "json"]).output
        #expect(stored == inMemory)
        let again = try fixture.succeed(["replay", dir, model, "--format", "json"]).output
        #expect(again == inMemory, "a second run reads the same rows")

        let start = try fixture.succeed(["log", dir, "--type", "MentorshipStarted", "--format", "json", "--limit", "1"]).output
        let line = try #require(ToolFixture.lines(start).first)
        let event = try ToolFixture.object(line)
        guard case .object(let data)? = event["data"], case .string(let stream)? = event["stream"], case .string(let mentor)? = data["mentor"],
              let mentorship = MentorshipStream.mentorship(inStream: stream)?.uuidString.lowercased() else {
            Issue.record("no mentorship in \(line)")
            return
        }
        for filter in [["--mentorship", mentorship], ["--participant", mentor]] {
            let one = try fixture.succeed(["replay", dir, model, "--format", "json"] + filter).output
            let oneInMemory = try fixture.succeed(["replay", dir, model, "--format", "json", "--read-only"] + filter).output
            #expect(one == oneInMemory, "\(filter)")
        }
    }

    @Test("stats shows the stored read model's position and lag; a replay after an append catches it up")
    func statsAndLag() throws {
        let fixture = try ToolFixture()
        try fixture.simulate("a", mentorships: 6, months: 1)
        let dir = fixture.path("a")
        try fixture.succeed(["replay", dir, "engagement"])
        let events = try fixture.eventCount("a")
        let entries = try readModels(fixture, "a")
        #expect(entries.count == 1)
        #expect(entries.first?["name"] == .string("accountability.models"))
        #expect(entries.first?["kind"] == .string("rows"))
        #expect(entries.first?["position"] == .number(JSONNumber(events)))
        #expect(entries.first?["lag"] == .number(JSONNumber(Int64(0))))
        let text = try fixture.succeed(["stats", dir]).output
        #expect(text.contains("accountability.models"))
        #expect(text.contains("at \(events), lag 0"))
    }
}
