import EventLedger
import Foundation

/// Writes a built-in event as the `data` object of an interchange line (Docs/ExportFormat.md): the
/// inverse of ``InterchangeDataDecoder``. Absent optional fields are left out.
enum InterchangeDataEncoder {
    static func encode(_ event: AccountabilityEvent) -> JSONObject {
        var data = ObjectBuilder()
        switch event {
        case .mentorshipStarted(let e):
            data.add("mentor", e.mentor); data.add("mentee", e.mentee); data.add("program", e.program)
            data.add("cadenceDays", e.cadenceDays); data.add("plannedEnd", e.plannedEnd)
        case .mentorshipPaused(let e):
            data.add("reason", e.reason); data.add("until", e.until)
        case .mentorshipResumed:
            break
        case .mentorshipEnded(let e):
            data.add("endedBy", e.endedBy.name); data.add("reason", e.reason.name)
        case .goalSet(let e):
            data.add("goal", e.goal); data.add("owner", e.owner); data.add("title", e.title)
            var metric = ObjectBuilder()
            metric.add("name", e.metric.name); metric.add("unit", e.metric.unit)
            metric.add("baseline", e.metric.baseline); metric.add("target", e.metric.target)
            data.members.append(JSONMember(key: "metric", value: .object(JSONObject(metric.members))))
            data.add("mentorAgreed", e.mentorAgreed); data.add("rationale", e.rationale); data.add("deadline", e.deadline)
        case .goalRevised(let e):
            data.add("goal", e.goal); data.add("reason", e.reason); data.add("target", e.target); data.add("deadline", e.deadline)
        case .goalProgressRecorded(let e):
            data.add("goal", e.goal); data.add("value", e.value); data.add("note", e.note)
        case .goalAchieved(let e):
            data.add("goal", e.goal); data.add("finalValue", e.finalValue)
        case .goalAbandoned(let e):
            data.add("goal", e.goal); data.add("reason", e.reason)
        case .sessionScheduled(let e):
            data.add("session", e.session); data.add("scheduledFor", e.scheduledFor); data.add("plannedMinutes", e.plannedMinutes)
        case .sessionHeld(let e):
            data.add("session", e.session); data.add("minutes", e.minutes); data.add("attendees", e.attendees)
            if !e.goals.isEmpty { data.add("goals", e.goals) }
        case .sessionCancelled(let e):
            data.add("session", e.session); data.add("cancelledBy", e.cancelledBy); data.add("reason", e.reason)
        case .sessionMissed(let e):
            data.add("session", e.session); data.add("absent", e.absent.name)
        case .taskAssigned(let e):
            data.add("task", e.task); data.add("assignee", e.assignee); data.add("due", e.due); data.add("goal", e.goal)
        case .taskCompleted(let e):
            data.add("task", e.task); data.add("evidence", e.evidence)
        case .taskCancelled(let e):
            data.add("task", e.task); data.add("reason", e.reason)
        case .feedbackGiven(let e):
            data.add("from", e.from); data.add("to", e.to); data.add("rating", e.rating)
            data.add("session", e.session); data.add("comment", e.comment)
        case .nudgeSent(let e):
            data.add("rule", e.rule.name); data.add("subject", e.subject); data.add("recipient", e.recipient)
        }
        return JSONObject(data.members)
    }
}

/// Builds the members of a JSON object in order, leaving out absent optionals.
struct ObjectBuilder {
    var members: [JSONMember] = []

    mutating func add(_ key: String, _ value: String?) {
        if let value { members.append(JSONMember(key: key, value: .string(value))) }
    }
    mutating func add(_ key: String, _ value: UUID?) {
        if let value { members.append(JSONMember(key: key, value: .string(UUIDText.lowercase(value)))) }
    }
    mutating func add(_ key: String, _ value: [UUID]) {
        members.append(JSONMember(key: key, value: .array(value.map { .string(UUIDText.lowercase($0)) })))
    }
    mutating func add(_ key: String, _ value: Int?) {
        if let value { members.append(JSONMember(key: key, value: .number(value))) }
    }
    mutating func add(_ key: String, _ value: UInt64) {
        members.append(JSONMember(key: key, value: .number(Int64(truncatingIfNeeded: value))))
    }
    mutating func add(_ key: String, _ value: Double?) {
        if let value { members.append(JSONMember(key: key, value: .number(value))) }
    }
    mutating func add(_ key: String, _ value: Bool) {
        members.append(JSONMember(key: key, value: .bool(value)))
    }
    mutating func add(_ key: String, _ value: Timestamp?) {
        if let value { members.append(JSONMember(key: key, value: .string(value.rfc3339))) }
    }
    mutating func add(_ key: String, _ value: JSONValue) {
        members.append(JSONMember(key: key, value: value))
    }
}
