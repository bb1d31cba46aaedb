public import EventLedger
public import Foundation

/// One participant rates working with the other, optionally about one session.
///
/// Payload v1: from, to (16 bytes each), rating (1 byte), session (optional 16 bytes), comment
/// (optional string).
public struct FeedbackGiven: AccountabilityEventType {
    public static let eventType = "FeedbackGiven"
    /// Who gives it: the mentor or the mentee.
    public var from: UUID
    /// Who receives it: the other participant (nobody rates themselves).
    public var to: UUID
    /// 1 (poor) to 5 (excellent).
    public var rating: Int
    /// The session it is about, if any; must have been held.
    public var session: UUID?
    /// A comment, if any.
    public var comment: String?

    /// Creates the event.
    public init(from: UUID, to: UUID, rating: Int, session: UUID? = nil, comment: String? = nil) {
        self.from = from
        self.to = to
        self.rating = rating
        self.session = session
        self.comment = comment
    }

    public var wrapped: AccountabilityEvent { .feedbackGiven(self) }

    public func validate() throws {
        guard (1...5).contains(rating) else {
            throw AccountabilityError(.ratingOutOfRange, field: "rating", "rating is \(rating); it must be 1 to 5")
        }
        guard from != to else {
            throw AccountabilityError(.selfFeedback, field: "to", "feedback must go to someone other than its giver")
        }
        if let comment { try FieldCheck.longText(comment, "comment", required: false) }
    }

    public func encodePayload(into writer: inout EventPayloadWriter) throws {
        writer.write(from)
        writer.write(to)
        try writer.writeChecked(rating, as: UInt8.self, field: "rating")
        writer.writeOptional(session) { $0.write($1) }
        writer.writeOptional(comment) { $0.write($1) }
    }

    public init(payload reader: inout EventPayloadReader, schemaVersion: UInt16) throws {
        from = try reader.readUUID()
        to = try reader.readUUID()
        rating = Int(try reader.readUInt8())
        session = try reader.readOptional { try $0.readUUID() }
        comment = try reader.readOptional { try $0.readString() }
    }
}
