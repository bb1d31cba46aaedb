public import Foundation

/// What `LedgerTestChild inspect <directory>` found (and the corruption campaign reads back) in a (possibly damaged) ledger: one line of
/// JSON, every field present (`null` when it does not apply).
///
/// - `openError`, `openErrorCode`: why a read-only open failed (then nothing else was tried).
/// - `verifyIntact`, `verifyError`, `faultKind`, `faultPosition`, `faultMessage`, `eventsChecked`,
///   `headPosition`, `headHash`: what `verify()` reported (`verifyError` when it threw instead).
/// - `replayError`, `replayErrorCode`, `replayErrorPosition`, `replayEvents`, `replayPosition`,
///   `replayState`: a full replay of ``SampleTally``.
/// - `contentDigest`, `contentEvents`, `contentError`, `contentErrorPosition`: a SHA-256 over the
///   ledger's data as the public API reads it: its id and creation time; for every record in log
///   order its position, stream name, type name, event id, canonical bytes, stored chain hash and
///   the position the event-id index gives for it; every stream with its revision and the
///   positions its index lists; the positions of each sample type's index; the head.
public struct LedgerInspection: Codable, Sendable {
    public var openError: String?
    public var openErrorCode: String?
    public var verifyIntact: Bool?
    public var verifyError: String?
    public var faultKind: String?
    public var faultPosition: UInt64?
    public var faultMessage: String?
    public var eventsChecked: UInt64?
    public var headPosition: UInt64?
    public var headHash: String?
    public var replayError: String?
    public var replayErrorCode: String?
    public var replayErrorPosition: UInt64?
    public var replayEvents: UInt64?
    public var replayPosition: UInt64?
    public var replayState: String?
    public var contentDigest: String?
    public var contentEvents: UInt64?
    public var contentError: String?
    public var contentErrorPosition: UInt64?

    /// An empty inspection: every field `nil`.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case openError, openErrorCode, verifyIntact, verifyError, faultKind, faultPosition, faultMessage, eventsChecked
        case headPosition, headHash, replayError, replayErrorCode, replayErrorPosition, replayEvents, replayPosition
        case replayState, contentDigest, contentEvents, contentError, contentErrorPosition
    }

    // Explicit, so that absent values are written as `null` rather than left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(openError, forKey: .openError)
        try c.encode(openErrorCode, forKey: .openErrorCode)
        try c.encode(verifyIntact, forKey: .verifyIntact)
        try c.encode(verifyError, forKey: .verifyError)
        try c.encode(faultKind, forKey: .faultKind)
        try c.encode(faultPosition, forKey: .faultPosition)
        try c.encode(faultMessage, forKey: .faultMessage)
        try c.encode(eventsChecked, forKey: .eventsChecked)
        try c.encode(headPosition, forKey: .headPosition)
        try c.encode(headHash, forKey: .headHash)
        try c.encode(replayError, forKey: .replayError)
        try c.encode(replayErrorCode, forKey: .replayErrorCode)
        try c.encode(replayErrorPosition, forKey: .replayErrorPosition)
        try c.encode(replayEvents, forKey: .replayEvents)
        try c.encode(replayPosition, forKey: .replayPosition)
        try c.encode(replayState, forKey: .replayState)
        try c.encode(contentDigest, forKey: .contentDigest)
        try c.encode(contentEvents, forKey: .contentEvents)
        try c.encode(contentError, forKey: .contentError)
        try c.encode(contentErrorPosition, forKey: .contentErrorPosition)
    }

    /// The inspection as one line of JSON (keys sorted).
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return #"{"childError":"cannot encode the inspection"}"# }
        return String(decoding: data, as: UTF8.self)
    }
}
