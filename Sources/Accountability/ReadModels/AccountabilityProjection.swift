public import EventLedger

/// A projection over the built-in mentorship events: it reads every built-in type and decodes
/// with the fast ``AccountabilityEvent/decode(typeIndex:record:)``, so it only writes its `apply`.
/// Any two of them fold together with `CombinedProjection`.
public protocol AccountabilityProjection: Projection where Event == AccountabilityEvent {}

extension AccountabilityProjection {
    /// Every built-in type (``AccountabilityEvent/typeNames``).
    public var eventTypes: [String] { AccountabilityEvent.typeNames }

    /// ``AccountabilityEvent/decode(typeIndex:record:)``.
    @inlinable
    public func decode(typeIndex: Int, record: EventRecord) throws -> AccountabilityEvent {
        try AccountabilityEvent.decode(typeIndex: typeIndex, record: record)
    }
}
