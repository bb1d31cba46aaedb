public import EventLedger

extension RecordedEvent {
    /// The built-in mentoring event this record holds, decoded in one call (for a subscription's
    /// records: `for try await recorded in ledger.subscribe() { if let event = try recorded.accountabilityEvent() { … } }`);
    /// nil when the record is of another type (a user's own).
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` naming the position when the payload does not
    ///   decode (or its schema version is newer than this program knows).
    public func accountabilityEvent() throws -> AccountabilityEvent? {
        do {
            return try payload.withUnsafeBytes { bytes in
                try AccountabilityEvent.decode(eventType: eventType, schemaVersion: schemaVersion, payload: bytes)
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.corruptRecord, "the \(eventType) at position \(position) (stream \(stream)) cannot be decoded: \(error)", position: position)
        }
    }
}
