public import EventLedger

/// Every built-in mentorship event, as one closed enum: what commands carry, what the mentorship
/// state folds and what the simulator produces.
public enum AccountabilityEvent: Sendable, Hashable {
    /// A ``MentorshipStarted``.
    case mentorshipStarted(MentorshipStarted)
    /// A ``MentorshipPaused``.
    case mentorshipPaused(MentorshipPaused)
    /// A ``MentorshipResumed``.
    case mentorshipResumed(MentorshipResumed)
    /// A ``MentorshipEnded``.
    case mentorshipEnded(MentorshipEnded)
    /// A ``GoalSet``.
    case goalSet(GoalSet)
    /// A ``GoalRevised``.
    case goalRevised(GoalRevised)
    /// A ``GoalProgressRecorded``.
    case goalProgressRecorded(GoalProgressRecorded)
    /// A ``GoalAchieved``.
    case goalAchieved(GoalAchieved)
    /// A ``GoalAbandoned``.
    case goalAbandoned(GoalAbandoned)
    /// A ``SessionScheduled``.
    case sessionScheduled(SessionScheduled)
    /// A ``SessionHeld``.
    case sessionHeld(SessionHeld)
    /// A ``SessionCancelled``.
    case sessionCancelled(SessionCancelled)
    /// A ``SessionMissed``.
    case sessionMissed(SessionMissed)
    /// A ``TaskAssigned``.
    case taskAssigned(TaskAssigned)
    /// A ``TaskCompleted``.
    case taskCompleted(TaskCompleted)
    /// A ``TaskCancelled``.
    case taskCancelled(TaskCancelled)
    /// A ``FeedbackGiven``.
    case feedbackGiven(FeedbackGiven)
    /// A ``NudgeSent``.
    case nudgeSent(NudgeSent)

    /// Every built-in type, in catalogue order.
    public static let allTypes: [any AccountabilityEventType.Type] = [
        MentorshipStarted.self, MentorshipPaused.self, MentorshipResumed.self, MentorshipEnded.self,
        GoalSet.self, GoalRevised.self, GoalProgressRecorded.self, GoalAchieved.self, GoalAbandoned.self,
        SessionScheduled.self, SessionHeld.self, SessionCancelled.self, SessionMissed.self,
        TaskAssigned.self, TaskCompleted.self, TaskCancelled.self, FeedbackGiven.self, NudgeSent.self,
    ]

    /// The wrapped event.
    public var event: any AccountabilityEventType {
        switch self {
        case .mentorshipStarted(let e): e
        case .mentorshipPaused(let e): e
        case .mentorshipResumed(let e): e
        case .mentorshipEnded(let e): e
        case .goalSet(let e): e
        case .goalRevised(let e): e
        case .goalProgressRecorded(let e): e
        case .goalAchieved(let e): e
        case .goalAbandoned(let e): e
        case .sessionScheduled(let e): e
        case .sessionHeld(let e): e
        case .sessionCancelled(let e): e
        case .sessionMissed(let e): e
        case .taskAssigned(let e): e
        case .taskCompleted(let e): e
        case .taskCancelled(let e): e
        case .feedbackGiven(let e): e
        case .nudgeSent(let e): e
        }
    }

    /// The stored type name.
    public var eventType: String { type(of: event).eventType }

    /// Decodes a payload of a built-in type; `nil` when `eventType` is not a built-in type (a user's
    /// own type, for example).
    ///
    /// - Throws: ``EventPayloadError`` when the bytes do not decode, or when the schema version is
    ///   newer than this program knows.
    public static func decode(eventType: String, schemaVersion: UInt16, payload: UnsafeRawBufferPointer) throws -> AccountabilityEvent? {
        switch eventType {
        case MentorshipStarted.eventType: .mentorshipStarted(try decodePayload(payload, schemaVersion))
        case MentorshipPaused.eventType: .mentorshipPaused(try decodePayload(payload, schemaVersion))
        case MentorshipResumed.eventType: .mentorshipResumed(try decodePayload(payload, schemaVersion))
        case MentorshipEnded.eventType: .mentorshipEnded(try decodePayload(payload, schemaVersion))
        case GoalSet.eventType: .goalSet(try decodePayload(payload, schemaVersion))
        case GoalRevised.eventType: .goalRevised(try decodePayload(payload, schemaVersion))
        case GoalProgressRecorded.eventType: .goalProgressRecorded(try decodePayload(payload, schemaVersion))
        case GoalAchieved.eventType: .goalAchieved(try decodePayload(payload, schemaVersion))
        case GoalAbandoned.eventType: .goalAbandoned(try decodePayload(payload, schemaVersion))
        case SessionScheduled.eventType: .sessionScheduled(try decodePayload(payload, schemaVersion))
        case SessionHeld.eventType: .sessionHeld(try decodePayload(payload, schemaVersion))
        case SessionCancelled.eventType: .sessionCancelled(try decodePayload(payload, schemaVersion))
        case SessionMissed.eventType: .sessionMissed(try decodePayload(payload, schemaVersion))
        case TaskAssigned.eventType: .taskAssigned(try decodePayload(payload, schemaVersion))
        case TaskCompleted.eventType: .taskCompleted(try decodePayload(payload, schemaVersion))
        case TaskCancelled.eventType: .taskCancelled(try decodePayload(payload, schemaVersion))
        case FeedbackGiven.eventType: .feedbackGiven(try decodePayload(payload, schemaVersion))
        case NudgeSent.eventType: .nudgeSent(try decodePayload(payload, schemaVersion))
        default: nil
        }
    }

