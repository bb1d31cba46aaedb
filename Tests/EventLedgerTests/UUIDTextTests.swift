import EventLedger
import Foundation
import Testing

/// ``UUIDText`` reads and writes exactly what Foundation does, without its `sscanf` and `sprintf`.
@Suite("UUIDText")
struct UUIDTextTests {
    @Test("lowercase and parse agree with Foundation for many random ids, in either case")
    func agreesWithFoundation() {
        for _ in 0..<2_000 {
            let id = UUID()
            #expect(UUIDText.lowercase(id) == id.uuidString.lowercased())
            #expect(UUIDText.parse(id.uuidString) == id)
            #expect(UUIDText.parse(id.uuidString.lowercased()) == id)
        }
        let edge = UUID(uuid: (0, 0x0f, 0xf0, 0xff, 0x10, 0x9a, 0xa9, 0xfa, 0xaf, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd))
        #expect(UUIDText.lowercase(edge) == "000ff0ff-109a-a9fa-af01-23456789abcd")
    }

    @Test("anything but 36 characters of 8-4-4-4-12 hex digits is refused", arguments: [
        "", "6c7d0000-0000-4000-8000-00000000000", "6c7d0000-0000-4000-8000-0000000000066",
        "6c7d0000000004000-8000-000000000006", "6c7d0000-0000-4000-8000_000000000006",
        "6c7d000g-0000-4000-8000-000000000006", "{6c7d0000-0000-4000-8000-00000000006}",
        " 6c7d0000-0000-4000-8000-00000000006", "6c7d0000-0000-4000-8000-00000000000é",
    ])
    func refusesMalformed(_ text: String) {
        #expect(UUIDText.parse(text) == nil, "\(text)")
    }
}
