import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Testing

@Suite("ProgramSimulator")
struct ProgramSimulatorTests {
    /// Writes a simulation into a fresh ledger whose clock the simulator drives.
    private func simulate(_ config: SimulationConfig, in directory: TemporaryDirectory, name: String = "ledger") throws -> (SimulationReport, Ledger) {
        let simulator = try ProgramSimulator(config)
        let clock = ManualClock(config.start)
        var options = LedgerOptions()
        options.clock = clock
        options.durability = .noSync
        let ledger = try Ledger(directory: directory.child(name), registry: try .accountability(), options: options)
        let report = try simulator.write(into: ledger, clock: clock)
        return (report, ledger)
    }

    @Test("the same seed gives the same log, byte for byte; another seed gives another")
    func determinism() throws {
        let directory = try TemporaryDirectory()
        let config = SimulationConfig(seed: 42, mentorships: 40, months: 3)
        let (first, ledgerA) = try simulate(config, in: directory, name: "a")
        let (second, ledgerB) = try simulate(config, in: directory, name: "b")
        var other = config
        other.seed = 43
        let (third, ledgerC) = try simulate(other, in: directory, name: "c")
        defer { [ledgerA, ledgerB, ledgerC].forEach { $0.close() } }

        #expect(first.head.position > 500)
        #expect(first.head == second.head)
        #expect(first.eventsByType == second.eventsByType)
        #expect(ledgerA.ledgerID != ledgerB.ledgerID, "two ledgers, same content")
        let bytesA = try ledgerA.events(.all()).map(\.canonicalBytes)
        let bytesB = try ledgerB.events(.all()).map(\.canonicalBytes)
        #expect(bytesA == bytesB)
        #expect(third.head.hash != first.head.hash)
    }

    @Test("a six-month program produces every event type, and the ledger verifies")
    func everyEventType() throws {
        let directory = try TemporaryDirectory()
        let (report, ledger) = try simulate(SimulationConfig(seed: 1, mentorships: 120, months: 6), in: directory)
        defer { ledger.close() }
        for type in AccountabilityEvent.allTypes.map({ $0.eventType }) {
            #expect(report.eventsByType[type, default: 0] > 0, "no \(type) in the simulated program")
        }
        #expect(report.eventCount == Int(report.head.position))
        let verification = try ledger.verify()
        #expect(verification.isIntact, "\(verification)")
        #expect(verification.eventsChecked == UInt64(report.eventCount))
        #expect(verification.payloadsNotDecoded == 0)
    }

    @Test("the behaviours are mixed: endings of every kind, ratings 1 to 5, short and long notice, easier and harder revisions")
    func behaviourMix() throws {
        let simulator = try ProgramSimulator(SimulationConfig(seed: 7, mentorships: 150, months: 6))
        var endings = Set<String>()
        var ratings = Set<Int>()
        var noticeHours: [Double] = []
        var scheduled: [UUID: Timestamp] = [:]
        var easier = 0, harder = 0
        var absent = Set<AbsentParty>()
        var goals: [UUID: GoalMetric] = [:]
        try simulator.run { day in
            for command in day.commands {
                switch command.event {
                case .mentorshipEnded(let e): endings.insert("\(e.endedBy.name)/\(e.reason.name)")
                case .feedbackGiven(let e): ratings.insert(e.rating)
                case .sessionScheduled(let e): scheduled[e.session] = e.scheduledFor
                case .sessionCancelled(let e):
                    if let due = scheduled[e.session] { noticeHours.append(due.seconds(since: command.occurredAt) / 3600) }
                case .sessionMissed(let e): absent.insert(e.absent)
                case .goalSet(let e): goals[e.goal] = e.metric
                case .goalRevised(let e):
                    if let target = e.target, let metric = goals[e.goal] {
                        if abs(target - metric.baseline) < abs(metric.target - metric.baseline) { easier += 1 } else { harder += 1 }
                        goals[e.goal]?.target = target
                    }
                default: break
                }
            }
        }
        #expect(endings.isSuperset(of: ["mentor/completed", "system/inactivity"]))
        #expect(!endings.contains("system/completed"))
        #expect(endings.contains { $0.hasSuffix("/badFit") })
        #expect(ratings == [1, 2, 3, 4, 5])
        #expect(noticeHours.contains { $0 < 24 } && noticeHours.contains { $0 >= 24 })
        #expect(easier > 0 && harder > 0)
        #expect(absent == [.mentor, .mentee, .both])
    }

