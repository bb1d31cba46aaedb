/// Which events a read returns, in which order, up to which point.
///
/// ```swift
/// .all()                                        // the whole log, oldest first
/// .all(from: 500, direction: .backward)         // position 500 and older, newest first
/// .stream("mentorship/42", fromRevision: 3)     // one stream from revision 3
/// .type("GoalSet")                              // every GoalSet, by position
/// .all().recorded(upTo: marchFirst)             // the log as it stood at a time
/// .all().through(position: 1_000)               // the log as it stood at a position
/// ```
public struct EventQuery: Sendable, Hashable {
    /// The events to select.
    public enum Selection: Sendable, Hashable {
        /// Every event.
        case all
        /// The events of one stream.
        case stream(String)
        /// The events of one registered type name.
        case type(String)
    }

    /// The events to select.
    public var selection: Selection
    /// The order: by ascending or descending position.
    public var direction: ReadDirection
    /// Where to start: a position (for ``Selection/all`` and ``Selection/type(_:)``) or a revision (for
    /// ``Selection/stream(_:)``), inclusive. `nil` starts at the beginning (forward) or the end (backward).
    public var start: UInt64?
    /// Only events recorded at or before this time.
    public var recordedAtOrBefore: Timestamp?
    /// Only events at or before this position.
    public var throughPosition: UInt64?

    /// Creates a query.
    public init(selection: Selection, direction: ReadDirection = .forward, start: UInt64? = nil,
                recordedAtOrBefore: Timestamp? = nil, throughPosition: UInt64? = nil) {
        self.selection = selection
        self.direction = direction
        self.start = start
        self.recordedAtOrBefore = recordedAtOrBefore
        self.throughPosition = throughPosition
    }

    /// Every event, from a position (inclusive).
    public static func all(from position: UInt64? = nil, direction: ReadDirection = .forward) -> EventQuery {
        EventQuery(selection: .all, direction: direction, start: position)
    }

    /// One stream's events, from a revision (inclusive).
    public static func stream(_ name: String, fromRevision revision: UInt64? = nil, direction: ReadDirection = .forward) -> EventQuery {
        EventQuery(selection: .stream(name), direction: direction, start: revision)
    }

    /// One type's events, from a position (inclusive).
    public static func type(_ eventType: String, from position: UInt64? = nil, direction: ReadDirection = .forward) -> EventQuery {
        EventQuery(selection: .type(eventType), direction: direction, start: position)
    }

    /// The same query limited to events recorded at or before `time`.
    public func recorded(upTo time: Timestamp) -> EventQuery {
        var query = self
        query.recordedAtOrBefore = min(time, query.recordedAtOrBefore ?? time)
        return query
    }

    /// The same query limited to positions at or before `position`.
    public func through(position: UInt64) -> EventQuery {
        var query = self
        query.throughPosition = min(position, query.throughPosition ?? position)
        return query
    }
}

/// The order of a read.
public enum ReadDirection: Sendable, Hashable {
    /// Oldest first.
    case forward
    /// Newest first.
    case backward
}
