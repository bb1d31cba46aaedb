import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Synchronization
import Testing

/// How ``AccountabilityLedger`` records commands: idempotent retries, atomic batches across
/// mentorships, optimistic concurrency with re-checks, and the envelope it writes.
@Suite("AccountabilityLedger")
struct AccountabilityLedgerTests {
    // MARK: - Idempotent retries

    @Test("A retried command with the same id returns the original positions and writes nothing")
    func retrySameCommand() throws {
        let fx = try MentorshipFixture()
        let command = fx.command(fx.goalSet(), by: fx.mentee, at: 1)
        let first = try fx.log.record(command)
        #expect(!first.wasAlreadyStored)
        #expect(first.revision == 1)
        let head = try fx.ledger.head()

        // A plain re-check would say id.duplicate (goal); a retry is recognised by its event id.
        let retry = try fx.log.record(command)
        #expect(retry.wasAlreadyStored)
        #expect(retry.positions == first.positions)
        #expect(retry.revision == first.revision)
        #expect(retry.stream == first.stream)
        #expect(try fx.ledger.head() == head)
        #expect(try fx.storedEvents().count == 2)
    }

    @Test("A retry still returns the original result after the stream moved on, even when the command would now be rejected")
    func retryAfterMoreEvents() async throws {
        let fx = try MentorshipFixture()
        let task = try fx.assignTask()
        let completion = fx.command(TaskCompleted(task: task), by: fx.mentee, at: 2)
        let first = try await fx.log.record(completion)
        try fx.holdSession(at: 3)
        try fx.setGoal(at: 4)
        let head = try fx.ledger.head()

        // The blocking overload, from a synchronous closure.
        let syncRetry = try { () throws -> AppendResult in try fx.log.record(completion) }()
        let asyncRetry = try await fx.log.record(completion)
        for retry in [syncRetry, asyncRetry] {
            #expect(retry.wasAlreadyStored)
            #expect(retry.positions == first.positions)
            #expect(retry.revision == first.revision)
        }
        #expect(try fx.ledger.head() == head)
        // A new command with the same content (another id) is checked, and rejected.
        try fx.expectRejected(fx.command(TaskCompleted(task: task), by: fx.mentee, at: 2), rule: .taskClosed, field: "task")
    }

    @Test("A retried batch across two mentorships returns the original results")
    func retryBatch() throws {
        let fx = try MentorshipFixture()
        let other = UUID()
        try fx.startMentorship(other)
        let batch = [
            fx.command(fx.goalSet(), by: fx.mentee, at: 1),
            fx.command(fx.goalSet(), by: fx.mentee, at: 1, on: other),
            fx.command(fx.sessionHeld(), at: 2),
        ]
        let first = try fx.log.record(batch)
        let head = try fx.ledger.head()
        let retry = try fx.log.record(batch)
        #expect(retry.count == 2)
        #expect(retry.allSatisfy { $0.wasAlreadyStored })
        #expect(retry.map(\.positions) == first.map(\.positions))
        #expect(retry.map(\.revision) == first.map(\.revision))
        #expect(retry.map(\.stream) == first.map(\.stream))
        #expect(try fx.ledger.head() == head)
    }

    @Test("The same id with other content is an idempotency conflict, and nothing is written")
    func sameIDOtherContent() throws {
        let fx = try MentorshipFixture()
        let other = UUID()
        try fx.startMentorship(other)
        let id = UUID()
        let goal = UUID()
        try fx.log.record(fx.command(fx.goalSet(goal), by: fx.mentee, at: 1, id: id))
        let variants: [(String, MentorshipCommand)] = [
            ("payload", fx.command(fx.goalSet(goal, title: "Another title"), by: fx.mentee, at: 1, id: id)),
            ("type", fx.command(fx.sessionHeld(), by: fx.mentee, at: 1, id: id)),
            ("occurredAt", fx.command(fx.goalSet(goal), by: fx.mentee, at: 2, id: id)),
            ("actor", fx.command(fx.goalSet(goal), by: fx.mentor, at: 1, id: id)),
            ("stream", fx.command(fx.goalSet(goal), by: fx.mentee, at: 1, on: other, id: id)),
            ("unstarted stream", fx.command(fx.goalSet(goal), by: fx.mentee, at: 1, on: UUID(), id: id)),
        ]
        for (what, command) in variants {
            let head = try fx.ledger.head()
            let revisions = try [fx.revision(), fx.revision(of: other)]
            do {
                try fx.log.record(command)
                Issue.record("different \(what): accepted")
            } catch let error as LedgerError {
                #expect(error.code == .idempotencyConflict, "different \(what): \(error)")
            } catch {
                Issue.record("different \(what): expected an idempotency conflict, got \(error)")
            }
            #expect(try fx.ledger.head() == head, "different \(what)")
            #expect(try [fx.revision(), fx.revision(of: other)] == revisions, "different \(what)")
        }
    }

