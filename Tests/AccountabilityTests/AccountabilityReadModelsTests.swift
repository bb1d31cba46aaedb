import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("AccountabilityReadModels")
struct AccountabilityReadModelsTests {
    /// Times to evaluate at: early, midway, at the last event, and a month after it.
    private func times(_ ledger: Ledger, _ config: SimulationConfig) throws -> [Timestamp] {
        let last = try #require(try ledger.head().recordedAt)
        let start = config.start.microsecondsSinceEpoch
        let day: Int64 = 86_400_000_000
        return [Timestamp(microsecondsSinceEpoch: start + 12 * day),
                Timestamp(microsecondsSinceEpoch: (start + last.microsecondsSinceEpoch) / 2),
                last,
                Timestamp(microsecondsSinceEpoch: last.microsecondsSinceEpoch + 30 * day)]
    }

    @Test("the persisted models, caught up in several steps and commits, equal a full replay of each of the five models at every asOf")
    func persistedEqualsReplay() throws {
        let directory = try TemporaryDirectory()
        let (ledger, config) = try ReadModelTestSupport.simulatedLedger(in: directory, seed: 7, mentorships: 24, months: 4)
        defer { ledger.close() }
        let models = try AccountabilityReadModels(ledger: ledger, eventsPerCommit: 997)
        let head = try ledger.head().position
        for step in [head / 3, 2 * head / 3, head] {
            #expect(try models.catchUp(through: step) == step)
            let inMemory = try AccountabilityReadModels.replay(ledger, .all().through(position: step))
            try models.read { snapshot in
                #expect(snapshot.position == step)
                let records = try snapshot.records()
                #expect(records == (try inMemory.records()), "the stored records are the in-memory fold's, at \(step)")
                #expect(try snapshot.eventsFolded() == (try ledger.replay(ProgressProjection(), .all().through(position: step)).eventsApplied))
                for asOf in try times(ledger, config) {
                    let reports = AccountabilityReports(records: records, asOf: asOf)
                    let through = EventQuery.all().through(position: step)
                    #expect(reports.progress == (try ledger.replay(ProgressProjection(), through).state.report(asOf: asOf)))
                    #expect(reports.engagement == (try ledger.replay(EngagementProjection(), through).state.report(asOf: asOf)))
                    #expect(reports.commitment == (try ledger.replay(CommitmentProjection(), through).state.report(asOf: asOf)))
                    #expect(reports.health == (try ledger.replay(ProgramHealthProjection(), through).state.report(asOf: asOf)))
                    #expect(reports.nudges == (try ledger.replay(NudgeProjection(), through).state.report(asOf: asOf)))
                }
            }
        }
        #expect(try models.status().isCurrent)
        #expect(try ledger.storedProjections().map(\.name) == ["accountability.models"])
    }

