/// The mentorships a read model knows, one **slot** each, in the order they started.
///
/// A MentorshipStarted opens a new slot for its stream; a later MentorshipStarted on the same
/// stream opens another one, and the stream then refers to the new slot only. Each slot keeps
/// the length of every fact column of the read model when it started (its **marks**): the facts
/// of its stream appended since are its own; those appended before (facts of a stream with no
/// mentorship yet, or of the mentorship a restart replaced) belong to no reported mentorship, as
/// if they had been ignored.
///
/// Equality, hashing and coding see the slots in order (the stream index is derived).
struct MentorshipSlots: Sendable, Hashable, Codable {
    /// Per slot: the pair as started (its lifecycle is folded by the report).
    private(set) var pairs = FactColumn<TrackedPair>()
    /// Per slot: its stream key.
    private(set) var streams = FactColumn<UInt64>()
    /// Per slot: the length of each fact column when it started.
    private var marks = FactColumn<[Int]>()
    /// Stream key → its latest slot.
    private var index = StreamSlotIndex()

    private enum CodingKeys: String, CodingKey { case pairs, streams, marks }

    /// No mentorship.
    init() {}

    /// How many slots there are (live or replaced).
    var count: Int { pairs.count }

    /// Opens a slot for `pair`, started on `stream` when the read model's fact columns held
    /// `marks` facts; the stream now refers to it.
    mutating func start(_ pair: TrackedPair, stream: UInt64, marks: [Int]) {
        index.set(pairs.count, for: stream)
        pairs.append(pair)
        streams.append(stream)
        self.marks.append(marks)
    }

    /// Whether `slot` is its stream's current slot (not replaced by a later start).
    func isLive(_ slot: Int) -> Bool { index.slot(of: streams[slot]) == slot }

    /// The current slots, in slot order.
    var liveSlots: [Int] { pairs.indices.filter(isLive) }

    /// The slot owning the fact at `offset` in fact column `column`, on `stream`: the stream's
    /// current slot, when the fact came after its start; otherwise `nil`.
    func owner(ofFactAt offset: Int, column: Int, stream: UInt64) -> Int? {
        guard let slot = index.slot(of: stream), offset >= marks[slot][column] else { return nil }
        return slot
    }

    static func == (a: MentorshipSlots, b: MentorshipSlots) -> Bool {
        a.streams == b.streams && a.pairs == b.pairs && a.marks == b.marks
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(streams)
        hasher.combine(pairs)
        hasher.combine(marks)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let pairs = try container.decode(FactColumn<TrackedPair>.self, forKey: .pairs)
        let streams = try container.decode(FactColumn<UInt64>.self, forKey: .streams)
        let marks = try container.decode(FactColumn<[Int]>.self, forKey: .marks)
        guard pairs.count == streams.count, pairs.count == marks.count else {
            throw DecodingError.dataCorruptedError(forKey: .marks, in: container,
                                                   debugDescription: "\(pairs.count) pairs, \(streams.count) streams, \(marks.count) marks")
        }
        for i in pairs.indices { start(pairs[i], stream: streams[i], marks: marks[i]) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pairs, forKey: .pairs)
        try container.encode(streams, forKey: .streams)
        try container.encode(marks, forKey: .marks)
    }
}
