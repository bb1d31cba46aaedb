public import Foundation
import EventLedger

/// How mentorship ids map to stream names: `mentorship/<lowercase uuid>`.
public enum MentorshipStream {
    /// The stream prefix.
    public static let prefix = "mentorship/"

    /// The stream of `mentorship`.
    public static func name(of mentorship: UUID) -> String {
        prefix + UUIDText.lowercase(mentorship)
    }

    /// The mentorship a stream belongs to, or `nil` for a stream that is not a mentorship's.
    public static func mentorship(inStream name: String) -> UUID? {
        guard name.hasPrefix(prefix) else { return nil }
        return UUIDText.parse(String(name.dropFirst(prefix.count)))
    }
}
