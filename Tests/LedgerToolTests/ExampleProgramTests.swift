import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// The example programs, run as built, print what their README paragraphs promise.
@Suite("Example programs")
struct ExampleProgramTests {
    static let small = ["--mentorships", "40", "--months", "4", "--seed", "3"]

    func run(_ program: String, _ arguments: [String] = small) throws -> ToolProcess.Outcome {
        let outcome = try ToolProcess.run(arguments, program: program)
        #expect(outcome.status == 0, "\(program): \(outcome.error)")
        return outcome
    }

    @Test("EarlyWarning prints its formula and ranks the riskiest pairs, highest risk first")
    func earlyWarning() throws {
        let output = try run("EarlyWarning").output
        #expect(output.contains("30·(1 − E/100) + 20·(1 − C/100)"), "\(output.prefix(600))")
        let ranked = output.split(separator: "\n").filter { $0.range(of: #"^\s*\d+\s+[0-9a-f]{8}…"#, options: .regularExpression) != nil }
        #expect(!ranked.isEmpty && ranked.count <= 10)
        let risks = ranked.compactMap { line in line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first.flatMap { Double($0) } }
        #expect(risks.count == ranked.count)
        #expect(risks == risks.sorted(by: >), "ranked by risk, highest first: \(risks)")
        #expect(try run("EarlyWarning").output == output, "the same seed prints the same report")
    }

    @Test("MentoringHours writes RFC 4180 CSV whose hours are its minutes / 60")
    func mentoringHours() throws {
        let output = try run("MentoringHours").output
        let records = output.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(records.first == "mentor,month,sessions,minutes,hours")
        #expect(records.count > 10)
        for record in records.dropFirst() {
            let fields = record.split(separator: ",").map(String.init)
            try #require(fields.count == 5, "\(record)")
            #expect(UUID(uuidString: fields[0]) != nil)
            #expect(fields[1].range(of: #"^\d{4}-\d{2}$"#, options: .regularExpression) != nil)
            let minutes = try #require(Double(fields[3]))
            #expect(fields[4] == String(format: "%.2f", minutes / 60))
        }
        let keys = records.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
        #expect(keys == keys.sorted(), "sorted by mentor, then month")
    }

    @Test("GoalAuditTrail prints a goal's history as known at a past date and proves the chain up to it")
    func goalAuditTrail() throws {
        let output = try run("GoalAuditTrail").output
        #expect(output.contains("GoalSet"))
        #expect(output.range(of: #"chain intact through position \d+: [0-9a-f]{64}"#, options: .regularExpression) != nil, "\(output.suffix(400))")
    }

    @Test("MilestoneEvents registers, appends and folds its own event type next to the built-in ones")
    func milestoneEvents() throws {
        let output = try run("MilestoneEvents").output
        #expect(output.range(of: #"\d+ MilestoneReached"#, options: .regularExpression) != nil)
        #expect(output.contains("a blank title is refused"))
        #expect(output.contains("verify: intact"))
    }

    @Test("a bad argument is named, with exit status 2", arguments: ["EarlyWarning", "MentoringHours", "GoalAuditTrail", "MilestoneEvents"])
    func badArgument(_ program: String) throws {
        let outcome = try ToolProcess.run(["--months", "0"], program: program)
        #expect(outcome.status == 2)
        #expect(outcome.error.contains("--months"))
    }
}
