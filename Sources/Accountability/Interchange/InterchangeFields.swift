import EventLedger
import Foundation

/// Typed, strict access to the members of one JSON object of the interchange format.
///
/// Each accessor names the field by its full path (`data.metric.target`) in its error. Members
/// that no accessor asked for are reported by ``finish()``: a misspelt optional field is an
/// error, never silently dropped.
struct InterchangeFields {
    let object: JSONObject
    /// The path of this object (`""` at the top level, `"data"`, `"data.metric"`).
    let path: String
    /// Which members were asked for, by their index in the object: a bit each for the first 64
    /// (no allocation for any real line), a list for the rest.
    private var usedMask: UInt64 = 0
    private var usedBeyondMask: [Int] = []

    init(_ object: JSONObject, path: String) {
        self.object = object
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member `key`, or `nil` when it is absent or JSON `null`.
    mutating func value(_ key: String) -> JSONValue? {
        guard let index = object.members.firstIndex(where: { $0.key == key }) else { return nil }
        if index < 64 {
            usedMask |= 1 << UInt64(index)
        } else if !usedBeyondMask.contains(index) {
            usedBeyondMask.append(index)
        }
        let value = object.members[index].value
        if case .null = value { return nil }
        return value
    }

    private func wasUsed(_ index: Int) -> Bool {
        index < 64 ? usedMask & (1 << UInt64(index)) != 0 : usedBeyondMask.contains(index)
    }

    mutating func required(_ key: String, _ expected: String) throws(InterchangeError) -> JSONValue {
        guard let value = value(key) else {
            throw InterchangeError(field: name(key), "is missing; expected \(expected)")
        }
        return value
    }

    /// The member `key` read by `read`, or `nil` when it is absent or `null`.
    private mutating func optional<T>(_ key: String, _ read: (Self) -> (String, JSONValue) throws(InterchangeError) -> T) throws(InterchangeError) -> T? {
        guard let value = value(key) else { return nil }
        return try read(self)(key, value)
    }

    func mistyped(_ key: String, _ value: JSONValue, _ expected: String) -> InterchangeError {
        InterchangeError(field: name(key), "is \(value.typeName); expected \(expected)")
    }

    // MARK: - Strings and identifiers

    mutating func string(_ key: String) throws(InterchangeError) -> String {
        try asString(key, try required(key, "a string"))
    }

    mutating func optionalString(_ key: String) throws(InterchangeError) -> String? {
        try optional(key, Self.asString)
    }

    private func asString(_ key: String, _ value: JSONValue) throws(InterchangeError) -> String {
        guard case .string(let text) = value else { throw mistyped(key, value, "a string") }
        return text
    }

    mutating func uuid(_ key: String) throws(InterchangeError) -> UUID {
        try asUUID(key, try required(key, "a UUID string"))
    }

    mutating func optionalUUID(_ key: String) throws(InterchangeError) -> UUID? {
        try optional(key, Self.asUUID)
    }

    private func asUUID(_ key: String, _ value: JSONValue) throws(InterchangeError) -> UUID {
        guard case .string(let text) = value else { throw mistyped(key, value, "a UUID string") }
        return try Self.parseUUID(text, field: name(key))
    }

    /// A UUID in its 36-character text form (either case).
    static func parseUUID(_ text: String, field: String) throws(InterchangeError) -> UUID {
        guard let id = UUIDText.parse(text) else {
            throw InterchangeError(field: field, "\"\(text.prefix(60))\" is not a UUID (expected 8-4-4-4-12 hexadecimal digits)")
        }
        return id
    }

    mutating func uuids(_ key: String) throws(InterchangeError) -> [UUID] {
        try asUUIDs(key, try required(key, "an array of UUID strings"))
    }

    mutating func optionalUUIDs(_ key: String) throws(InterchangeError) -> [UUID]? {
        try optional(key, Self.asUUIDs)
    }

    private func asUUIDs(_ key: String, _ value: JSONValue) throws(InterchangeError) -> [UUID] {
        guard case .array(let items) = value else { throw mistyped(key, value, "an array of UUID strings") }
        var ids: [UUID] = []
        ids.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw InterchangeError(field: "\(name(key))[\(index)]", "is \(item.typeName); expected a UUID string")
            }
            ids.append(try Self.parseUUID(text, field: "\(name(key))[\(index)]"))
        }
        return ids
    }

    // MARK: - Numbers, booleans, times

    mutating func int(_ key: String) throws(InterchangeError) -> Int {
        let value = try required(key, "a whole number")
        guard case .number(let number) = value else { throw mistyped(key, value, "a whole number") }
        guard number.isInteger, let exact = number.int64, let int = Int(exactly: exact) else {
            throw InterchangeError(field: name(key), "is \(number.text); expected a whole number")
        }
        return int
    }

    mutating func double(_ key: String) throws(InterchangeError) -> Double {
        try asDouble(key, try required(key, "a number"))
    }

    mutating func optionalDouble(_ key: String) throws(InterchangeError) -> Double? {
        try optional(key, Self.asDouble)
    }

    private func asDouble(_ key: String, _ value: JSONValue) throws(InterchangeError) -> Double {
        guard case .number(let number) = value else { throw mistyped(key, value, "a number") }
        guard let double = number.double else {
            throw InterchangeError(field: name(key), "is \(number.text.prefix(40)), too large for a 64-bit floating-point number")
        }
        return double
    }

    mutating func bool(_ key: String) throws(InterchangeError) -> Bool {
        let value = try required(key, "true or false")
        guard case .bool(let flag) = value else { throw mistyped(key, value, "true or false") }
        return flag
    }

    mutating func timestamp(_ key: String) throws(InterchangeError) -> Timestamp {
        try asTimestamp(key, try required(key, "an RFC 3339 time such as \"2026-03-01T15:00:00Z\""))
    }

    mutating func optionalTimestamp(_ key: String) throws(InterchangeError) -> Timestamp? {
        try optional(key, Self.asTimestamp)
    }

    private func asTimestamp(_ key: String, _ value: JSONValue) throws(InterchangeError) -> Timestamp {
        guard case .string(let text) = value else {
            throw mistyped(key, value, "an RFC 3339 time string such as \"2026-03-01T15:00:00Z\"")
        }
        do {
            return try Timestamp(rfc3339: text)
        } catch {
            throw InterchangeError(field: name(key), "\(error.reason) (\"\(text.prefix(60))\" is not an RFC 3339 time such as \"2026-03-01T15:00:00Z\")")
        }
    }

    /// One of a ``PayloadEnum``'s case names.
    mutating func choice<E: PayloadEnum>(_ key: String, _: E.Type) throws(InterchangeError) -> E {
        func expected() -> String { "one of " + E.allCases.map { "\"\($0.name)\"" }.joined(separator: ", ") }
        guard let value = value(key) else {
            throw InterchangeError(field: name(key), "is missing; expected \(expected())")
        }
        guard case .string(let text) = value else { throw mistyped(key, value, expected()) }
        guard let choice = E(name: text) else {
            throw InterchangeError(field: name(key), "\"\(text.prefix(60))\" is not \(expected())")
        }
        return choice
    }

    /// The nested object `key`.
    mutating func object(_ key: String) throws(InterchangeError) -> InterchangeFields {
        let value = try required(key, "an object")
        guard case .object(let nested) = value else { throw mistyped(key, value, "an object") }
        return InterchangeFields(nested, path: name(key))
    }

    /// Reports a member nobody asked for; `context` (what the object is) is built only then.
    func finish(_ context: @autoclosure () -> String) throws(InterchangeError) {
        guard usedMask.nonzeroBitCount + usedBeyondMask.count != object.members.count else { return }
        for (index, member) in object.members.enumerated() where !wasUsed(index) {
            guard !member.key.isEmpty else {
                throw InterchangeError(field: path.isEmpty ? "\"\"" : "\(path).\"\"", "a member with an empty name is not a field of \(context())")
            }
            throw InterchangeError(field: name(member.key), "is not a field of \(context())")
        }
    }
}
