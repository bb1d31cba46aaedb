extension JSONParserCore {
    func hasPrefix(_ word: StaticString, at offset: Int) -> Bool {
        let length = word.utf8CodeUnitCount
        guard offset >= 0, length <= count - offset else { return false }
        for index in 0..<length where input[offset + index] != word.utf8Start[index] { return false }
        return true
    }

    /// A string from input bytes already known to be valid UTF-8.
    func makeString(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: input[range]), as: UTF8.self)
    }
}
