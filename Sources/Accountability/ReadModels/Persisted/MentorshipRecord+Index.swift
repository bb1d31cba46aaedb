import Foundation

extension MentorshipRecord {
    /// The ids of the goals set in this mentorship, in the order they were set.
    var goalIDs: [UUID] { goals.keys.map(\.uuid) }
}
