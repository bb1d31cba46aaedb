import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// The per-mentorship record the five built-in read models fold: its binary row round-trips
/// exactly, a damaged row throws, and one record evaluated on its own gives that mentorship's
/// entries of the full reports.
@Suite("MentorshipRecord")
struct MentorshipRecordTests {
    /// The records of a seeded simulated program (each of the five states folds the same ones),
    /// and the times the reports are evaluated at.
    private struct Program {
        var progress: ProgressState
        var engagement: EngagementState
        var commitment: CommitmentState
        var health: ProgramHealthState
        var nudges: NudgeState
        var asOfs: [Timestamp]

        var records: [MentorshipRecord] { progress.records.inStartOrder }

        init(seed: UInt64 = 3, mentorships: Int = 30, months: Int = 3) throws {
            let directory = try TemporaryDirectory("records")
            let (ledger, config) = try ReadModelTestSupport.simulatedLedger(in: directory, seed: seed, mentorships: mentorships, months: months)
            defer { ledger.close() }
            progress = try ledger.replay(ProgressProjection()).state
            engagement = try ledger.replay(EngagementProjection()).state
            commitment = try ledger.replay(CommitmentProjection()).state
            health = try ledger.replay(ProgramHealthProjection()).state
            nudges = try ledger.replay(NudgeProjection()).state
            asOfs = [5, 17, 40, 63, Double(config.days), Double(config.days) + 45].map {
                config.start.adding(seconds: ReadModelTestSupport.seconds(days: $0))
            }
        }
    }

    @Test("the five states fold the same records, one per mentorship, in start order")
    func sameRecords() throws {
        let program = try Program()
        let records = program.progress.records
        #expect(records.count == 30)
        #expect(program.engagement.records == records)
        #expect(program.commitment.records == records)
        #expect(program.health.records == records)
        #expect(program.nudges.records == records)
        let positions = records.inStartOrder.map(\.startPosition)
        #expect(positions == positions.sorted())
        for (stream, record) in records.byStream {
            #expect(records[stream: stream] == record)
            #expect(record.eventCount >= 1)
            #expect(record.lastOccurredAt >= record.startedAt)
        }
    }

    @Test("every record round-trips its binary row exactly")
    func roundTrip() throws {
        let program = try Program()
        for record in program.records {
            let bytes = record.encoded
            #expect(bytes.first == 3, "format byte")
            let decoded = try MentorshipRecord(encoded: bytes)
            #expect(decoded == record)
            #expect(decoded.encoded == bytes)

            // Inside a larger payload: the row is self-delimiting.
            var writer = EventPayloadWriter()
            writer.write(UInt32(0xABCD_EF01))
            record.encode(into: &writer)
            writer.write(UInt8(7))
            let framed = writer.bytes
            try framed.withUnsafeBytes { raw in
                var reader = EventPayloadReader(raw)
                #expect(try reader.readUInt32() == 0xABCD_EF01)
                #expect(try MentorshipRecord(decoding: &reader) == record)
                #expect(try reader.readUInt8() == 7)
                try reader.expectEnd("framed record")
            }
        }
    }

    @Test("the records round-trip through JSON (each as its binary row)")
    func codableRoundTrip() throws {
        let program = try Program()
        let records = program.progress.records
        #expect(try ReadModelTestSupport.roundTrip(records) == records)
        #expect(try ReadModelTestSupport.roundTrip(program.nudges) == program.nudges)
    }

    @Test("a row truncated at any length throws")
    func truncation() throws {
        let program = try Program()
        for record in program.records {
            let bytes = record.encoded
            for length in 0..<bytes.count {
                #expect(throws: EventPayloadError.self) { try MentorshipRecord(encoded: Array(bytes.prefix(length))) }
            }
        }
    }

    @Test("a row with a flipped bit, another format byte or trailing bytes throws")
    func damage() throws {
        let program = try Program()
        let records = program.records
        // Every bit of the smallest and of the largest row, a spread of bits of the others.
        let bySize = records.sorted { $0.encoded.count < $1.encoded.count }
        for (index, record) in bySize.enumerated() {
            let bytes = record.encoded
            let bits = bytes.count * 8
            let stride = index == 0 || index == bySize.count - 1 ? 1 : Swift.max(1, bits / 500)
            for bit in Swift.stride(from: 0, to: bits, by: stride) {
                var damaged = bytes
                damaged[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
                #expect(throws: EventPayloadError.self, "bit \(bit) of \(bits)") { try MentorshipRecord(encoded: damaged) }
            }
            for older: UInt8 in [1, 2] {
                var format = bytes
                format[0] = older
                #expect(throws: EventPayloadError.self, "format \(older)") { try MentorshipRecord(encoded: format) }
            }
            #expect(throws: EventPayloadError.self) { try MentorshipRecord(encoded: bytes + [0]) }
        }
    }

    @Test("a damaged row in a checkpointed state is a decoding error")
    func damagedCodable() throws {
        let program = try Program()
        let json = try JSONEncoder().encode(program.progress.records)
        var entries = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        let row = try #require(entries[0]["row"] as? String)
        var bytes = try #require(Data(base64Encoded: row))
        bytes[bytes.count / 2] ^= 0x10
        entries[0]["row"] = bytes.base64EncodedString()
        let damaged = try JSONSerialization.data(withJSONObject: entries)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MentorshipRecords.self, from: damaged) }
    }

    @Test("each record evaluated on its own gives its mentorship's entries of the five reports")
    func singleRecordReports() throws {
        let program = try Program()
        var compared = 0
        for asOf in program.asOfs {
            let progress = program.progress.report(asOf: asOf)
            let engagement = program.engagement.report(asOf: asOf)
            let commitment = program.commitment.report(asOf: asOf)
            let health = program.health.report(asOf: asOf)
            let nudges = program.nudges.report(asOf: asOf)
            #expect(ProgressReport(records: program.records, asOf: asOf) == progress)
            #expect(NudgeReport(records: program.records, asOf: asOf) == nudges)

            for record in program.records {
                let id = record.mentorship
                let oneProgress = ProgressReport(records: [record], asOf: asOf)
                #expect(oneProgress.mentorships[id] == progress.mentorships[id])
                #expect(oneProgress.goals == progress.goals.filter { $0.mentorship == id })

                let oneEngagement = EngagementReport(records: [record], asOf: asOf)
                #expect(oneEngagement.mentorship(id) == engagement.mentorship(id))

                let oneCommitment = CommitmentReport(records: [record], asOf: asOf)
                #expect(oneCommitment.mentorships[id] == commitment.mentorships[id])

                let oneHealth = ProgramHealthReport(records: [record], asOf: asOf)
                #expect(oneHealth.pair(id) == health.pair(id))

                let oneNudges = NudgeReport(records: [record], asOf: asOf)
                #expect(oneNudges.nudges == nudges.nudges(in: id))

                // The public per-mentorship facts read from one record match the state's.
                let stream = try #require(program.engagement.records.byStream.first { $0.value == record }?.key)
                #expect(EngagementMentorshipFacts(record: record) == program.engagement.mentorships[stream])
                #expect(PairHealthFacts(record: record) == program.health.pairs[stream])

                if record.startedAt <= asOf { compared += 1 }
            }
        }
        #expect(compared > 30)
        // The simulated program exercises the rules: some nudges are due and some goals tracked.
        #expect(program.asOfs.contains { !program.nudges.report(asOf: $0).nudges.isEmpty })
        #expect(program.asOfs.contains { !program.progress.report(asOf: $0).goals.isEmpty })
    }
}