    @Test("pairs that ghost are closed for inactivity, never as completed, and their tasks go overdue")
    func ghostsEndForInactivity() throws {
        let simulator = try ProgramSimulator(SimulationConfig(seed: 1, mentorships: 200, months: 6))
        var lastHeld: [UUID: Timestamp] = [:]
        var endings: [(mentorship: UUID, ended: MentorshipEnded, at: Timestamp)] = []
        var overdueNudges = 0
        try simulator.run { day in
            for command in day.commands {
                switch command.event {
                case .sessionHeld: lastHeld[command.mentorship] = command.occurredAt
                case .mentorshipEnded(let e): endings.append((command.mentorship, e, command.occurredAt))
                case .nudgeSent(let e) where e.rule == .taskOverdue: overdueNudges += 1
                default: break
                }
            }
        }
        let inactivity = endings.filter { $0.ended.reason == .inactivity }
        #expect(inactivity.count >= 10)
        for ending in inactivity {
            #expect(ending.ended.endedBy == .system)
        }
        // A pair closed as completed met in its last 60 days.
        for ending in endings where ending.ended.reason == .completed {
            let last = try #require(lastHeld[ending.mentorship], "a completed mentorship never met")
            #expect(ending.at.seconds(since: last) < 60 * 86_400)
        }
        #expect(overdueNudges > 0)
    }

    @Test("every simulated command passes the library's own checks when recorded one by one")
    func commandsAreAcceptedByTheLedger() throws {
        let directory = try TemporaryDirectory()
        let config = SimulationConfig(seed: 3, mentorships: 25, months: 3)
        let simulator = try ProgramSimulator(config)
        let clock = ManualClock(config.start)
        var options = LedgerOptions()
        options.clock = clock
        options.durability = .noSync
        let ledger = try Ledger(directory: directory.child("ledger"), registry: try .accountability(), options: options)
        defer { ledger.close() }
        let log = AccountabilityLedger(ledger: ledger, admins: simulator.admins)
        var recorded = 0
        try simulator.run { day in
            clock.set(day.closesAt)
            for command in day.commands {
                try log.record(command)
                recorded += 1
            }
        }
        #expect(recorded > 300)
        #expect(try ledger.head().position == UInt64(recorded))
    }

    @Test("the commands of a day are the events of its appends, expecting each stream's prior revision")
    func daysAndAppendsAgree() throws {
        let simulator = try ProgramSimulator(SimulationConfig(seed: 5, mentorships: 10, months: 2))
        var revisions: [String: UInt64] = [:]
        var lastDay = -1
        try simulator.run { day in
            #expect(day.day > lastDay)
            lastDay = day.day
            #expect(day.appends.map(\.events.count).reduce(0, +) == day.commands.count)
            let proposed = try day.commands.map { try $0.proposedEvent() }
            #expect(day.appends.flatMap(\.events) == proposed)
            for append in day.appends {
                let expected: ExpectedRevision = revisions[append.stream].map { .revision($0) } ?? .noStream
                #expect(append.expectedRevision == expected)
                revisions[append.stream] = (revisions[append.stream].map { $0 + 1 } ?? 0) + UInt64(append.events.count - 1)
            }
            #expect(day.commands.allSatisfy { $0.occurredAt <= day.closesAt })
        }
    }

    @Test("a configuration out of range is refused, naming the field", arguments: [(0, 6, "mentorships"), (10, 0, "months"), (10, 121, "months")])
    func invalidConfiguration(mentorships: Int, months: Int, field: String) {
        #expect {
            _ = try ProgramSimulator(SimulationConfig(mentorships: mentorships, months: months))
        } throws: { error in
            (error as? LedgerError)?.code == .invalidRequest && "\(error)".contains(field)
        }
    }

    @Test("writing the same simulation again is an idempotent retry: the same ids, nothing new written")
    func writingTwiceIsIdempotent() throws {
        let directory = try TemporaryDirectory()
        let config = SimulationConfig(seed: 9, mentorships: 5, months: 1)
        let (report, ledger) = try simulate(config, in: directory)
        defer { ledger.close() }
        let again = try ProgramSimulator(config).write(into: ledger, clock: ManualClock(config.start))
        #expect(again.head == report.head)
        #expect(try ledger.head() == report.head)
    }
}