    /// The built-in type names in catalogue order: a projection's `eventTypes` for
    /// ``decode(typeIndex:record:)``.
    public static let typeNames: [String] = allTypes.map { $0.eventType }

    /// Decodes a record whose type is `typeNames[typeIndex]`: the fast path of a projection over
    /// the built-in types (one switch on an integer, no string comparison).
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` naming the position when the payload does not
    ///   decode; ``LedgerError/Code/invalidRequest`` for an index outside `typeNames`.
    @inlinable
    public static func decode(typeIndex: Int, record: EventRecord) throws -> AccountabilityEvent {
        let payload = record.payload, version = record.schemaVersion
        do {
            switch typeIndex {
            case 0: return .mentorshipStarted(try decodePayload(payload, version))
            case 1: return .mentorshipPaused(try decodePayload(payload, version))
            case 2: return .mentorshipResumed(try decodePayload(payload, version))
            case 3: return .mentorshipEnded(try decodePayload(payload, version))
            case 4: return .goalSet(try decodePayload(payload, version))
            case 5: return .goalRevised(try decodePayload(payload, version))
            case 6: return .goalProgressRecorded(try decodePayload(payload, version))
            case 7: return .goalAchieved(try decodePayload(payload, version))
            case 8: return .goalAbandoned(try decodePayload(payload, version))
            case 9: return .sessionScheduled(try decodePayload(payload, version))
            case 10: return .sessionHeld(try decodePayload(payload, version))
            case 11: return .sessionCancelled(try decodePayload(payload, version))
            case 12: return .sessionMissed(try decodePayload(payload, version))
            case 13: return .taskAssigned(try decodePayload(payload, version))
            case 14: return .taskCompleted(try decodePayload(payload, version))
            case 15: return .taskCancelled(try decodePayload(payload, version))
            case 16: return .feedbackGiven(try decodePayload(payload, version))
            case 17: return .nudgeSent(try decodePayload(payload, version))
            default:
                throw LedgerError(.invalidRequest, "type index \(typeIndex) is not one of the \(typeNames.count) built-in types", position: record.position)
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.corruptRecord, "payload of \(typeNames[typeIndex]) at position \(record.position) does not decode: \(error)", position: record.position)
        }
    }

    /// Decodes a stored record of a built-in type; `nil` for other types.
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` naming the position when the payload does not
    ///   decode.
    public static func decode(_ record: EventRecord, in reader: LedgerReader) throws -> AccountabilityEvent? {
        let type = try reader.eventType(of: record)
        do {
            return try decode(eventType: type, schemaVersion: record.schemaVersion, payload: record.payload)
        } catch {
            throw LedgerError(.corruptRecord, "payload of \(type) at position \(record.position) does not decode: \(error)", position: record.position)
        }
    }

    /// Decodes a payload as `E`, checking its schema version and that every byte is consumed.
    @usableFromInline
    static func decodePayload<E: LedgerEvent>(_ payload: UnsafeRawBufferPointer, _ schemaVersion: UInt16) throws -> E {
        guard schemaVersion >= 1, schemaVersion <= E.schemaVersion else {
            throw EventPayloadError(offset: 0, reason: "\(E.eventType) schema version \(schemaVersion) is not one this program reads (1 to \(E.schemaVersion))")
        }
        var reader = EventPayloadReader(payload)
        let event = try E(payload: &reader, schemaVersion: schemaVersion)
        try reader.expectEnd(E.eventType)
        return event
    }
}

extension EventTypeRegistry {
    /// A registry holding every built-in mentorship event type.
    public static func accountability() throws -> EventTypeRegistry {
        var registry = EventTypeRegistry()
        try registry.registerAccountabilityEvents()
        return registry
    }

    /// Registers every built-in mentorship event type (next to a user's own types).
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when a user's type already took a built-in
    ///   name.
    public mutating func registerAccountabilityEvents() throws {
        for type in AccountabilityEvent.allTypes {
            try register(builtIn: type)
        }
    }

    private mutating func register<E: AccountabilityEventType>(builtIn type: E.Type) throws {
        try register(type)
    }
}
