public import EventLedger
public import Foundation

/// A SMART goal is set for the mentee.
///
/// Its own checks (`validate()`): **S**pecific — a non-empty title; **M**easurable — a metric
/// name, a unit, a finite baseline and a finite target different from the baseline;
/// **A**chievable — the mentor agreed; **R**elevant — a rationale. **T**ime-bound — a deadline
/// after the time the goal is set — needs the event's occurred-at and is checked by
/// ``MentorshipRules``.
///
/// Payload v1: goal, owner (16 bytes each), title, metric name, unit (strings), baseline, target
/// (doubles), mentor agreed (bool), rationale (string), deadline (timestamp).
public struct GoalSet: AccountabilityEventType {
    public static let eventType = "GoalSet"
    /// The goal's id, new in the mentorship.
    public var goal: UUID
    /// Whose goal it is (the mentor or the mentee).
    public var owner: UUID
    /// What the goal is (Specific).
    public var title: String
    /// How it is measured (Measurable).
    public var metric: GoalMetric
    /// Whether the mentor agreed it is achievable (Achievable).
    public var mentorAgreed: Bool
    /// Why it matters (Relevant).
    public var rationale: String
    /// When it is due (Time-bound).
    public var deadline: Timestamp

    /// Creates the event.
    public init(goal: UUID, owner: UUID, title: String, metric: GoalMetric, mentorAgreed: Bool, rationale: String, deadline: Timestamp) {
        self.goal = goal
        self.owner = owner
        self.title = title
        self.metric = metric
        self.mentorAgreed = mentorAgreed
        self.rationale = rationale
        self.deadline = deadline
    }

    public var wrapped: AccountabilityEvent { .goalSet(self) }

    public func validate() throws {
        try FieldCheck.shortText(title, "title", rule: .goalNotSpecific)
        try FieldCheck.shortText(metric.name, "metric.name", rule: .goalNotMeasurable)
        try FieldCheck.shortText(metric.unit, "metric.unit", rule: .goalNotMeasurable)
        try FieldCheck.finite(metric.baseline, "metric.baseline", rule: .goalNotMeasurable)
        try FieldCheck.finite(metric.target, "metric.target", rule: .goalNotMeasurable)
        guard metric.target != metric.baseline else {
            throw AccountabilityError(.goalNotMeasurable, field: "metric.target", "metric.target equals metric.baseline (\(metric.baseline)); there is nothing to measure")
        }
        guard mentorAgreed else {
            throw AccountabilityError(.goalNotAchievable, field: "mentorAgreed", "the mentor has not agreed the goal is achievable")
        }
        try FieldCheck.longText(rationale, "rationale", required: true, rule: .goalNotRelevant)
    }

    public func encodePayload(into writer: inout EventPayloadWriter) {
        writer.write(goal)
        writer.write(owner)
        writer.write(title)
        writer.write(metric.name)
        writer.write(metric.unit)
        writer.write(metric.baseline)
        writer.write(metric.target)
        writer.write(mentorAgreed)
        writer.write(rationale)
        writer.write(deadline)
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        goal = try reader.readUUID()
        owner = try reader.readUUID()
        title = try reader.readString()
        let name = try reader.readString()
        let unit = try reader.readString()
        let baseline = try reader.readDouble()
        let target = try reader.readDouble()
        metric = GoalMetric(name: name, unit: unit, baseline: baseline, target: target)
        mentorAgreed = try reader.readBool()
        rationale = try reader.readString()
        deadline = try reader.readTimestamp()
    }
}
