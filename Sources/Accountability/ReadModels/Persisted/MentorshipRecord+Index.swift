import Foundation

extension MentorshipRecord {
    /// The ids of the goals set in this mentorship: the settled ones, then the others in the
    /// order they were set.
    var goalIDs: [UUID] { settled.goals.keys.map(\.uuid) + goals.keys.map(\.uuid) }
}
