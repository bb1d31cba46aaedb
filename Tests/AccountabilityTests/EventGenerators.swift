import Accountability
import EventLedger
import Foundation
import PropertyBased

/// PropertyBased generators for every built-in mentorship event, with arbitrary field values.
///
/// The values cover what the binary codecs can store, not what `validate()` accepts: empty and
/// multi-byte texts, negative, zero and huge numbers, times far outside any real calendar, ids of
/// every shape. Integer fields stay within what the codec stores (cadence and minutes as UInt16,
/// rating as one byte) because the round trip is about bytes.
enum AccountabilityGen {
    // MARK: - Fields

    /// Any UUID (all 128 bits random, so version and variant bits are arbitrary too).
    static let uuid = zip(Gen<UInt64>.uint64(), Gen<UInt64>.uint64()).map { high, low -> UUID in
        var b = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            b[i] = UInt8(truncatingIfNeeded: high >> (8 * i))
            b[8 + i] = UInt8(truncatingIfNeeded: low >> (8 * i))
        }
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    /// 0 to 10 arbitrary UUIDs (duplicates possible).
    static let uuids = uuid.array(of: 0...10)

    /// A character made of one scalar drawn from `range`; surrogate code points are skipped.
    private static func scalarCharacter(in range: ClosedRange<UInt32>) -> Generator<Character, some SendableSequenceType> {
        Gen<UInt32>.value(in: range).compactMap { Unicode.Scalar($0).map(Character.init) }
    }

    /// Characters that are easy to get wrong: NUL, multi-scalar graphemes, 2-, 3- and 4-byte UTF-8.
    private static let trickyCharacters: [Character] = [
        "\u{0}", "\u{7F}", "é", "e\u{301}", "ß", "€", "\u{FEFF}", "\u{FFFD}", "\u{10FFFF}",
        "日", "👍🏽", "👨‍👩‍👧", "🇫🇷", "\u{200D}", "\n",
    ]

    /// Any character: ASCII, Latin-1, the rest of the BMP, the whole scalar range, tricky ones.
    static let character = Gen<Character>.frequency(
        (weight: 3, gen: Gen<Character>.ascii),
        (weight: 1, gen: Gen<Character>.latin1),
        (weight: 2, gen: scalarCharacter(in: 0x80...0xFFFF)),
        (weight: 2, gen: scalarCharacter(in: 0...0x10FFFF)),
        (weight: 1, gen: Gen<Character?>.element(of: trickyCharacters).compactMap { $0 })
    )

    /// Any text of 0 to 16 characters (empty about 6% of the time), plus the empty string itself.
    static let string = Gen<String>.frequency(
        (weight: 1, gen: Gen<String>.always("")),
        (weight: 9, gen: character.string(of: 0...16))
    )

    /// Doubles that often break codecs: signed zeros, extremes, subnormals.
    private static let specialDoubles: [Double] = [
        0, -0.0, 1, -1, .pi, -.pi, .ulpOfOne,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        .leastNormalMagnitude, -.leastNormalMagnitude,
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
        9_007_199_254_740_992, -1e308, 1e-308,
    ]

    /// Any finite double: small, large, special, and every exponent (random bit patterns).
    static let double = Gen<Double>.frequency(
        (weight: 1, gen: Gen<Double?>.element(of: specialDoubles).compactMap { $0 }),
        (weight: 2, gen: Gen<Double>.double(in: -1_000...1_000)),
        (weight: 2, gen: Gen<Double>.double(in: -1e300...1e300)),
        (weight: 3, gen: Gen<UInt64>.uint64().compactMap { bits -> Double? in
            let value = Double(bitPattern: bits)
            return value.isFinite ? value : nil
        })
    )

    /// Any timestamp: the whole Int64 range, its edges, and realistic times (2000 to 2100).
    static let timestamp = Gen<Int64>.frequency(
        (weight: 2, gen: Gen<Int64>.int64()),
        (weight: 1, gen: Gen<Int64?>.element(of: [Int64.min, Int64.max, 0, -1, 1]).compactMap { $0 }),
        (weight: 2, gen: Gen<Int64>.int64(in: 946_684_800_000_000...4_102_444_800_000_000))
    ).map { Timestamp(microsecondsSinceEpoch: $0) }

    /// The full UInt16 range the codec stores for cadence and minutes.
    static let uint16Int = Gen<Int>.int(in: 0...Int(UInt16.max))
    /// The full byte range the codec stores for a rating.
    static let byteInt = Gen<Int>.int(in: 0...Int(UInt8.max))

