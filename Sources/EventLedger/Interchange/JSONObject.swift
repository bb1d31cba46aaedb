/// One member of a ``JSONObject``: a key and its value.
public struct JSONMember: Sendable, Hashable {
    /// The member's key.
    public let key: String
    /// The member's value.
    public let value: JSONValue

    /// Creates a member.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The value.
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON object: its members in the order they were written, each key at most once.
///
/// ``JSONParser`` rejects a document that repeats a key, and the initialisers keep only the first
/// member with a given key, so every object serializes to a document that parses back to it.
///
/// Lookup by key is a linear scan, which is the fastest choice for the small objects of an event
/// log; convert to a `Dictionary` to look up many keys of a large object.
public struct JSONObject: Sendable, Hashable {
    /// The members in order.
    public let members: [JSONMember]

    /// Creates an object from members in order.
    ///
    /// When a key occurs more than once, the first member with it is kept and the later ones are
    /// dropped.
    ///
    /// - Parameter members: The members.
    public init(_ members: [JSONMember]) {
        self.members = JSONObject.firstOfEachKey(members)
    }

    /// Creates an object from key-value pairs in order, for example
    /// `JSONObject(["type": .string("GoalSet"), "version": .number(1)])`.
    ///
    /// When a key occurs more than once, the first pair with it is kept and the later ones are
    /// dropped.
    ///
    /// - Parameter pairs: The keys and values.
    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        self.init(pairs.map { JSONMember(key: $0.key, value: $0.value) })
    }

    /// Creates an object from members whose keys are already known to be distinct.
    init(uniqueMembers: [JSONMember]) {
        self.members = uniqueMembers
    }

    /// An object with no members.
    public static let empty = JSONObject(uniqueMembers: [])

    /// The value of the member with `key`, or `nil` when there is none.
    ///
    /// - Parameter key: The key, compared by Unicode canonical equivalence like any `String`.
    public subscript(key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    private static func firstOfEachKey(_ members: [JSONMember]) -> [JSONMember] {
        if members.count < 2 { return members }
        if members.count <= 16 {
            var kept: [JSONMember] = []
            kept.reserveCapacity(members.count)
            for member in members where !kept.contains(where: { $0.key == member.key }) {
                kept.append(member)
            }
            return kept
        }
        var seen = Set<String>(minimumCapacity: members.count)
        return members.filter { seen.insert($0.key).inserted }
    }
}
