import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import PropertyBased
import Testing

// MARK: - Helpers

/// The payload `event` encodes to with its own codec.
private func payload(of event: some LedgerEvent) throws -> [UInt8] {
    var writer = EventPayloadWriter()
    try event.encodePayload(into: &writer)
    return writer.bytes
}

/// Decodes with the catalogue's decoder, as projections and commands do.
private func decode(_ eventType: String, _ schemaVersion: UInt16, _ bytes: [UInt8]) throws -> AccountabilityEvent? {
    try bytes.withUnsafeBytes { try AccountabilityEvent.decode(eventType: eventType, schemaVersion: schemaVersion, payload: $0) }
}

/// The current schema version of the event's type.
private func currentVersion(of event: AccountabilityEvent) -> UInt16 {
    type(of: event.event).schemaVersion
}

/// Encodes `event`, then decodes it three ways (the catalogue's decoder, the type's own
/// `init(payload:schemaVersion:)`, the registry the ledger uses) at the current schema version, and
/// expects the same event back each time, every byte consumed, and the same bytes when encoded again.
private func expectRoundTrip<E: AccountabilityEventType>(
    _ event: E, registry: EventTypeRegistry, sourceLocation: SourceLocation = #_sourceLocation
) {
    let bytes: [UInt8]
    do {
        bytes = try payload(of: event)
    } catch {
        Issue.record(error, "encoding \(event) threw", sourceLocation: sourceLocation)
        return
    }
    do {
        let decoded = try decode(E.eventType, E.schemaVersion, bytes)
        #expect(decoded == event.wrapped, "AccountabilityEvent.decode", sourceLocation: sourceLocation)
    } catch {
        Issue.record(error, "AccountabilityEvent.decode threw for \(event)", sourceLocation: sourceLocation)
    }
    do {
        let (decoded, atEnd): (E, Bool) = try bytes.withUnsafeBytes { buffer in
            var reader = EventPayloadReader(buffer)
            let decoded = try E(payload: &reader, schemaVersion: E.schemaVersion)
            return (decoded, reader.isAtEnd)
        }
        #expect(decoded == event, "init(payload:schemaVersion:)", sourceLocation: sourceLocation)
        #expect(atEnd, "the decoder left bytes of \(E.eventType) unread", sourceLocation: sourceLocation)
        // Byte-exact: also catches what == cannot see (-0.0 against 0.0).
        #expect(try payload(of: decoded) == bytes, "re-encoding changed the bytes", sourceLocation: sourceLocation)
    } catch {
        Issue.record(error, "init(payload:schemaVersion:) threw for \(event)", sourceLocation: sourceLocation)
    }
    do {
        let decoded = try bytes.withUnsafeBytes {
            try registry.decode(eventType: E.eventType, schemaVersion: E.schemaVersion, payload: $0)
        }
        #expect(decoded as? E == event, "EventTypeRegistry.decode", sourceLocation: sourceLocation)
    } catch {
        Issue.record(error, "EventTypeRegistry.decode threw for \(event)", sourceLocation: sourceLocation)
    }
}

/// `ProposedEvent`'s typed initialiser (which validates, then encodes), for an opened existential.
private func typedProposal<E: LedgerEvent>(_ event: E, id: UUID, occurredAt: Timestamp, actor: UUID) throws -> ProposedEvent {
    try ProposedEvent(event, id: id, occurredAt: occurredAt, actor: actor)
}

/// A byte field holding a ``PayloadEnum`` code, at a known offset of a known event's payload.
struct EnumField: Sendable, CustomTestStringConvertible {
    let field: String
    let event: AccountabilityEvent
    let offset: Int
    let validCodes: Set<UInt8>
    var testDescription: String { "\(event.eventType).\(field)" }
}

/// A one-byte flag (Bool or optional presence) at a known offset.
struct FlagField: Sendable, CustomTestStringConvertible {
    let field: String
    let event: AccountabilityEvent
    let offset: Int
    /// What the error must say.
    let expectedReason: String
    var testDescription: String { "\(event.eventType).\(field)" }
}