    /// A UUID whose bytes are all `byte`: fixed ids for deterministic tests and fixtures.
    static func fixedUUID(_ byte: UInt8) -> UUID {
        UUID(uuid: (byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte))
    }

    // MARK: - Events

    static let mentorshipStarted = zip(uuid, uuid, uuid, uuid, uint16Int, timestamp.optional(valueRate: 0.5))
        .map { mentorship, mentor, mentee, program, cadence, plannedEnd in
            MentorshipStarted(mentorship: mentorship, mentor: mentor, mentee: mentee, program: program,
                              cadenceDays: cadence, plannedEnd: plannedEnd)
        }

    static let mentorshipPaused = zip(string, timestamp.optional(valueRate: 0.5))
        .map { reason, until in MentorshipPaused(reason: reason, until: until) }

    static let mentorshipResumed = Gen<MentorshipResumed>.always(MentorshipResumed())

    static let mentorshipEnded = zip(Gen<EndedBy>.case, Gen<EndReason>.case)
        .map { endedBy, reason in MentorshipEnded(endedBy: endedBy, reason: reason) }

    static let goalSet = zip(uuid, uuid, string, string, string, double, double, Gen<Bool>.bool, string, timestamp)
        .map { goal, owner, title, name, unit, baseline, target, agreed, rationale, deadline in
            GoalSet(goal: goal, owner: owner, title: title,
                    metric: GoalMetric(name: name, unit: unit, baseline: baseline, target: target),
                    mentorAgreed: agreed, rationale: rationale, deadline: deadline)
        }

    static let goalRevised = zip(uuid, string, double.optional(valueRate: 0.5), timestamp.optional(valueRate: 0.5))
        .map { goal, reason, target, deadline in GoalRevised(goal: goal, reason: reason, target: target, deadline: deadline) }

    static let goalProgressRecorded = zip(uuid, double, string.optional(valueRate: 0.5))
        .map { goal, value, note in GoalProgressRecorded(goal: goal, value: value, note: note) }

    static let goalAchieved = zip(uuid, double.optional(valueRate: 0.5))
        .map { goal, finalValue in GoalAchieved(goal: goal, finalValue: finalValue) }

    static let goalAbandoned = zip(uuid, string)
        .map { goal, reason in GoalAbandoned(goal: goal, reason: reason) }

    static let sessionScheduled = zip(uuid, timestamp, uint16Int)
        .map { session, scheduledFor, minutes in
            SessionScheduled(session: session, scheduledFor: scheduledFor, plannedMinutes: minutes)
        }

    static let sessionHeld = zip(uuid, uint16Int, uuids, uuids)
        .map { session, minutes, attendees, goals in
            SessionHeld(session: session, minutes: minutes, attendees: attendees, goals: goals)
        }

    static let sessionCancelled = zip(uuid, uuid, string)
        .map { session, by, reason in SessionCancelled(session: session, cancelledBy: by, reason: reason) }

    static let sessionMissed = zip(uuid, Gen<AbsentParty>.case)
        .map { session, absent in SessionMissed(session: session, absent: absent) }

    static let taskAssigned = zip(uuid, uuid, timestamp, uuid.optional(valueRate: 0.5))
        .map { task, assignee, due, goal in TaskAssigned(task: task, assignee: assignee, due: due, goal: goal) }

    static let taskCompleted = zip(uuid, string.optional(valueRate: 0.5))
        .map { task, evidence in TaskCompleted(task: task, evidence: evidence) }

    static let taskCancelled = zip(uuid, string)
        .map { task, reason in TaskCancelled(task: task, reason: reason) }

    static let feedbackGiven = zip(uuid, uuid, byteInt, uuid.optional(valueRate: 0.5), string.optional(valueRate: 0.5))
        .map { from, to, rating, session, comment in
            FeedbackGiven(from: from, to: to, rating: rating, session: session, comment: comment)
        }

    static let nudgeSent = zip(Gen<NudgeRule>.case, uuid, uuid)
        .map { rule, subject, recipient in NudgeSent(rule: rule, subject: subject, recipient: recipient) }

