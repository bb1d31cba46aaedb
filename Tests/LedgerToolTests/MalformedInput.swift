import Foundation
import Testing

/// A malformed import line, the field its error must name and a phrase of the reason.
///
/// Every case sits on line 3 of a file whose lines 1-2 start a mentorship and hold a session, and
/// whose line 4 is valid: the import must stop at line 3 and write none of the four.
struct MalformedInput: Sendable, CustomTestStringConvertible {
    let name: String
    let line: Data
    let field: String
    let reason: String

    var testDescription: String { name }

    init(_ name: String, _ line: String, field: String, reason: String) {
        self.init(name, Data(line.utf8), field: field, reason: reason)
    }

    init(_ name: String, _ line: Data, field: String, reason: String) {
        self.name = name
        self.line = line
        self.field = field
        self.reason = reason
    }

    static let mentorship = "6f1c0000-0000-4000-8000-000000000001"
    static let mentor = "2b9e0000-0000-4000-8000-000000000002"
    static let mentee = "3c4d0000-0000-4000-8000-000000000003"
    static let program = "4e5f0000-0000-4000-8000-000000000004"
    static let session = "5a6b0000-0000-4000-8000-000000000005"
    static let sessionEventID = "6c7d0000-0000-4000-8000-000000000006"
    static let startEventID = "6c7d0000-0000-4000-8000-000000000010"
    static let stream = "mentorship/\(mentorship)"

    static let validPrefix = [
        #"{"type":"MentorshipStarted","stream":"\#(stream)","occurredAt":"2026-03-01T09:00:00Z","actor":"\#(mentor)","id":"\#(startEventID)","data":{"mentor":"\#(mentor)","mentee":"\#(mentee)","program":"\#(program)","cadenceDays":14}}"#,
        #"{"type":"SessionHeld","stream":"\#(stream)","occurredAt":"2026-03-02T10:00:00Z","actor":"\#(mentor)","id":"\#(sessionEventID)","data":{"session":"\#(session)","minutes":45,"attendees":["\#(mentor)","\#(mentee)"]}}"#,
    ]

    static let validSuffix = #"{"type":"FeedbackGiven","stream":"\#(stream)","occurredAt":"2026-03-02T11:00:00Z","actor":"\#(mentee)","data":{"from":"\#(mentee)","to":"\#(mentor)","rating":5,"session":"\#(session)"}}"#

