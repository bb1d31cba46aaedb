@testable import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// Records that settle their older facts into counters answer every metric of the five models
/// exactly as records that keep every fact, at any asOf from ``MentorshipRecord/answersExactlyFrom``
/// on, while keeping far fewer bytes; an earlier asOf is refused, not answered wrongly.
@Suite("Record settling")
struct RecordSettlingTests {
    private static let day: Int64 = 86_400_000_000

    /// A long simulated program folded both ways.
    private struct Program {
        var settled: [MentorshipRecord]
        var kept: [MentorshipRecord]
        var last: Timestamp
        var settledSnapshot: AccountabilitySnapshot

        init(seed: UInt64, mentorships: Int, months: Int) throws {
            let directory = try TemporaryDirectory("settling")
            let (ledger, _) = try ReadModelTestSupport.simulatedLedger(in: directory, seed: seed, mentorships: mentorships, months: months)
            defer { ledger.close() }
            settledSnapshot = try AccountabilityReadModels.replay(ledger, settling: .standard)
            settled = try settledSnapshot.records()
            kept = try AccountabilityReadModels.replay(ledger, settling: .never).records()
            last = try #require(try ledger.head().recordedAt)
        }

        /// The latest time any record answers exactly from, and times after it.
        var asOfs: [Timestamp] {
            let from = settled.compactMap(\.answersExactlyFrom).max() ?? last
            return [from, Timestamp(microsecondsSinceEpoch: (from.microsecondsSinceEpoch + last.microsecondsSinceEpoch) / 2), last,
                    Timestamp(microsecondsSinceEpoch: last.microsecondsSinceEpoch + 45 * RecordSettlingTests.day)]
        }
    }

    @Test("settled and kept records give the same five reports, program-wide and per mentorship, from answersExactlyFrom on",
          arguments: [(UInt64(1), 14), (UInt64(5), 20), (UInt64(11), 40)])
    func sameReports(seed: UInt64, months: Int) throws {
        let program = try Program(seed: seed, mentorships: 30, months: months)
        #expect(program.settled.count == program.kept.count)
        let settledCount = program.settled.filter { $0.settledBefore != nil }.count
        #expect(settledCount > program.settled.count / 2, "most records settled something (\(settledCount) of \(program.settled.count))")
        // Closed goals and tasks settled too, so their settled forms are what is compared.
        let settledGoals = program.settled.reduce(0) { $0 + $1.settled.goals.count }
        let settledTasks = program.settled.reduce(0) { $0 + $1.settled.taskDue }
        #expect(settledGoals > 0 && settledTasks > 0, "settled goals \(settledGoals), settled tasks due \(settledTasks)")
        #expect(program.settled.reduce(0) { $0 + $1.goals.count } < program.kept.reduce(0) { $0 + $1.goals.count })
        #expect(program.settled.reduce(0) { $0 + $1.tasks.count } < program.kept.reduce(0) { $0 + $1.tasks.count })
        // A settled goal is still found by its id, with the entry a kept record gives.
        let keptProgress = ProgressReport(records: program.kept, asOf: program.last)
        for record in program.settled {
            for (goal, _) in record.settled.goals {
                let answer = try program.settledSnapshot.goal(goal, asOf: program.last)
                #expect(answer != nil && answer == keptProgress.goal(goal), "settled goal \(goal)")
            }
        }
        for asOf in program.asOfs {
            let a = AccountabilityReports(records: program.settled, asOf: asOf)
            let b = AccountabilityReports(records: program.kept, asOf: asOf)
            #expect(a.progress == b.progress, "progress at \(asOf)")
            #expect(a.engagement == b.engagement, "engagement at \(asOf)")
            #expect(a.commitment == b.commitment, "commitment at \(asOf)")
            #expect(a.health == b.health, "program health at \(asOf)")
            #expect(a.nudges == b.nudges, "nudges at \(asOf)")
            for (settled, kept) in zip(program.settled, program.kept) {
                #expect(settled.mentorship == kept.mentorship)
                let one = AccountabilityReports(records: [settled], asOf: asOf), other = AccountabilityReports(records: [kept], asOf: asOf)
                #expect(one == other, "mentorship \(settled.mentorship) at \(asOf)")
            }
        }
    }

    @Test("a settled record is smaller, round-trips its row, and its size stops growing with its events")
    func smallerAndBounded() throws {
        let short = try Program(seed: 3, mentorships: 20, months: 12)
        let long = try Program(seed: 3, mentorships: 20, months: 36)
        func bytes(_ records: [MentorshipRecord]) -> Int { records.reduce(0) { $0 + $1.encoded.count } / records.count }
        for record in long.settled { #expect(try MentorshipRecord(encoded: record.encoded) == record) }
        #expect(bytes(long.settled) * 2 < bytes(long.kept), "settled \(bytes(long.settled)) vs kept \(bytes(long.kept)) bytes per record")
        // Three times the events, about the same bytes: what still grows is one settled entry
        // per goal closed (the goals are entities of their own) and the open goals' measurements.
        #expect(Double(bytes(long.settled)) < 1.25 * Double(bytes(short.settled)),
                "36 months \(bytes(long.settled)) vs 12 months \(bytes(short.settled)) bytes per record")
    }

    @Test("an asOf before a settled record answers exactly is refused with the mentorship and the time it answers from")
    func earlierRefused() throws {
        let program = try Program(seed: 1, mentorships: 10, months: 14)
        let record = try #require(program.settled.first { $0.answersExactlyFrom != nil })
        let from = try #require(record.answersExactlyFrom)
        let before = Timestamp(microsecondsSinceEpoch: from.microsecondsSinceEpoch - 1)
        let error = try #require(throws: SettledRecordError.self) { try program.settledSnapshot.mentorship(record.mentorship, asOf: before) }
        #expect(error.mentorship == record.mentorship)
        #expect(error.answersExactlyFrom == from)
        #expect(error.description.contains(record.mentorship.uuidString.lowercased()))
        #expect(throws: SettledRecordError.self) { try program.settledSnapshot.reports(asOf: before) }
        #expect(try program.settledSnapshot.mentorship(record.mentorship, asOf: from) != nil)
    }
}
