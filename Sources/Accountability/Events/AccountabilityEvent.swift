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
        guard let index = typeIndexByName[eventType] else { return nil }
        return try decode(typeIndex: index, payload: payload, schemaVersion: schemaVersion)
    }

    /// The built-in type names in catalogue order: a projection's `eventTypes` for
    /// ``decode(typeIndex:record:)``.
    public static let typeNames: [String] = allTypes.map { $0.eventType }

    /// The number of built-in types: `typeNames.count`, as a constant the hot path needs no
    /// global for.
    @usableFromInline static var typeCount: Int { 18 }

    /// The index of each built-in type name in ``typeNames``.
    static let typeIndexByName: [String: Int] = Dictionary(uniqueKeysWithValues: typeNames.enumerated().map { ($1, $0) })

    /// Decodes a record whose type is `typeNames[typeIndex]`: the fast path of a projection over
    /// the built-in types (one switch on an integer, no string comparison).
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` naming the position when the payload does not
    ///   decode; ``LedgerError/Code/invalidRequest`` for an index outside `typeNames`.
    @inlinable
    public static func decode(typeIndex: Int, record: EventRecord) throws -> AccountabilityEvent {
        guard typeIndex >= 0, typeIndex < typeCount else {
            throw LedgerError(.invalidRequest, "type index \(typeIndex) is not one of the \(typeNames.count) built-in types", position: record.position)
        }
        do {
            return try decode(typeIndex: typeIndex, payload: record.payload, schemaVersion: record.schemaVersion)
        } catch {
            throw LedgerError(.corruptRecord, "payload of \(typeNames[typeIndex]) at position \(record.position) does not decode: \(error)", position: record.position)
        }
    }

    /// Decodes a payload of `typeNames[typeIndex]` (an index in range), throwing
    /// ``EventPayloadError`` when the bytes do not decode: the one switch over the catalogue.
    @usableFromInline
    static func decode(typeIndex: Int, payload: UnsafeRawBufferPointer, schemaVersion version: UInt16) throws -> AccountabilityEvent {
        switch typeIndex {
        case 0: .mentorshipStarted(try decodePayload(payload, version))
        case 1: .mentorshipPaused(try decodePayload(payload, version))
        case 2: .mentorshipResumed(try decodePayload(payload, version))
        case 3: .mentorshipEnded(try decodePayload(payload, version))
        case 4: .goalSet(try decodePayload(payload, version))
        case 5: .goalRevised(try decodePayload(payload, version))
        case 6: .goalProgressRecorded(try decodePayload(payload, version))
        case 7: .goalAchieved(try decodePayload(payload, version))
        case 8: .goalAbandoned(try decodePayload(payload, version))
        case 9: .sessionScheduled(try decodePayload(payload, version))
        case 10: .sessionHeld(try decodePayload(payload, version))
        case 11: .sessionCancelled(try decodePayload(payload, version))
        case 12: .sessionMissed(try decodePayload(payload, version))
        case 13: .taskAssigned(try decodePayload(payload, version))
        case 14: .taskCompleted(try decodePayload(payload, version))
        case 15: .taskCancelled(try decodePayload(payload, version))
        case 16: .feedbackGiven(try decodePayload(payload, version))
        default: .nudgeSent(try decodePayload(payload, version))
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
