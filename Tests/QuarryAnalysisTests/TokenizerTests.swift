import Testing

@testable import QuarryAnalysis

/// The surface words of a text.
func words(_ text: String) -> [String] {
    var t = text
    return t.withUTF8 { utf8 in
        let raw = UnsafeRawBufferPointer(utf8)
        var tokenizer = Tokenizer(raw)
        var out: [String] = []
        while let w = tokenizer.next() {
            out.append(String(decoding: raw[w.start..<w.end], as: UTF8.self))
        }
        return out
    }
}

@Suite("Tokenizer")
struct TokenizerTests {
    @Test("splits on spaces, punctuation, symbols, underscores and hyphens")
    func basic() {
        #expect(
            words("Hello, world! fight-or-flight foo_bar (x+y)=z") == [
                "Hello", "world", "fight", "or", "flight", "foo", "bar", "x", "y", "z",
            ])
    }

    @Test("keeps apostrophes between letters and separators between digits")
    func joiners() {
        #expect(words("don't body’s 'quoted' it's.") == ["don't", "body’s", "quoted", "it's"])
        #expect(words("3.14 1,000,000 v2.0 end. 5.") == ["3.14", "1,000,000", "v2.0", "end", "5"])
        #expect(words("e.g. U.S.A") == ["e", "g", "U", "S", "A"])
    }

    @Test("words of any script, with combining marks, come out whole")
    func scripts() {
        #expect(words("Содержание норадреналина") == ["Содержание", "норадреналина"])
        #expect(words("élève naïve Straße") == ["élève", "naïve", "Straße"])
        #expect(words("e\u{0301}cole") == ["e\u{0301}cole"])  // decomposed accent stays in the word
        #expect(words("β-hydroxylase") == ["β", "hydroxylase"])
        #expect(words("αβγ δ") == ["αβγ", "δ"])
        #expect(words("مرحبا بالعالم") == ["مرحبا", "بالعالم"])
    }

    @Test("Han ideographs and kana are one-character words; emoji separate")
    func cjk() {
        #expect(words("東京タワー") == ["東", "京", "タ", "ワー"])
        #expect(words("日本語") == ["日", "本", "語"])
        #expect(words("🧠brain🚀") == ["brain"])
    }

    @Test("byte ranges point at the words in the UTF-8 text")
    func ranges() {
        let text = "Ёлка — the fir; naïve"
        var t = text
        t.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            var tokenizer = Tokenizer(raw)
            var seen: [String] = []
            while let w = tokenizer.next() {
                seen.append(String(decoding: raw[w.start..<w.end], as: UTF8.self))
                #expect(w.isASCII == raw[w.start..<w.end].allSatisfy { $0 < 0x80 })
            }
            #expect(seen == ["Ёлка", "the", "fir", "naïve"])
        }
    }

    @Test("invalid UTF-8 separates words and never crashes")
    func invalid() {
        let bytes: [UInt8] = [0x61, 0x62, 0xFF, 0x63, 0xC3, 0x20, 0xE2, 0x82, 0x64, 0xF0, 0x9F]
        bytes.withUnsafeBytes { raw in
            var tokenizer = Tokenizer(raw)
            var out: [String] = []
            while let w = tokenizer.next() { out.append(String(decoding: raw[w.start..<w.end], as: UTF8.self)) }
            #expect(out == ["ab", "c", "d"])
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let random = (0..<64).map { _ in UInt8.random(in: 0...255, using: &rng) }
            random.withUnsafeBytes { raw in
                var tokenizer = Tokenizer(raw)
                while let w = tokenizer.next() { #expect(w.start < w.end && w.end <= raw.count) }
            }
        }
    }
}
