public import Accountability
public import EventLedger
public import Foundation

/// Peer (c): one JSON document per event with Codable, feeding the same projections.
///
/// Each event is one JSON object: the envelope fields by name (identifiers as UUID strings, times
/// as microseconds, the chain hash as hex) and the event's own fields by name under `"event"`
/// (Codable mirrors of the 18 built-in types below). Documents are stored as NDJSON, 10,000 lines
/// per file, in a directory (setup, not timed). The timed part (``replay(_:directory:types:buffer:)``)
/// reads the files, decodes each line with `JSONDecoder` into the mirror, maps it to
/// `AccountabilityEvent` and applies it to the projection — the same projection value the ledger
/// replays — with the envelope fields in a record view (see ``PeerRecordBuffer``).
public enum JSONPeer {
    public static let documentsPerFile = 10_000

    /// Writes every event of `ledger` as NDJSON files in `directory` (setup). Returns the documents.
    @discardableResult
    public static func write(from ledger: Ledger, into directory: URL) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var lines = Data()
        var inFile = 0, files = 0, written = 0
        func flush() throws {
            guard inFile > 0 else { return }
            try lines.write(to: directory.appendingPathComponent(String(format: "events-%06d.ndjson", files)))
            files += 1
            inFile = 0
            lines.removeAll(keepingCapacity: true)
        }
        try ledger.read { reader in
            try reader.forEach(.all()) { record in
                guard let event = try AccountabilityEvent.decode(record, in: reader) else {
                    throw PeerError("JSON peer: the event at position \(record.position) is not a built-in type")
                }
                let hash = UnsafeRawBufferPointer(rebasing: record.storedBytes[(record.storedBytes.count - EnvelopeLayout.hashSize)...])
                let document = JSONEventDocument(envelope: PeerEnvelope(record), type: event.eventType,
                                                 chainHash: hash.map { String(format: "%02x", $0) }.joined(),
                                                 event: JSONEventBody(event))
                lines.append(try encoder.encode(document))
                lines.append(0x0A)
                inFile += 1
                written += 1
                if inFile == documentsPerFile { try flush() }
            }
        }
        try flush()
        return written
    }

    /// The timed part: reads every file in name order, decodes each line with `JSONDecoder`, maps
    /// it to `AccountabilityEvent` and applies it. Returns the state and the events applied.
    public static func replay<P: Projection>(_ projection: P, directory: URL, types: PeerTypeMap, buffer: PeerRecordBuffer) throws -> (state: P.State, events: Int) where P.Event == AccountabilityEvent {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".ndjson") }.sorted()
        let decoder = JSONDecoder()
        var state = projection.initialState
        var applied = 0
        for file in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            var start = data.startIndex
            while start < data.endIndex {
                let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
                defer { start = end + 1 }
                guard end > start else { continue }
                let document: JSONEventDocument
                do {
                    document = try decoder.decode(JSONEventDocument.self, from: data[start..<end])
                } catch {
                    throw PeerError("JSON peer: line at byte \(start - data.startIndex) of \(file) does not decode: \(error)")
                }
                guard types.index(of: document.envelope.typeTag) != nil else { continue }
                let event = try document.event.event()
                try buffer.write(document.envelope)
                try buffer.withRecord { record in try projection.apply(event, record: record, to: &state) }
                applied += 1
            }
        }
        return (state, applied)
    }
}

/// One event as a JSON document.
public struct JSONEventDocument: Codable {
    public var envelope: PeerEnvelope
    public var type: String
    public var chainHash: String
    public var event: JSONEventBody

    enum CodingKeys: String, CodingKey {
        case position, streamKey, revision, type, typeTag, schemaVersion, formatVersion, recordedAt, occurredAt
        case id, actor, correlationID, causationID, chainHash, event
    }