    /// A SessionHeld line with `data` and `occurredAt` as given.
    static func held(_ data: String, occurredAt: String = "2026-03-03T10:00:00Z", id: String? = nil, actor: String = mentor) -> String {
        let idField = id.map { #","id":"\#($0)""# } ?? ""
        return #"{"type":"SessionHeld","stream":"\#(stream)","occurredAt":"\#(occurredAt)","actor":"\#(actor)"\#(idField),"data":\#(data)}"#
    }

    static func feedback(rating: Int) -> String {
        #"{"type":"FeedbackGiven","stream":"\#(stream)","occurredAt":"2026-03-02T11:00:00Z","actor":"\#(mentee)","data":{"from":"\#(mentee)","to":"\#(mentor)","rating":\#(rating),"session":"\#(session)"}}"#
    }

    static let attendees = #""attendees":["\#(mentor)"]"#
    static let newSession = "7e8f0000-0000-4000-8000-000000000007"

    static let cases: [MalformedInput] = [
        MalformedInput("invalid JSON", #"{"type":"SessionHeld","stream":"#, field: "line", reason: "is not valid JSON"),
        MalformedInput("not an object", "[1,2,3]", field: "line", reason: "expected one JSON object per line"),
        MalformedInput("unknown type", held(#"{"session":"\#(newSession)","minutes":30,\#(attendees)}"#).replacingOccurrences(of: "SessionHeld", with: "SessionTeleported"),
                       field: "type", reason: "\"SessionTeleported\" is not a built-in event type"),
        MalformedInput("missing field", held(#"{"session":"\#(newSession)",\#(attendees)}"#), field: "data.minutes", reason: "is missing; expected a whole number"),
        MalformedInput("missing envelope field", held(#"{"session":"\#(newSession)","minutes":30,\#(attendees)}"#).replacingOccurrences(of: #","actor":"\#(mentor)""#, with: ""),
                       field: "actor", reason: "is missing; expected a UUID string"),
        MalformedInput("mistyped field", held(#"{"session":"\#(newSession)","minutes":"30",\#(attendees)}"#), field: "data.minutes", reason: "is a string; expected a whole number"),
        MalformedInput("fractional count", held(#"{"session":"\#(newSession)","minutes":30.5,\#(attendees)}"#), field: "data.minutes", reason: "is 30.5; expected a whole number"),
        MalformedInput("misspelt field", held(#"{"session":"\#(newSession)","minutes":30,"minuets":30,\#(attendees)}"#), field: "data.minuets", reason: "is not a field of SessionHeld"),
        MalformedInput("invalid UUID", held(#"{"session":"not-a-uuid","minutes":30,\#(attendees)}"#), field: "data.session", reason: "\"not-a-uuid\" is not a UUID"),
        MalformedInput("invalid UUID in a list", held(#"{"session":"\#(newSession)","minutes":30,"attendees":["\#(mentor)","42"]}"#), field: "data.attendees[1]", reason: "\"42\" is not a UUID"),
        MalformedInput("invalid stream", held(#"{"session":"\#(newSession)","minutes":30,\#(attendees)}"#).replacingOccurrences(of: stream, with: "mentorship/42"),
                       field: "stream", reason: "\"mentorship/42\" is not a mentorship stream"),
        MalformedInput("invalid date", held(#"{"session":"\#(newSession)","minutes":30,\#(attendees)}"#, occurredAt: "2026-02-30T10:00:00Z"),
                       field: "occurredAt", reason: "day 30 is not in February 2026"),
        MalformedInput("time without a zone", held(#"{"session":"\#(newSession)","minutes":30,\#(attendees)}"#, occurredAt: "2026-03-03T10:00:00"),
                       field: "occurredAt", reason: "is not an RFC 3339 time"),
        MalformedInput("rating of 0", feedback(rating: 0), field: "data.rating", reason: "rating is 0"),
        MalformedInput("rating of 6", feedback(rating: 6), field: "data.rating", reason: "rating is 6"),
        MalformedInput("negative duration", held(#"{"session":"\#(newSession)","minutes":-5,\#(attendees)}"#), field: "data.minutes",
                       reason: "minutes is -5; a session lasts 1 to 720 minutes"),
        MalformedInput("deadline before the goal was set",
                       #"{"type":"GoalSet","stream":"\#(stream)","occurredAt":"2026-03-03T10:00:00Z","actor":"\#(mentee)","data":{"goal":"8f900000-0000-4000-8000-000000000008","owner":"\#(mentee)","title":"Ship a feature","metric":{"name":"features shipped","unit":"features","baseline":0,"target":1},"mentorAgreed":true,"rationale":"Growth","deadline":"2026-03-01T00:00:00Z"}}"#,
                       field: "data.deadline", reason: "is not after the time the goal is set"),
        MalformedInput("duplicate event id with different content", held(#"{"session":"\#(newSession)","minutes":30,\#(attendees)}"#, id: sessionEventID),
                       field: "id", reason: "\(sessionEventID) is already used on line 2 by another event"),
        MalformedInput("dated before the mentorship started", held(#"{"session":"\#(newSession)","minutes":30,\#(attendees)}"#, occurredAt: "2026-02-01T10:00:00Z"),
                       field: "occurredAt", reason: "is before the mentorship started"),
        MalformedInput("recorded by a stranger", held(#"{"session":"\#(newSession)","minutes":30,\#(attendees)}"#, actor: "9a000000-0000-4000-8000-000000000009"),
                       field: "actor", reason: "is neither the mentor, the mentee nor an admin"),
        MalformedInput("a 10 MB line", held(#"{"session":"\#(newSession)","minutes":30,\#(attendees),"note":"\#(String(repeating: "x", count: 10 << 20))"}"#),
                       field: "line", reason: "is longer than 1048576 bytes"),
        // "caf" then 0xC3 (the lead byte of a two-byte sequence) followed by a quote, not a continuation byte.
        MalformedInput("invalid UTF-8", Data(Array(feedback(rating: 4).replacingOccurrences(of: #","session""#, with: #","comment":"caf@","session""#).utf8)
                            .map { $0 == UInt8(ascii: "@") ? 0xC3 : $0 }),
                       field: "line", reason: "invalid UTF-8"),
    ]
}