    @Test("A batch of which only part is already stored is an idempotency conflict, and nothing is written")
    func partlyStoredBatch() throws {
        let fx = try MentorshipFixture()
        let stored = fx.command(fx.goalSet(), by: fx.mentee, at: 1)
        try fx.log.record(stored)
        let head = try fx.ledger.head()
        // The new command breaks a rule; either way nothing of the batch may be written.
        for fresh in [fx.command(fx.sessionHeld(), at: 2), fx.command(TaskCompleted(task: UUID()), at: 2)] {
            #expect {
                try fx.log.record([stored, fresh])
            } throws: { error in
                (error as? LedgerError)?.code == .idempotencyConflict
            }
            #expect(try fx.ledger.head() == head)
            #expect(try fx.ledger.read { try $0.position(ofEventID: fresh.id) } == nil)
        }
    }

    @Test("A retry with the same id but invalid new content is rejected naming the command's mentorship")
    func retryWithInvalidContent() throws {
        let fx = try MentorshipFixture()
        let id = UUID()
        try fx.log.record(fx.command(fx.feedback(rating: 4), by: fx.mentee, at: 1, id: id))
        let head = try fx.ledger.head()
        let changed = fx.command(fx.feedback(rating: 9), by: fx.mentee, at: 1, id: id)
        do {
            try fx.log.record(changed)
            Issue.record("an invalid rating was accepted")
        } catch let error as AccountabilityError {
            #expect(error.rule == .ratingOutOfRange)
            #expect(error.field == "rating")
            // Every rejection names the mentorship the command was for (it is known here).
            #expect(error.mentorship == fx.mentorship, "\(error)")
        } catch let error as LedgerError {
            #expect(error.code == .idempotencyConflict, "\(error)")
        }
        #expect(try fx.ledger.head() == head)
    }

    // MARK: - Batches across mentorships

    @Test("A batch across two mentorships commits atomically, one result per mentorship in order of first appearance")
    func batchAcrossMentorships() throws {
        let fx = try MentorshipFixture()
        let other = UUID()
        let headBefore = try fx.ledger.head()
        let results = try fx.log.record([
            fx.command(fx.started(other), at: 0, on: other),
            fx.command(fx.goalSet(), by: fx.mentee, at: 1),
            fx.command(fx.goalSet(), by: fx.mentee, at: 1, on: other),
            fx.command(fx.sessionHeld(), at: 2),
        ])
        #expect(results.map(\.stream) == [MentorshipStream.name(of: other), MentorshipStream.name(of: fx.mentorship)])
        #expect(results.map(\.revision) == [1, 2])
        #expect(results.map(\.positions.count) == [2, 2])
        #expect(results.allSatisfy { !$0.wasAlreadyStored })
        // Positions are contiguous: the whole batch is one commit.
        #expect(results[0].positions.lowerBound == headBefore.position + 1)
        #expect(results[1].positions.lowerBound == results[0].positions.upperBound)
        #expect(try fx.ledger.head().position == headBefore.position + 4)
        #expect(try fx.state(of: other).status == .active)
        #expect(try fx.state(of: other).goals.count == 1)
        #expect(try fx.state().goals.count == 1)
    }

    @Test("A batch across two mentorships in which one command is rejected writes nothing on either")
    func batchAcrossMentorshipsRejected() throws {
        let fx = try MentorshipFixture()
        let other = UUID()
        try fx.startMentorship(other)
        let task = try fx.assignTask()

        // The second mentorship's command breaks a rule.
        try fx.expectRejected(batch: [
            fx.command(TaskCompleted(task: task), by: fx.mentee, at: 2),
            fx.command(fx.goalSet(), by: fx.mentee, at: 2, on: other),
            fx.command(MentorshipResumed(), at: 2, on: other),
        ], rule: .mentorshipStatus, field: "event", mentorship: other)

        // The first one's does.
        try fx.expectRejected(batch: [
            fx.command(fx.goalSet(), by: fx.mentee, at: 2, on: other),
            fx.command(TaskCompleted(task: UUID()), by: fx.mentee, at: 2),
        ], rule: .unknownTask, field: "task", mentorship: fx.mentorship)

        // Each command is checked against its own mentorship: the task is not known on the other.
        try fx.expectRejected(batch: [
            fx.command(TaskCompleted(task: task), by: fx.mentee, at: 2),
            fx.command(TaskCompleted(task: task), by: fx.mentee, at: 2, on: other),
        ], rule: .unknownTask, field: "task", mentorship: other)

        // An unstarted mentorship in the batch.
        let unstarted = UUID()
        try fx.expectRejected(batch: [
            fx.command(TaskCompleted(task: task), by: fx.mentee, at: 2),
            fx.command(fx.goalSet(), by: fx.mentee, at: 2, on: unstarted),
        ], rule: .mentorshipNotStarted, field: "event", mentorship: unstarted)

        #expect(try fx.state().tasks[task]?.status == .open)
        #expect(try fx.state(of: other).goals.isEmpty)
        #expect(try fx.revision(of: unstarted) == nil)
    }

    // MARK: - Concurrency

    @Test("Eight tasks completing distinct tasks of the same mentorship all succeed; revisions are gapless")
    func concurrentCompletions() async throws {
        let fx = try MentorshipFixture()
        let tasks = (0..<8).map { _ in UUID() }
        try await fx.log.record(tasks.map { fx.command(fx.taskAssigned($0), at: 1) })
        let before = try #require(try fx.revision())
        #expect(before == 8)

        let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for (index, task) in tasks.enumerated() {
                group.addTask {
                    try await fx.log.record(fx.command(TaskCompleted(task: task), by: fx.mentee, at: 2 + Double(index) / 24))
                }
            }
            var results: [AppendResult] = []
            for try await result in group { results.append(result) }
            return results
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { !$0.wasAlreadyStored && $0.positions.count == 1 })
        #expect(Set(results.compactMap(\.revision)) == Set((before + 1)...(before + 8)))
        #expect(Set(results.map(\.positions.lowerBound)).count == 8)

        let stored = try fx.storedEvents()
        #expect(stored.map(\.streamRevision) == Array(0...(before + 8)))
        #expect(zip(stored, stored.dropFirst()).allSatisfy { $1.position == $0.position + 1 })
        let state = try fx.state()
        #expect(state.revision == before + 8)
        #expect(tasks.allSatisfy { state.tasks[$0]?.status == .completed })
        let report = try fx.ledger.verify()
        #expect(report.isIntact)
        #expect(report.eventsChecked == before + 9)
    }

    @Test("Eight threads holding distinct sessions of the same mentorship through the blocking API all succeed")
    func concurrentSessionsFromThreads() throws {
        let fx = try MentorshipFixture()
        let sessions = (0..<8).map { _ in UUID() }
        try fx.log.record(sessions.map { fx.command(fx.sessionScheduled($0, for: fx.day(3)), at: 1) })
        let before = try #require(try fx.revision())
        let failures = Mutex<[String]>([])
        let revisions = Mutex<[UInt64]>([])
        DispatchQueue.concurrentPerform(iterations: sessions.count) { index in
            do {
                let result = try fx.log.record(fx.command(fx.sessionHeld(sessions[index], minutes: 30 + index), at: 3))
                if let revision = result.revision { revisions.withLock { $0.append(revision) } }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(revisions.withLock { $0 }.sorted() == Array((before + 1)...(before + 8)))
        let state = try fx.state()
        #expect(sessions.allSatisfy { state.sessions[$0]?.status == .held })
        #expect(try fx.storedEvents().map(\.streamRevision) == Array(0...(before + 8)))
        #expect(try fx.ledger.verify().isIntact)
    }

    @Test("Two racing completions of the same task: exactly one succeeds, the other is task.closed")
    func racingConflict() async throws {
        let fx = try MentorshipFixture()
        for round in 0..<6 {
            let task = try fx.assignTask(at: Double(round))
            let contenders = [
                fx.command(TaskCompleted(task: task, evidence: "by the mentee"), by: fx.mentee, at: Double(round) + 0.5),
                fx.command(TaskCompleted(task: task, evidence: "by the admin"), by: fx.admin, at: Double(round) + 0.5),
            ]
            let outcomes = await withTaskGroup(of: Result<AppendResult, any Error>.self) { group in
                for command in contenders {
                    group.addTask {
                        do { return .success(try await fx.log.record(command)) } catch { return .failure(error) }
                    }
                }
                var outcomes: [Result<AppendResult, any Error>] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let successes = outcomes.compactMap { try? $0.get() }
            #expect(successes.count == 1, "round \(round)")
            #expect(successes.allSatisfy { !$0.wasAlreadyStored })
            let failures = outcomes.compactMap { outcome -> (any Error)? in
                if case .failure(let error) = outcome { return error }
                return nil
            }
            #expect(failures.count == 1, "round \(round)")
            for failure in failures {
                let error = try #require(failure as? AccountabilityError, "round \(round): \(failure)")
                #expect(error.rule == .taskClosed)
                #expect(error.field == "task")
                #expect(error.mentorship == fx.mentorship)
            }
            let completions = try fx.storedEvents().filter { $0.eventType == TaskCompleted.eventType }
            #expect(completions.count == round + 1, "one completion stored per task")
        }
        #expect(try fx.ledger.verify().isIntact)
    }

    // MARK: - Envelope

    @Test("The envelope's id, actor and occurred-at are the command's; recorded-at is the ledger's clock")
    func envelope() throws {
        let fx = try MentorshipFixture()
        fx.clock.set(fx.day(100))
        let session = try fx.scheduleSession(at: 1, for: 3)
        let command = fx.command(fx.sessionHeld(session, minutes: 50), by: fx.admin, at: 3.25)
        let result = try fx.log.record(command)
        let stored = try #require(try fx.storedEvents().last)
        #expect(stored.id == command.id)
        #expect(stored.actor == fx.admin)
        #expect(stored.occurredAt == fx.day(3.25))
        #expect(stored.recordedAt == fx.day(100))
        #expect(stored.eventType == SessionHeld.eventType)
        #expect(stored.schemaVersion == SessionHeld.schemaVersion)
        #expect(stored.stream == MentorshipStream.name(of: fx.mentorship))
        #expect(stored.position == result.positions.lowerBound)
        #expect(stored.streamRevision == result.revision)
        let decoded = try stored.decode(as: SessionHeld.self)
        #expect(decoded == fx.sessionHeld(session, minutes: 50))
        // The start was recorded by the mentor at day 0.
        let start = try #require(try fx.storedEvents().first)
        #expect(start.actor == fx.mentor)
        #expect(start.occurredAt == fx.day(0))
    }

    // MARK: - Misuse

    @Test("Recording no commands is an invalid request")
    func recordNothing() async throws {
        let fx = try MentorshipFixture()
        let head = try fx.ledger.head()
        #expect {
            try fx.log.record([MentorshipCommand]())
        } throws: { error in
            (error as? LedgerError)?.code == .invalidRequest
        }
        await #expect {
            try await fx.log.record([MentorshipCommand]())
        } throws: { error in
            (error as? LedgerError)?.code == .invalidRequest
        }
        #expect(try fx.ledger.head() == head)
    }

    @Test("A rejected command says what is wrong, names the mentorship and that nothing was written")
    func rejectionDescription() throws {
        let fx = try MentorshipFixture()
        let command = fx.command(fx.feedback(rating: 0), by: fx.mentee, at: 1)
        do {
            try fx.log.record(command)
            Issue.record("accepted")
        } catch let error as AccountabilityError {
            #expect(error.description.hasPrefix("feedback.ratingOutOfRange (rating): "))
            #expect(error.description.contains(fx.mentorship.uuidString.lowercased()))
            #expect(error.description.hasSuffix("nothing was written"))
        }
    }

    @Test("The state of a mentorship with no events, and the attempt count's lower bound")
    func emptyStateAndAttempts() throws {
        let fx = try MentorshipFixture(started: false)
        let state = try fx.state()
        #expect(state.revision == nil)
        #expect(state.status == .notStarted)
        #expect(state.start == nil)
        #expect(state.goals.isEmpty && state.sessions.isEmpty && state.tasks.isEmpty)
        #expect(AccountabilityLedger(ledger: fx.ledger, maximumAttempts: 0).maximumAttempts == 1)
        #expect(fx.log.maximumAttempts == 8)
    }
}
