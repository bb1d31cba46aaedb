/// The name of a domain rule a command broke: stable, so programs can branch on it.
///
/// Every rejection (``AccountabilityError``) carries one. The rules are documented where each is
/// checked (``MentorshipRules``) and listed in the README.
public struct AccountabilityRule: Hashable, Sendable, CustomStringConvertible {
    /// The rule's stable name, for example `goal.notSpecific`.
    public let name: String
    init(_ name: String) { self.name = name }
    public var description: String { name }

    // Authorisation
    /// Only the mentorship's mentor, mentee or an admin of its program may record its events.
    public static let notAuthorized = AccountabilityRule("authorization.notAParty")
    /// The event may only be recorded by an admin of the program.
    public static let adminOnly = AccountabilityRule("authorization.adminOnly")
    /// Feedback is recorded by the person giving it (or by an admin on their behalf).
    public static let feedbackOnBehalf = AccountabilityRule("authorization.feedbackOnBehalf")

    // Lifecycle
    /// Events other than MentorshipStarted need a started mentorship.
    public static let mentorshipNotStarted = AccountabilityRule("mentorship.notStarted")
    /// MentorshipStarted on a stream that already has events.
    public static let mentorshipAlreadyStarted = AccountabilityRule("mentorship.alreadyStarted")
    /// Nothing may be recorded on an ended mentorship.
    public static let mentorshipEnded = AccountabilityRule("mentorship.ended")
    /// Pause needs an active mentorship, resume a paused one.
    public static let mentorshipStatus = AccountabilityRule("mentorship.status")
    /// Mentor and mentee must be two different people.
    public static let sameParticipant = AccountabilityRule("mentorship.sameParticipant")
    /// A mentorship id in the event must match the stream it is recorded on.
    public static let mentorshipMismatch = AccountabilityRule("mentorship.mismatch")
    /// Cadence must be 1 to 365 days.
    public static let invalidCadence = AccountabilityRule("mentorship.invalidCadence")

    // SMART goals
    /// Specific: a goal needs a non-empty title.
    public static let goalNotSpecific = AccountabilityRule("goal.notSpecific")
    /// Measurable: metric name, unit, finite baseline and a finite target different from the baseline.
    public static let goalNotMeasurable = AccountabilityRule("goal.notMeasurable")
    /// Achievable: the mentor has agreed the goal.
    public static let goalNotAchievable = AccountabilityRule("goal.notAchievable")
    /// Relevant: a goal needs a rationale.
    public static let goalNotRelevant = AccountabilityRule("goal.notRelevant")
    /// Time-bound: the deadline must be after the time the goal is set (or revised).
    public static let goalNotTimeBound = AccountabilityRule("goal.notTimeBound")
    /// A revision must change the target or the deadline.
    public static let revisionChangesNothing = AccountabilityRule("goal.revisionChangesNothing")
    /// The goal id is not set in this mentorship.
    public static let unknownGoal = AccountabilityRule("goal.unknown")
    /// The goal was already achieved or abandoned.
    public static let goalClosed = AccountabilityRule("goal.closed")

    // Sessions
    /// The session id is not known in this mentorship.
    public static let unknownSession = AccountabilityRule("session.unknown")
    /// The session was already held, cancelled or missed.
    public static let sessionClosed = AccountabilityRule("session.closed")
    /// A held session needs at least one attendee.
    public static let noAttendees = AccountabilityRule("session.noAttendees")
    /// A duration must be 1 to 720 minutes.
    public static let invalidDuration = AccountabilityRule("session.invalidDuration")

    // Tasks
    /// The task was never assigned in this mentorship.
    public static let unknownTask = AccountabilityRule("task.unknown")
    /// The task was already completed or cancelled.
    public static let taskClosed = AccountabilityRule("task.closed")
    /// A task's due time must be after it is assigned.
    public static let taskDueInPast = AccountabilityRule("task.dueBeforeAssigned")

    // Feedback
    /// A rating must be 1 to 5.
    public static let ratingOutOfRange = AccountabilityRule("feedback.ratingOutOfRange")
    /// Nobody gives feedback to themselves.
    public static let selfFeedback = AccountabilityRule("feedback.toSelf")
    /// Feedback about a session needs a session that was held.
    public static let feedbackSessionNotHeld = AccountabilityRule("feedback.sessionNotHeld")

    // Shared
    /// A person named in the event is not the mentorship's mentor or mentee.
    public static let notAParticipant = AccountabilityRule("participant.notInMentorship")
    /// An id that must be new is already used in this mentorship.
    public static let duplicateID = AccountabilityRule("id.duplicate")
    /// A required text is empty or too long.
    public static let invalidText = AccountabilityRule("text.invalid")
    /// A number is not finite.
    public static let invalidNumber = AccountabilityRule("number.invalid")
    /// A time is out of order (before the mentorship started, or an end before its start).
    public static let invalidTime = AccountabilityRule("time.invalid")
}