/// A payload whose length prefix claims more than the bytes left.
struct OversizedPayload: Sendable, CustomTestStringConvertible {
    let name: String
    let eventType: String
    let bytes: [UInt8]
    /// What the error must say.
    let expectedReason: String
    var testDescription: String { name }
}

@Suite("Event codecs")
struct EventCodecTests {
    /// Cases per property (env `PBT_COUNT`, default 200).
    static let count = ProcessInfo.processInfo.environment["PBT_COUNT"].flatMap(Int.init) ?? 200

    let registry: EventTypeRegistry

    init() throws {
        registry = try EventTypeRegistry.accountability()
    }

    private func checkRoundTrips<E: AccountabilityEventType>(
        _ generator: Generator<E, some SendableSequenceType>, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let registry = registry
        await propertyCheck(
            count: Self.count, input: generator,
            perform: { event in expectRoundTrip(event, registry: registry, sourceLocation: sourceLocation) },
            sourceLocation: sourceLocation)
    }

    // MARK: - Round trips, one property per type

    @Test func mentorshipStartedRoundTrips() async { await checkRoundTrips(AccountabilityGen.mentorshipStarted) }
    @Test func mentorshipPausedRoundTrips() async { await checkRoundTrips(AccountabilityGen.mentorshipPaused) }
    @Test func mentorshipResumedRoundTrips() async { await checkRoundTrips(AccountabilityGen.mentorshipResumed) }
    @Test func mentorshipEndedRoundTrips() async { await checkRoundTrips(AccountabilityGen.mentorshipEnded) }
    @Test func goalSetRoundTrips() async { await checkRoundTrips(AccountabilityGen.goalSet) }
    @Test func goalRevisedRoundTrips() async { await checkRoundTrips(AccountabilityGen.goalRevised) }
    @Test func goalProgressRecordedRoundTrips() async { await checkRoundTrips(AccountabilityGen.goalProgressRecorded) }
    @Test func goalAchievedRoundTrips() async { await checkRoundTrips(AccountabilityGen.goalAchieved) }
    @Test func goalAbandonedRoundTrips() async { await checkRoundTrips(AccountabilityGen.goalAbandoned) }
    @Test func sessionScheduledRoundTrips() async { await checkRoundTrips(AccountabilityGen.sessionScheduled) }
    @Test func sessionHeldRoundTrips() async { await checkRoundTrips(AccountabilityGen.sessionHeld) }
    @Test func sessionCancelledRoundTrips() async { await checkRoundTrips(AccountabilityGen.sessionCancelled) }
    @Test func sessionMissedRoundTrips() async { await checkRoundTrips(AccountabilityGen.sessionMissed) }
    @Test func taskAssignedRoundTrips() async { await checkRoundTrips(AccountabilityGen.taskAssigned) }
    @Test func taskCompletedRoundTrips() async { await checkRoundTrips(AccountabilityGen.taskCompleted) }
    @Test func taskCancelledRoundTrips() async { await checkRoundTrips(AccountabilityGen.taskCancelled) }
    @Test func feedbackGivenRoundTrips() async { await checkRoundTrips(AccountabilityGen.feedbackGiven) }
    @Test func nudgeSentRoundTrips() async { await checkRoundTrips(AccountabilityGen.nudgeSent) }

    /// Any event of the closed enum round-trips, and the enum's `event`/`wrapped`/`eventType` agree.
    @Test func anyAccountabilityEventRoundTrips() async {
        let registry = registry
        await propertyCheck(count: Self.count, input: AccountabilityGen.event) { event in
            expectRoundTrip(event.event, registry: registry)
            #expect(event.event.wrapped == event)
            #expect(event.eventType == type(of: event.event).eventType)
        }
    }