    /// Any built-in event, each of the 18 types equally likely.
    static let event = Gen<AccountabilityEvent>.oneOf(
        mentorshipStarted.map(AccountabilityEvent.mentorshipStarted),
        mentorshipPaused.map(AccountabilityEvent.mentorshipPaused),
        mentorshipResumed.map(AccountabilityEvent.mentorshipResumed),
        mentorshipEnded.map(AccountabilityEvent.mentorshipEnded),
        goalSet.map(AccountabilityEvent.goalSet),
        goalRevised.map(AccountabilityEvent.goalRevised),
        goalProgressRecorded.map(AccountabilityEvent.goalProgressRecorded),
        goalAchieved.map(AccountabilityEvent.goalAchieved),
        goalAbandoned.map(AccountabilityEvent.goalAbandoned),
        sessionScheduled.map(AccountabilityEvent.sessionScheduled),
        sessionHeld.map(AccountabilityEvent.sessionHeld),
        sessionCancelled.map(AccountabilityEvent.sessionCancelled),
        sessionMissed.map(AccountabilityEvent.sessionMissed),
        taskAssigned.map(AccountabilityEvent.taskAssigned),
        taskCompleted.map(AccountabilityEvent.taskCompleted),
        taskCancelled.map(AccountabilityEvent.taskCancelled),
        feedbackGiven.map(AccountabilityEvent.feedbackGiven),
        nudgeSent.map(AccountabilityEvent.nudgeSent)
    )
}

/// One event of every built-in type with values that pass `validate()`, in catalogue order.
enum ValidAccountabilityEvents {
    static let mentorship = AccountabilityGen.fixedUUID(0x01)
    static let mentor = AccountabilityGen.fixedUUID(0x02)
    static let mentee = AccountabilityGen.fixedUUID(0x03)
    static let program = AccountabilityGen.fixedUUID(0x04)
    static let goal = AccountabilityGen.fixedUUID(0x05)
    static let session = AccountabilityGen.fixedUUID(0x06)
    static let task = AccountabilityGen.fixedUUID(0x07)
    static let admin = AccountabilityGen.fixedUUID(0x08)
    /// 2026-01-01T00:00:00Z.
    static let start = Timestamp(microsecondsSinceEpoch: 1_767_225_600_000_000)

    static func day(_ n: Double) -> Timestamp { start.adding(seconds: n * 86_400) }

    static let all: [AccountabilityEvent] = [
        .mentorshipStarted(MentorshipStarted(mentorship: mentorship, mentor: mentor, mentee: mentee, program: program,
                                             cadenceDays: 14, plannedEnd: day(180))),
        .mentorshipPaused(MentorshipPaused(reason: "Vacances d'été ☀️", until: day(30))),
        .mentorshipResumed(MentorshipResumed()),
        .mentorshipEnded(MentorshipEnded(endedBy: .mentee, reason: .completed)),
        .goalSet(GoalSet(goal: goal, owner: mentee, title: "Merge more pull requests",
                         metric: GoalMetric(name: "weekly PRs merged", unit: "PRs", baseline: 0.5, target: 4),
                         mentorAgreed: true, rationale: "Grow into a reviewer role 🚀", deadline: day(90))),
        .goalRevised(GoalRevised(goal: goal, reason: "Too ambitious", target: 3, deadline: day(120))),
        .goalProgressRecorded(GoalProgressRecorded(goal: goal, value: -2.25, note: "Régression")),
        .goalAchieved(GoalAchieved(goal: goal, finalValue: 1e9)),
        .goalAbandoned(GoalAbandoned(goal: AccountabilityGen.fixedUUID(0x15), reason: "目標を変更")),
        .sessionScheduled(SessionScheduled(session: session, scheduledFor: day(7), plannedMinutes: 60)),
        .sessionHeld(SessionHeld(session: session, minutes: 720, attendees: [mentor, mentee], goals: [goal, AccountabilityGen.fixedUUID(0x15)])),
        .sessionCancelled(SessionCancelled(session: AccountabilityGen.fixedUUID(0x16), cancelledBy: mentor, reason: "Sick")),
        .sessionMissed(SessionMissed(session: AccountabilityGen.fixedUUID(0x26), absent: .both)),
        .taskAssigned(TaskAssigned(task: task, assignee: mentee, due: day(10), goal: goal)),
        .taskCompleted(TaskCompleted(task: task, evidence: "https://example.com/pr/1")),
        .taskCancelled(TaskCancelled(task: AccountabilityGen.fixedUUID(0x17), reason: "No longer relevant")),
        .feedbackGiven(FeedbackGiven(from: mentee, to: mentor, rating: 5, session: session, comment: nil)),
        .nudgeSent(NudgeSent(rule: .noShowStreak, subject: mentorship, recipient: admin)),
    ]
}
