extension JSONParserCore {
    mutating func parseLiteral(_ word: StaticString) throws(JSONError) {
        var index = 0
        let length = word.utf8CodeUnitCount
        while index < length {
            let offset = cursor + index
            guard offset < count, input[offset] == word.utf8Start[index] else {
                throw unexpected(at: offset, "expected '\(word)'")
            }
            index += 1
        }
        cursor += length
    }
}