    @Test("each mentorship, participant, goal and program answers exactly what the full reports say about it")
    func answersByKey() throws {
        let directory = try TemporaryDirectory()
        let (ledger, config) = try ReadModelTestSupport.simulatedLedger(in: directory, seed: 3, mentorships: 20, months: 3)
        defer { ledger.close() }
        let models = try AccountabilityReadModels(ledger: ledger)
        try models.catchUp()
        try models.read { snapshot in
            let records = try snapshot.records()
            #expect(records.count == 20)
            for asOf in try times(ledger, config) {
                let full = try snapshot.reports(asOf: asOf)
                var people: Set<UUID> = [], programs: Set<UUID> = []
                for record in records {
                    let answer = try #require(try snapshot.mentorship(record.mentorship, asOf: asOf))
                    #expect(answer.progress == full.progress.mentorships[record.mentorship])
                    #expect(answer.goals == full.progress.goals.filter { $0.mentorship == record.mentorship })
                    #expect(answer.engagement == full.engagement.mentorship(record.mentorship))
                    #expect(answer.commitment == full.commitment.mentorships[record.mentorship])
                    #expect(answer.health == full.health.pair(record.mentorship))
                    #expect(answer.nudges == full.nudges.nudges(in: record.mentorship))
                    for goal in answer.goals { #expect(try snapshot.goal(goal.goal, asOf: asOf) == full.progress.goal(goal.goal)) }
                    people.formUnion([record.mentor, record.mentee])
                    programs.insert(record.program)
                }
                for person in people {
                    let answer = try #require(try snapshot.participant(person, asOf: asOf))
                    #expect(answer.progress == full.progress.participants[person])
                    #expect(answer.engagement == full.engagement.participant(person))
                    #expect(answer.commitment == full.commitment.participants[person])
                    #expect(answer.nudges == full.nudges.nudges(for: .participant(person)))
                    #expect(Set(answer.mentorships.map(\.mentorship)) == Set(records.filter { $0.mentor == person || $0.mentee == person }.map(\.mentorship)))
                }
                for program in programs {
                    let answer = try #require(try snapshot.program(program, asOf: asOf))
                    #expect(answer.health == full.health.program(program))
                    #expect(answer.progress == full.progress.programs[program])
                    #expect(answer.reports.health.pairs == full.health.pairs.filter { $0.program == program })
                }
            }
            let unknown = UUID()
            #expect(try snapshot.mentorship(unknown, asOf: .now()) == nil)
            #expect(try snapshot.participant(unknown, asOf: .now()) == nil)
            #expect(try snapshot.program(unknown, asOf: .now()) == nil)
            #expect(try snapshot.goal(unknown, asOf: .now()) == nil)
        }
    }

    @Test("a catch-up after appends folds only the new events and matches a replay; a second instance reads the same rows")
    func incremental() throws {
        let directory = try TemporaryDirectory()
        let (ledger, config) = try ReadModelTestSupport.simulatedLedger(in: directory, seed: 11, mentorships: 12, months: 2)
        defer { ledger.close() }
        let models = try AccountabilityReadModels(ledger: ledger)
        try models.catchUp()
        let streams = try ledger.read { try $0.streams() }.map(\.name).filter { $0.hasPrefix(MentorshipStream.prefix) }
        for (n, stream) in streams.prefix(5).enumerated() {
            let nudge = NudgeSent(rule: .taskOverdue, subject: UUID(), recipient: UUID())
            let appended = try ledger.append([try ProposedEvent(nudge)], to: stream)
            #expect(try models.status().lag == 1, "round \(n)")
            #expect(try models.catchUp() == appended.positions.lowerBound)
        }
        let other = try AccountabilityReadModels(ledger: ledger)
        let asOf = try times(ledger, config)[2]
        let stored = try other.read { try $0.reports(asOf: asOf) }
        #expect(stored == (try AccountabilityReadModels.replay(ledger).reports(asOf: asOf)))
        #expect(stored.nudges == (try ledger.replay(NudgeProjection()).state.report(asOf: asOf)))
    }

    @Test("a ledger opened read-only folds in memory and refuses to store rows")
    func readOnly() throws {
        let directory = try TemporaryDirectory()
        let (ledger, config) = try ReadModelTestSupport.simulatedLedger(in: directory, seed: 5, mentorships: 6, months: 2)
        let head = try ledger.head().position
        ledger.close()
        var options = LedgerOptions()
        options.readOnly = true
        let copy = try Ledger(directory: directory.child("sim"), registry: try .accountability(), options: options)
        defer { copy.close() }
        let models = try AccountabilityReadModels(ledger: copy)
        let refused = try #require(throws: LedgerError.self) { try models.catchUp() }
        #expect(refused.code == .invalidRequest)
        #expect(try models.read { $0.position } == 0)
        let folded = try models.replay()
        #expect(folded.position == head)
        let asOf = config.start
        #expect(try folded.reports(asOf: asOf).progress == (try copy.replay(ProgressProjection()).state.report(asOf: asOf)))
    }

    @Test("a subscription's records (RecordedEvent) decode to the domain event in one call; other types are nil")
    func subscriptionDecode() throws {
        let directory = try TemporaryDirectory()
        let (ledger, _) = try ReadModelTestSupport.simulatedLedger(in: directory, seed: 2, mentorships: 4, months: 2)
        defer { ledger.close() }
        let recorded = try ledger.events(.all())
        #expect(recorded.count == Int(try ledger.head().position))
        #expect(Set(recorded.map(\.eventType)).count > 3)
        for record in recorded {
            let event = try #require(try record.accountabilityEvent())
            #expect(event.eventType == record.eventType)
        }
        var registry = try EventTypeRegistry.samples()
        try registry.registerAccountabilityEvents()
        let mixed = try Ledger(directory: directory.child("mixed"), registry: registry)
        defer { mixed.close() }
        let foreign = try mixed.append([try ProposedEvent(NoteAdded(note: "x"))], to: "notes/1")
        let record = try #require(try mixed.events(.all(from: foreign.positions.lowerBound)).first)
        #expect(try record.accountabilityEvent().map { _ in true } == nil)
    }
}
