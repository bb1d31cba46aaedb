/// The file formats of ``InterchangeExporter``.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One JSON object per line (DESIGN section 10, plus the envelope and the chain).
    case ndjson
    /// RFC 4180 CSV with a header; `data` holds the same JSON object as the NDJSON line.
    case csv
}
