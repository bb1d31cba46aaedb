extension JSONParserCore {
    mutating func skipWhitespace() {
        while cursor < count {
            let byte = input[cursor]
            guard byte == ASCII.space || byte == ASCII.lineFeed || byte == ASCII.carriageReturn || byte == ASCII.tab else {
                return
            }
            cursor += 1
        }
    }
}
