/// The file formats of ``InterchangeExporter``.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One JSON object per line (the readable fields, the envelope and the chain; Docs/ExportFormat.md).
    case ndjson
    /// RFC 4180 CSV with a header; `data` holds the same JSON object as the NDJSON line.
    case csv
}