    public init(envelope: PeerEnvelope, type: String, chainHash: String, event: JSONEventBody) {
        self.envelope = envelope
        self.type = type
        self.chainHash = chainHash
        self.event = event
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        chainHash = try c.decode(String.self, forKey: .chainHash)
        let actor = try c.decodeIfPresent(UUID.self, forKey: .actor)
        let correlation = try c.decodeIfPresent(UUID.self, forKey: .correlationID)
        let causation = try c.decodeIfPresent(UUID.self, forKey: .causationID)
        let flags: UInt8 = (actor != nil ? 1 : 0) | (correlation != nil ? 2 : 0) | (causation != nil ? 4 : 0)
        envelope = PeerEnvelope(
            formatVersion: try c.decode(UInt8.self, forKey: .formatVersion), flags: flags,
            schemaVersion: try c.decode(UInt16.self, forKey: .schemaVersion),
            typeTag: try c.decode(UInt32.self, forKey: .typeTag),
            position: try c.decode(UInt64.self, forKey: .position),
            streamKey: try c.decode(UInt64.self, forKey: .streamKey),
            revision: try c.decode(UInt64.self, forKey: .revision),
            id: try c.decode(UUID.self, forKey: .id),
            recordedAt: try c.decode(Int64.self, forKey: .recordedAt),
            occurredAt: try c.decode(Int64.self, forKey: .occurredAt),
            actor: actor, correlationID: correlation, causationID: causation)
        let body = try c.superDecoder(forKey: .event)
        event = try JSONEventBody(type: type, from: body)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(envelope.position, forKey: .position)
        try c.encode(envelope.streamKey, forKey: .streamKey)
        try c.encode(envelope.revision, forKey: .revision)
        try c.encode(type, forKey: .type)
        try c.encode(envelope.typeTag, forKey: .typeTag)
        try c.encode(envelope.schemaVersion, forKey: .schemaVersion)
        try c.encode(envelope.formatVersion, forKey: .formatVersion)
        try c.encode(envelope.recordedAt, forKey: .recordedAt)
        try c.encode(envelope.occurredAt, forKey: .occurredAt)
        try c.encode(envelope.id, forKey: .id)
        try c.encodeIfPresent(envelope.actor, forKey: .actor)
        try c.encodeIfPresent(envelope.correlationID, forKey: .correlationID)
        try c.encodeIfPresent(envelope.causationID, forKey: .causationID)
        try c.encode(chainHash, forKey: .chainHash)
        try event.encode(to: c.superEncoder(forKey: .event))
    }
}

/// The event's fields by name: a Codable mirror per built-in type.
public enum JSONEventBody {
    case mentorshipStarted(MentorshipStartedJSON)
    case mentorshipPaused(MentorshipPausedJSON)
    case mentorshipResumed(MentorshipResumedJSON)
    case mentorshipEnded(MentorshipEndedJSON)
    case goalSet(GoalSetJSON)
    case goalRevised(GoalRevisedJSON)
    case goalProgressRecorded(GoalProgressRecordedJSON)
    case goalAchieved(GoalAchievedJSON)
    case goalAbandoned(GoalAbandonedJSON)
    case sessionScheduled(SessionScheduledJSON)
    case sessionHeld(SessionHeldJSON)
    case sessionCancelled(SessionCancelledJSON)
    case sessionMissed(SessionMissedJSON)
    case taskAssigned(TaskAssignedJSON)
    case taskCompleted(TaskCompletedJSON)
    case taskCancelled(TaskCancelledJSON)
    case feedbackGiven(FeedbackGivenJSON)
    case nudgeSent(NudgeSentJSON)

    public init(_ event: AccountabilityEvent) {
        switch event {
        case .mentorshipStarted(let e): self = .mentorshipStarted(.init(e))
        case .mentorshipPaused(let e): self = .mentorshipPaused(.init(e))
        case .mentorshipResumed: self = .mentorshipResumed(.init())
        case .mentorshipEnded(let e): self = .mentorshipEnded(.init(e))
        case .goalSet(let e): self = .goalSet(.init(e))
        case .goalRevised(let e): self = .goalRevised(.init(e))
        case .goalProgressRecorded(let e): self = .goalProgressRecorded(.init(e))
        case .goalAchieved(let e): self = .goalAchieved(.init(e))
        case .goalAbandoned(let e): self = .goalAbandoned(.init(e))
        case .sessionScheduled(let e): self = .sessionScheduled(.init(e))
        case .sessionHeld(let e): self = .sessionHeld(.init(e))
        case .sessionCancelled(let e): self = .sessionCancelled(.init(e))
        case .sessionMissed(let e): self = .sessionMissed(.init(e))
        case .taskAssigned(let e): self = .taskAssigned(.init(e))
        case .taskCompleted(let e): self = .taskCompleted(.init(e))
        case .taskCancelled(let e): self = .taskCancelled(.init(e))
        case .feedbackGiven(let e): self = .feedbackGiven(.init(e))
        case .nudgeSent(let e): self = .nudgeSent(.init(e))
        }
    }

