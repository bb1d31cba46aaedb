/// A read model's facts of one kind, in log order: what `apply` appends to.
///
/// The facts are stored in chunks of ``chunkCapacity``, each allocated at full capacity, so
/// growing the column never copies or re-faults what it already holds: an append writes into
/// the tail chunk (one uniqueness check, one store). Equality, hashing and coding see the facts
/// in order (encoded as one array).
struct FactColumn<Fact> {
    /// The full chunks.
    private var full: [[Fact]] = []
    /// The chunk being filled.
    private var tail: [Fact] = []
    /// How many facts there are.
    private(set) var count = 0

    /// Facts per chunk: a power of two, so that an offset splits with a shift and a mask.
    static var chunkShift: Int { 10 }
    static var chunkCapacity: Int { 1 << chunkShift }

    /// No facts.
    init() {}

    /// Appends `fact`.
    @inline(__always)
    mutating func append(_ fact: Fact) {
        if tail.count == Self.chunkCapacity {
            full.append(tail)
            tail = []
        }
        if tail.isEmpty { tail.reserveCapacity(Self.chunkCapacity) }
        tail.append(fact)
        count += 1
    }
}

extension FactColumn: RandomAccessCollection {
    var startIndex: Int { 0 }
    var endIndex: Int { count }

    /// The fact at `position`, borrowed in place (a fact may hold an array: no copy, no retain).
    subscript(position: Int) -> Fact {
        _read {
            let chunk = position >> Self.chunkShift, offset = position & (Self.chunkCapacity - 1)
            if chunk < full.count { yield full[chunk][offset] } else { yield tail[offset] }
        }
    }
}

extension FactColumn: Sendable where Fact: Sendable {}

extension FactColumn: Equatable where Fact: Equatable {
    static func == (a: FactColumn, b: FactColumn) -> Bool { a.count == b.count && a.full == b.full && a.tail == b.tail }
}

extension FactColumn: Hashable where Fact: Hashable {
    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for chunk in full { for fact in chunk { hasher.combine(fact) } }
        for fact in tail { hasher.combine(fact) }
    }
}

extension FactColumn: Encodable where Fact: Encodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for chunk in full { try container.encode(contentsOf: chunk) }
        try container.encode(contentsOf: tail)
    }
}

extension FactColumn: Decodable where Fact: Decodable {
    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        while !container.isAtEnd { append(try container.decode(Fact.self)) }
    }
}
