import Accountability
import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Testing

/// A read model state that reports as of a time, with a canonical digest.
protocol DigestingState: Codable, Sendable, Equatable {
    func digest(asOf: Timestamp) -> String
}

extension ProgressState: DigestingState { func digest(asOf: Timestamp) -> String { report(asOf: asOf).digest } }
extension EngagementState: DigestingState { func digest(asOf: Timestamp) -> String { report(asOf: asOf).digest } }
extension CommitmentState: DigestingState { func digest(asOf: Timestamp) -> String { report(asOf: asOf).digest } }
extension ProgramHealthState: DigestingState { func digest(asOf: Timestamp) -> String { report(asOf: asOf).digest } }
extension NudgeState: DigestingState { func digest(asOf: Timestamp) -> String { report(asOf: asOf).digest } }

/// The five read models over one simulated program: full replays, checkpointed catch-ups split at
/// random positions and time travel all agree, digest for digest.
@Suite("Read models: determinism and time travel")
final class ReadModelDeterminismTests {
    let directory: TemporaryDirectory
    let ledger: Ledger
    let end: Timestamp

    init() throws {
        directory = try TemporaryDirectory("read-models")
        let (ledger, config) = try ReadModelTestSupport.simulatedLedger(in: directory, seed: 11, mentorships: 25)
        self.ledger = ledger
        end = config.start.adding(seconds: Double(config.days) * 86_400)
    }

    deinit { ledger.close() }

    /// Full replay vs. catch-ups at random split points, compared by digest at several as-of times.
    private func checkSplits<P: Projection>(_ projection: P) throws where P.State: DigestingState {
        let head = try ledger.head().position
        let full = try ledger.replay(projection).state
        var random = SystemRandomNumberGenerator()
        for round in 0..<3 {
            let name = "\(projection.name).split\(round)"
            let renamed = Renamed(inner: projection, name: name)
            let checkpointed = try CheckpointedProjection(ledger: ledger, projection: renamed, eventsPerCheckpoint: UInt64.random(in: 1...500, using: &random))
            var splits = (0..<4).map { _ in UInt64.random(in: 1...head, using: &random) }.sorted()
            splits.append(head)
            var snapshot = try checkpointed.catchUp(through: splits[0])
            for split in splits.dropFirst() { snapshot = try checkpointed.catchUp(through: split) }
            #expect(snapshot.position == head)
            #expect(snapshot.state == full, "\(projection.name): catch-up split at \(splits)")
            for asOf in [end, end.adding(seconds: -20 * 86_400)] {
                #expect(snapshot.state.digest(asOf: asOf) == full.digest(asOf: asOf))
            }
            // What was stored (every eventsPerCheckpoint events, then on demand) is what comes back after a reload.
            _ = try checkpointed.checkpoint()
            #expect(try checkpointed.stored()?.state == full)
        }
    }

    /// The state as of position k equals a fold of the first k events one at a time.
    private func checkTimeTravel<P: Projection>(_ projection: P) throws where P.State: DigestingState {
        let head = try ledger.head().position
        var random = SystemRandomNumberGenerator()
        let ks = (0..<3).map { _ in UInt64.random(in: 0...min(head, 600), using: &random) }
        for k in ks {
            let travelled = try ledger.replay(projection, .all().through(position: k)).state
            var stepwise = projection.initialState
            for position in stride(from: UInt64(1), through: k, by: 1) {
                stepwise = try ledger.replay(projection, .all(from: position).through(position: position), from: stepwise).state
            }
            #expect(travelled == stepwise, "\(projection.name) as of position \(k)")
            let time = try ledger.read { reader in try reader.event(at: max(k, 1))?.recordedAt } ?? end
            #expect(travelled.digest(asOf: time) == stepwise.digest(asOf: time))
        }
    }

    @Test("progress") func progress() throws { try checkSplits(ProgressProjection()); try checkTimeTravel(ProgressProjection()) }
    @Test("engagement") func engagement() throws { try checkSplits(EngagementProjection()); try checkTimeTravel(EngagementProjection()) }
    @Test("commitment") func commitment() throws { try checkSplits(CommitmentProjection()); try checkTimeTravel(CommitmentProjection()) }
    @Test("program health") func health() throws { try checkSplits(ProgramHealthProjection()); try checkTimeTravel(ProgramHealthProjection()) }
    @Test("nudges") func nudges() throws { try checkSplits(NudgeProjection()); try checkTimeTravel(NudgeProjection()) }

    @Test("the same log and as-of time give the same digest in a second ledger written from the same seed")
    func digestsAcrossLedgers() throws {
        let other = try TemporaryDirectory("read-models-b")
        let (copy, _) = try ReadModelTestSupport.simulatedLedger(in: other, seed: 11, mentorships: 25)
        defer { copy.close() }
        #expect(try ledger.replay(ProgressProjection()).state.digest(asOf: end) == (try copy.replay(ProgressProjection()).state.digest(asOf: end)))
        #expect(try ledger.replay(NudgeProjection()).state.digest(asOf: end) == (try copy.replay(NudgeProjection()).state.digest(asOf: end)))
    }
}

/// A projection under another checkpoint name (so several catch-ups can run side by side).
struct Renamed<Inner: Projection>: Projection {
    let inner: Inner
    let name: String
    var version: UInt32 { inner.version }
    var initialState: Inner.State { inner.initialState }
    var eventTypes: [String] { inner.eventTypes }
    func decode(typeIndex: Int, record: EventRecord) throws -> Inner.Event { try inner.decode(typeIndex: typeIndex, record: record) }
    func apply(_ event: Inner.Event, record: EventRecord, to state: inout Inner.State) throws { try inner.apply(event, record: record, to: &state) }
}