    /// Decodes the body of a document of type `type`.
    public init(type: String, from decoder: any Decoder) throws {
        switch type {
        case MentorshipStarted.eventType: self = .mentorshipStarted(try .init(from: decoder))
        case MentorshipPaused.eventType: self = .mentorshipPaused(try .init(from: decoder))
        case MentorshipResumed.eventType: self = .mentorshipResumed(try .init(from: decoder))
        case MentorshipEnded.eventType: self = .mentorshipEnded(try .init(from: decoder))
        case GoalSet.eventType: self = .goalSet(try .init(from: decoder))
        case GoalRevised.eventType: self = .goalRevised(try .init(from: decoder))
        case GoalProgressRecorded.eventType: self = .goalProgressRecorded(try .init(from: decoder))
        case GoalAchieved.eventType: self = .goalAchieved(try .init(from: decoder))
        case GoalAbandoned.eventType: self = .goalAbandoned(try .init(from: decoder))
        case SessionScheduled.eventType: self = .sessionScheduled(try .init(from: decoder))
        case SessionHeld.eventType: self = .sessionHeld(try .init(from: decoder))
        case SessionCancelled.eventType: self = .sessionCancelled(try .init(from: decoder))
        case SessionMissed.eventType: self = .sessionMissed(try .init(from: decoder))
        case TaskAssigned.eventType: self = .taskAssigned(try .init(from: decoder))
        case TaskCompleted.eventType: self = .taskCompleted(try .init(from: decoder))
        case TaskCancelled.eventType: self = .taskCancelled(try .init(from: decoder))
        case FeedbackGiven.eventType: self = .feedbackGiven(try .init(from: decoder))
        case NudgeSent.eventType: self = .nudgeSent(try .init(from: decoder))
        default: throw PeerError("JSON peer: unknown event type \(type)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .mentorshipStarted(let e): try e.encode(to: encoder)
        case .mentorshipPaused(let e): try e.encode(to: encoder)
        case .mentorshipResumed(let e): try e.encode(to: encoder)
        case .mentorshipEnded(let e): try e.encode(to: encoder)
        case .goalSet(let e): try e.encode(to: encoder)
        case .goalRevised(let e): try e.encode(to: encoder)
        case .goalProgressRecorded(let e): try e.encode(to: encoder)
        case .goalAchieved(let e): try e.encode(to: encoder)
        case .goalAbandoned(let e): try e.encode(to: encoder)
        case .sessionScheduled(let e): try e.encode(to: encoder)
        case .sessionHeld(let e): try e.encode(to: encoder)
        case .sessionCancelled(let e): try e.encode(to: encoder)
        case .sessionMissed(let e): try e.encode(to: encoder)
        case .taskAssigned(let e): try e.encode(to: encoder)
        case .taskCompleted(let e): try e.encode(to: encoder)
        case .taskCancelled(let e): try e.encode(to: encoder)
        case .feedbackGiven(let e): try e.encode(to: encoder)
        case .nudgeSent(let e): try e.encode(to: encoder)
        }
    }

    /// The event.
    public func event() throws -> AccountabilityEvent {
        switch self {
        case .mentorshipStarted(let e): .mentorshipStarted(e.event)
        case .mentorshipPaused(let e): .mentorshipPaused(e.event)
        case .mentorshipResumed: .mentorshipResumed(MentorshipResumed())
        case .mentorshipEnded(let e): .mentorshipEnded(try e.event())
        case .goalSet(let e): .goalSet(e.event)
        case .goalRevised(let e): .goalRevised(e.event)
        case .goalProgressRecorded(let e): .goalProgressRecorded(e.event)
        case .goalAchieved(let e): .goalAchieved(e.event)
        case .goalAbandoned(let e): .goalAbandoned(e.event)
        case .sessionScheduled(let e): .sessionScheduled(e.event)
        case .sessionHeld(let e): .sessionHeld(e.event)
        case .sessionCancelled(let e): .sessionCancelled(e.event)
        case .sessionMissed(let e): .sessionMissed(try e.event())
        case .taskAssigned(let e): .taskAssigned(e.event)
        case .taskCompleted(let e): .taskCompleted(e.event)
        case .taskCancelled(let e): .taskCancelled(e.event)
        case .feedbackGiven(let e): .feedbackGiven(e.event)
        case .nudgeSent(let e): .nudgeSent(try e.event())
        }
    }
}

private func enumValue<E: RawRepresentable>(_ raw: UInt8, _: E.Type, _ field: String) throws -> E where E.RawValue == UInt8 {
    guard let value = E(rawValue: raw) else { throw PeerError("JSON peer: \(field) \(raw) is not a known value") }
    return value
}

private extension Optional where Wrapped == Int64 {
    var timestamp: Timestamp? { map { Timestamp(microsecondsSinceEpoch: $0) } }
}

public struct MentorshipStartedJSON: Codable {
    var mentorship: UUID, mentor: UUID, mentee: UUID, program: UUID, cadenceDays: Int, plannedEnd: Int64?
    init(_ e: MentorshipStarted) {
        mentorship = e.mentorship; mentor = e.mentor; mentee = e.mentee; program = e.program
        cadenceDays = e.cadenceDays; plannedEnd = e.plannedEnd?.microsecondsSinceEpoch
    }
    var event: MentorshipStarted {
        MentorshipStarted(mentorship: mentorship, mentor: mentor, mentee: mentee, program: program,
                          cadenceDays: cadenceDays, plannedEnd: plannedEnd.timestamp)
    }
}

public struct MentorshipPausedJSON: Codable {
    var reason: String, until: Int64?
    init(_ e: MentorshipPaused) { reason = e.reason; until = e.until?.microsecondsSinceEpoch }
    var event: MentorshipPaused { MentorshipPaused(reason: reason, until: until.timestamp) }
}

public struct MentorshipResumedJSON: Codable {
    init() {}
}

public struct MentorshipEndedJSON: Codable {
    var endedBy: UInt8, reason: UInt8
    init(_ e: MentorshipEnded) { endedBy = e.endedBy.rawValue; reason = e.reason.rawValue }
    func event() throws -> MentorshipEnded {
        MentorshipEnded(endedBy: try enumValue(endedBy, EndedBy.self, "endedBy"), reason: try enumValue(reason, EndReason.self, "reason"))
    }
}

public struct GoalMetricJSON: Codable {
    var name: String, unit: String, baseline: Double, target: Double
}

public struct GoalSetJSON: Codable {
    var goal: UUID, owner: UUID, title: String, metric: GoalMetricJSON, mentorAgreed: Bool, rationale: String, deadline: Int64
    init(_ e: GoalSet) {
        goal = e.goal; owner = e.owner; title = e.title
        metric = GoalMetricJSON(name: e.metric.name, unit: e.metric.unit, baseline: e.metric.baseline, target: e.metric.target)
        mentorAgreed = e.mentorAgreed; rationale = e.rationale; deadline = e.deadline.microsecondsSinceEpoch
    }
    var event: GoalSet {
        GoalSet(goal: goal, owner: owner, title: title,
                metric: GoalMetric(name: metric.name, unit: metric.unit, baseline: metric.baseline, target: metric.target),
                mentorAgreed: mentorAgreed, rationale: rationale, deadline: Timestamp(microsecondsSinceEpoch: deadline))
    }
}

public struct GoalRevisedJSON: Codable {
    var goal: UUID, reason: String, target: Double?, deadline: Int64?
    init(_ e: GoalRevised) { goal = e.goal; reason = e.reason; target = e.target; deadline = e.deadline?.microsecondsSinceEpoch }
    var event: GoalRevised { GoalRevised(goal: goal, reason: reason, target: target, deadline: deadline.timestamp) }
}

public struct GoalProgressRecordedJSON: Codable {
    var goal: UUID, value: Double, note: String?
    init(_ e: GoalProgressRecorded) { goal = e.goal; value = e.value; note = e.note }
    var event: GoalProgressRecorded { GoalProgressRecorded(goal: goal, value: value, note: note) }
}

public struct GoalAchievedJSON: Codable {
    var goal: UUID, finalValue: Double?
    init(_ e: GoalAchieved) { goal = e.goal; finalValue = e.finalValue }
    var event: GoalAchieved { GoalAchieved(goal: goal, finalValue: finalValue) }
}

public struct GoalAbandonedJSON: Codable {
    var goal: UUID, reason: String
    init(_ e: GoalAbandoned) { goal = e.goal; reason = e.reason }
    var event: GoalAbandoned { GoalAbandoned(goal: goal, reason: reason) }
}

public struct SessionScheduledJSON: Codable {
    var session: UUID, scheduledFor: Int64, plannedMinutes: Int
    init(_ e: SessionScheduled) { session = e.session; scheduledFor = e.scheduledFor.microsecondsSinceEpoch; plannedMinutes = e.plannedMinutes }
    var event: SessionScheduled {
        SessionScheduled(session: session, scheduledFor: Timestamp(microsecondsSinceEpoch: scheduledFor), plannedMinutes: plannedMinutes)
    }
}

public struct SessionHeldJSON: Codable {
    var session: UUID, minutes: Int, attendees: [UUID], goals: [UUID]
    init(_ e: SessionHeld) { session = e.session; minutes = e.minutes; attendees = e.attendees; goals = e.goals }
    var event: SessionHeld { SessionHeld(session: session, minutes: minutes, attendees: attendees, goals: goals) }
}

public struct SessionCancelledJSON: Codable {
    var session: UUID, cancelledBy: UUID, reason: String
    init(_ e: SessionCancelled) { session = e.session; cancelledBy = e.cancelledBy; reason = e.reason }
    var event: SessionCancelled { SessionCancelled(session: session, cancelledBy: cancelledBy, reason: reason) }
}

public struct SessionMissedJSON: Codable {
    var session: UUID, absent: UInt8
    init(_ e: SessionMissed) { session = e.session; absent = e.absent.rawValue }
    func event() throws -> SessionMissed { SessionMissed(session: session, absent: try enumValue(absent, AbsentParty.self, "absent")) }
}

public struct TaskAssignedJSON: Codable {
    var task: UUID, assignee: UUID, due: Int64, goal: UUID?
    init(_ e: TaskAssigned) { task = e.task; assignee = e.assignee; due = e.due.microsecondsSinceEpoch; goal = e.goal }
    var event: TaskAssigned { TaskAssigned(task: task, assignee: assignee, due: Timestamp(microsecondsSinceEpoch: due), goal: goal) }
}

public struct TaskCompletedJSON: Codable {
    var task: UUID, evidence: String?
    init(_ e: TaskCompleted) { task = e.task; evidence = e.evidence }
    var event: TaskCompleted { TaskCompleted(task: task, evidence: evidence) }
}

public struct TaskCancelledJSON: Codable {
    var task: UUID, reason: String
    init(_ e: TaskCancelled) { task = e.task; reason = e.reason }
    var event: TaskCancelled { TaskCancelled(task: task, reason: reason) }
}

public struct FeedbackGivenJSON: Codable {
    var from: UUID, to: UUID, rating: Int, session: UUID?, comment: String?
    init(_ e: FeedbackGiven) { from = e.from; to = e.to; rating = e.rating; session = e.session; comment = e.comment }
    var event: FeedbackGiven { FeedbackGiven(from: from, to: to, rating: rating, session: session, comment: comment) }
}

public struct NudgeSentJSON: Codable {
    var rule: UInt8, subject: UUID, recipient: UUID
    init(_ e: NudgeSent) { rule = e.rule.rawValue; subject = e.subject; recipient = e.recipient }
    func event() throws -> NudgeSent { NudgeSent(rule: try enumValue(rule, NudgeRule.self, "rule"), subject: subject, recipient: recipient) }
}