    /// The catalogue, the registry and the test generators all know the same 18 types.
    @Test func catalogueRegistryAndGeneratorsAgree() throws {
        let names = AccountabilityEvent.allTypes.map { $0.eventType }
        #expect(names.count == 18)
        #expect(Set(names).count == 18, "type names must be unique")
        #expect(registry.eventTypes == names.sorted())
        for type in AccountabilityEvent.allTypes {
            #expect(registry.schemaVersion(of: type.eventType) == type.schemaVersion)
        }
        #expect(ValidAccountabilityEvents.all.map(\.eventType) == names)
        var rng = Xoshiro(seed: (1, 2, 3, 4))
        var generated = Set<String>()
        for _ in 0..<1_000 { generated.insert(AccountabilityGen.event.run(using: &rng).eventType) }
        #expect(generated == Set(names))
        // A name that is not built in is not an error: it is somebody else's type.
        #expect(try decode("NotAnAccountabilityEvent", 1, []) == nil)
    }

    // MARK: - Damaged payloads

    /// A payload cut short anywhere is an error, never a crash and never a different event.
    @Test func everyStrictPrefixIsRejected() async {
        await propertyCheck(count: Self.count, input: AccountabilityGen.event) { event in
            let bytes: [UInt8]
            do { bytes = try payload(of: event.event) } catch { Issue.record(error); return }
            let version = currentVersion(of: event)
            for length in 0..<bytes.count {
                #expect(throws: EventPayloadError.self, "\(event.eventType) cut to \(length) of \(bytes.count) bytes") {
                    try decode(event.eventType, version, Array(bytes[..<length]))
                }
            }
        }
    }

    /// Extra bytes after a complete payload mean it is not what the codec wrote: rejected.
    @Test func trailingBytesAreRejected() async {
        await propertyCheck(count: Self.count, input: AccountabilityGen.event, Gen<UInt8>.uint8().array(of: 1...8)) { event, extra in
            let bytes: [UInt8]
            do { bytes = try payload(of: event.event) } catch { Issue.record(error); return }
            let error = #expect(throws: EventPayloadError.self) {
                try decode(event.eventType, currentVersion(of: event), bytes + extra)
            }
            #expect(error?.reason.contains("\(extra.count) unexpected trailing bytes after a \(event.eventType) payload") == true,
                    "\(String(describing: error))")
            #expect(error?.offset == bytes.count)
        }
    }

    /// Overwriting bytes of a valid payload never crashes: decoding either throws
    /// `EventPayloadError` or gives an event that encodes back to exactly those bytes.
    @Test func corruptedPayloadsFailCleanlyOrDecodeCanonically() async {
        let edits = zip(Gen<Int>.int(in: 0...Int.max), Gen<UInt8>.uint8()).array(of: 1...4)
        await propertyCheck(count: Self.count, input: AccountabilityGen.event, edits) { event, edits in
            var bytes: [UInt8]
            do { bytes = try payload(of: event.event) } catch { Issue.record(error); return }
            guard !bytes.isEmpty else { return }
            for (index, value) in edits { bytes[index % bytes.count] = value }
            do {
                let decoded = try #require(try decode(event.eventType, currentVersion(of: event), bytes))
                #expect(decoded.eventType == event.eventType)
                #expect(try payload(of: decoded.event) == bytes)
            } catch is EventPayloadError {
                // Rejected: fine.
            } catch {
                Issue.record(error, "decoding damaged \(event.eventType) bytes threw something other than EventPayloadError")
            }
        }
    }

    static let enumFields: [EnumField] = [
        EnumField(field: "endedBy", event: .mentorshipEnded(MentorshipEnded(endedBy: .admin, reason: .badFit)),
                  offset: 0, validCodes: Set(EndedBy.allCases.map(\.rawValue))),
        EnumField(field: "reason", event: .mentorshipEnded(MentorshipEnded(endedBy: .admin, reason: .badFit)),
                  offset: 1, validCodes: Set(EndReason.allCases.map(\.rawValue))),
        EnumField(field: "absent", event: .sessionMissed(SessionMissed(session: AccountabilityGen.fixedUUID(9), absent: .mentor)),
                  offset: 16, validCodes: Set(AbsentParty.allCases.map(\.rawValue))),
        EnumField(field: "rule", event: .nudgeSent(NudgeSent(rule: .inactive, subject: AccountabilityGen.fixedUUID(9),
                                                             recipient: AccountabilityGen.fixedUUID(10))),
                  offset: 0, validCodes: Set(NudgeRule.allCases.map(\.rawValue))),
    ]

    /// Every one of the 256 codes: the known ones decode to their case, every other one is an
    /// error naming the field, the code and its offset.
    @Test(arguments: enumFields)
    func unknownEnumCodesAreRejected(_ field: EnumField) throws {
        let base = try payload(of: field.event.event)
        let version = currentVersion(of: field.event)
        #expect(field.validCodes.contains(base[field.offset]), "the offset must point at the enum's byte")
        #expect(!field.validCodes.contains(0) && !field.validCodes.contains(200))
        for code in UInt8.min...UInt8.max {
            var bytes = base
            bytes[field.offset] = code
            if field.validCodes.contains(code) {
                let decoded = try #require(try decode(field.event.eventType, version, bytes))
                #expect(try payload(of: decoded.event) == bytes, "code \(code)")
            } else {
                let error = #expect(throws: EventPayloadError.self, "code \(code)") {
                    try decode(field.event.eventType, version, bytes)
                }
                #expect(error?.reason == "\(field.field) has unknown code \(code)")
                #expect(error?.offset == field.offset)
            }
        }
    }

    static let flagFields: [FlagField] = [
        // goal, owner (32) + three empty strings (12) + baseline, target (16) = 60.
        FlagField(field: "mentorAgreed",
                  event: .goalSet(GoalSet(goal: AccountabilityGen.fixedUUID(1), owner: AccountabilityGen.fixedUUID(2), title: "",
                                          metric: GoalMetric(name: "", unit: "", baseline: 0, target: 1),
                                          mentorAgreed: true, rationale: "", deadline: Timestamp(microsecondsSinceEpoch: 0))),
                  offset: 60, expectedReason: "a Bool must be 0 or 1"),
        FlagField(field: "finalValue", event: .goalAchieved(GoalAchieved(goal: AccountabilityGen.fixedUUID(1), finalValue: nil)),
                  offset: 16, expectedReason: "an optional's presence byte must be 0 or 1"),
        FlagField(field: "until", event: .mentorshipPaused(MentorshipPaused(reason: "", until: nil)),
                  offset: 4, expectedReason: "an optional's presence byte must be 0 or 1"),
    ]

    /// A Bool or an optional's presence byte other than 0 or 1 is an error, not a guess.
    @Test(arguments: flagFields)
    func flagBytesOtherThanZeroOrOneAreRejected(_ field: FlagField) throws {
        let base = try payload(of: field.event.event)
        #expect(base[field.offset] <= 1, "the offset must point at the flag byte")
        for value in UInt8(2)...UInt8.max {
            var bytes = base
            bytes[field.offset] = value
            let error = #expect(throws: EventPayloadError.self, "value \(value)") {
                try decode(field.event.eventType, currentVersion(of: field.event), bytes)
            }
            #expect(error?.reason.hasPrefix(field.expectedReason) == true)
            #expect(error?.offset == field.offset)
        }
    }

    // MARK: - Schema versions

    /// Version 0 and every version newer than the current one are refused with an error naming the
    /// version; the ledger's registry also refuses newer versions.
    @Test(arguments: AccountabilityEvent.allTypes.map { $0.eventType })
    func unsupportedSchemaVersionsAreRejected(_ eventType: String) throws {
        let event = try #require(ValidAccountabilityEvents.all.first { $0.eventType == eventType })
        let bytes = try payload(of: event.event)
        let current = currentVersion(of: event)
        #expect(try decode(eventType, current, bytes) == event)
        for version in [0, current + 1, current + 2, UInt16.max] {
            let error = #expect(throws: EventPayloadError.self, "version \(version)") {
                try decode(eventType, version, bytes)
            }
            #expect(error?.reason.contains("\(eventType) schema version \(version) ") == true, "\(String(describing: error))")
        }
        #expect(throws: EventPayloadError.self) {
            try bytes.withUnsafeBytes { try registry.decode(eventType: eventType, schemaVersion: current + 1, payload: $0) }
        }
    }

    /// SessionHeld is the one type past version 1: its v2 bytes are not a v1 payload (the goals
    /// count would be left over), and a v1 payload is not a v2 one (the goals count is missing).
    @Test func sessionHeldVersionsAreNotInterchangeable() throws {
        let held = SessionHeld(session: AccountabilityGen.fixedUUID(1), minutes: 30, attendees: [AccountabilityGen.fixedUUID(2)])
        let v2 = try payload(of: held)
        #expect(SessionHeld.schemaVersion == 2)
        #expect(throws: EventPayloadError.self) { try decode(SessionHeld.eventType, 1, v2) }
        let v1 = Array(v2.dropLast(4))
        #expect(try decode(SessionHeld.eventType, 1, v1) == .sessionHeld(held))
        #expect(throws: EventPayloadError.self) { try decode(SessionHeld.eventType, 2, v1) }
    }

    // MARK: - Length prefixes

    static let oversizedPayloads: [OversizedPayload] = {
        let session = AccountabilityGen.fixedUUID(0x51)
        let person = AccountabilityGen.fixedUUID(0x52)
        func bytes(_ build: (inout EventPayloadWriter) -> Void) -> [UInt8] {
            var writer = EventPayloadWriter()
            build(&writer)
            return writer.bytes
        }
        return [
            OversizedPayload(
                name: "SessionHeld attendees count 2^32-1", eventType: SessionHeld.eventType,
                bytes: bytes { $0.write(session); $0.write(UInt16(30)); $0.write(UInt32.max); $0.write(person); $0.write(UInt32(0)) },
                expectedReason: "an array claims 4294967295 elements but only 20 bytes are left"),
            OversizedPayload(
                name: "SessionHeld goals count 2^32-1", eventType: SessionHeld.eventType,
                bytes: bytes { $0.write(session); $0.write(UInt16(30)); $0.write(UInt32(1)); $0.write(person); $0.write(UInt32.max) },
                expectedReason: "an array claims 4294967295 elements but only 0 bytes are left"),
            // 20 bytes left would hold 20 one-byte elements but only one UUID: the bound is per UUID.
            OversizedPayload(
                name: "SessionHeld attendees count 2 with room for 1", eventType: SessionHeld.eventType,
                bytes: bytes { $0.write(session); $0.write(UInt16(30)); $0.write(UInt32(2)); $0.write(person); $0.write(UInt32(0)) },
                expectedReason: "an array claims 2 elements but only 20 bytes are left"),
            OversizedPayload(
                name: "GoalAbandoned reason length 2^32-1", eventType: GoalAbandoned.eventType,
                bytes: bytes { $0.write(session); $0.write(UInt32.max); $0.writeRawBytes(Array("abc".utf8)) },
                expectedReason: "payload ends before a string of 4294967295 bytes"),
            OversizedPayload(
                name: "MentorshipPaused reason length 2^31", eventType: MentorshipPaused.eventType,
                bytes: bytes { $0.write(UInt32(1) << 31); $0.write(UInt8(0)) },
                expectedReason: "payload ends before a string of 2147483648 bytes"),
        ]
    }()

    /// A damaged length prefix is checked against the bytes actually left before anything is
    /// reserved: a short payload claiming billions of elements fails at once, naming the claim.
    @Test(arguments: oversizedPayloads)
    func hugeLengthPrefixesInShortPayloadsAreRejected(_ damaged: OversizedPayload) throws {
        let version = try #require(registry.schemaVersion(of: damaged.eventType))
        let error = #expect(throws: EventPayloadError.self) { try decode(damaged.eventType, version, damaged.bytes) }
        #expect(error?.reason.hasPrefix(damaged.expectedReason) == true, "\(String(describing: error))")
    }

    // MARK: - Through a real ledger

    /// One valid event of every type, appended with the typed `ProposedEvent` initialiser, reads back
    /// equal at its current schema version, survives a reopen, and passes verification.
    @Test func everyEventTypeRoundTripsThroughALedger() throws {
        let directory = try TemporaryDirectory("codec-ledger")
        defer { withExtendedLifetime(directory) {} }
        let registry = try EventTypeRegistry.accountability()
        var options = LedgerOptions()
        options.clock = ManualClock(ValidAccountabilityEvents.start)
        let stream = MentorshipStream.name(of: ValidAccountabilityEvents.mentorship)
        let events = ValidAccountabilityEvents.all
        let ids = events.indices.map { AccountabilityGen.fixedUUID(UInt8(0xA0 + $0)) }

        do {
            let ledger = try Ledger(directory: directory.url, registry: registry, options: options)
            defer { ledger.close() }
            var proposed: [ProposedEvent] = []
            for (index, event) in events.enumerated() {
                proposed.append(try typedProposal(event.event, id: ids[index], occurredAt: ValidAccountabilityEvents.day(Double(index)),
                                                  actor: ValidAccountabilityEvents.mentor))
            }
            let result = try ledger.append(proposed, to: stream, expecting: .noStream)
            #expect(result.positions == 1..<19)
            let report = try ledger.verify()
            #expect(report.isIntact, "\(String(describing: report.firstFault))")
            #expect(report.payloadsDecoded == 18)
        }

        // Reopened: what was written is what is read.
        let ledger = try Ledger(directory: directory.url, registry: registry, options: options)
        defer { ledger.close() }
        let stored: [(AccountabilityEvent?, String, UInt16, UUID)] = try ledger.read { reader in
            var stored: [(AccountabilityEvent?, String, UInt16, UUID)] = []
            try reader.forEach(.stream(stream)) { record in
                stored.append((try AccountabilityEvent.decode(record, in: reader), try reader.eventType(of: record),
                               record.schemaVersion, record.id))
            }
            return stored
        }
        #expect(stored.map(\.0) == events.map { Optional($0) })
        #expect(stored.map(\.1) == events.map(\.eventType))
        #expect(stored.map(\.2) == events.map { currentVersion(of: $0) })
        #expect(stored.map(\.3) == ids)
    }

    /// Any codec-valid event, appended as raw bytes (an import), is stored byte for byte and
    /// decodes back equal when its own `validate()` accepts it; when `validate()` refuses it, the
    /// ledger refuses it too and writes nothing.
    @Test func arbitraryEventsThroughALedgerAreStoredExactlyOrRefused() async throws {
        let directory = try TemporaryDirectory("codec-ledger-any")
        defer { withExtendedLifetime(directory) {} }
        let ledger = try Ledger(directory: directory.url, registry: try EventTypeRegistry.accountability())
        defer { ledger.close() }
        await propertyCheck(count: Self.count, input: AccountabilityGen.event) { event in
            do {
                let bytes = try payload(of: event.event)
                let proposal = ProposedEvent(eventType: event.eventType, schemaVersion: currentVersion(of: event), payload: bytes)
                let isValid: Bool
                do { try event.event.validate(); isValid = true } catch { isValid = false }
                let before = try ledger.head()
                if isValid {
                    let result = try ledger.append([proposal], to: "codec/any")
                    #expect(result.positions == before.position + 1..<before.position + 2)
                    let (stored, storedBytes, version): (AccountabilityEvent?, [UInt8], UInt16) = try ledger.read { reader in
                        let record = try #require(try reader.event(at: result.positions.lowerBound))
                        return (try AccountabilityEvent.decode(record, in: reader), Array(record.payload), record.schemaVersion)
                    }
                    #expect(stored == event)
                    #expect(storedBytes == bytes)
                    #expect(version == currentVersion(of: event))
                } else {
                    let error = #expect(throws: LedgerError.self) { try ledger.append([proposal], to: "codec/any") }
                    #expect(error?.code == .invalidEvent)
                    #expect(try ledger.head() == before, "a refused event must leave the ledger unchanged")
                }
            } catch {
                Issue.record(error, "appending or reading \(event.eventType) threw")
            }
        }
        let report = try ledger.verify()
        #expect(report.isIntact, "\(String(describing: report.firstFault))")
    }
}
