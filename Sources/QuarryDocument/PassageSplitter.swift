/// Cuts an article body into sentence-aware passages (see `PassageSettings`).
package struct PassageSplitter: Sendable {
    package var settings: PassageSettings
    /// No passage is longer than this (64 KiB): text without sentence or word boundaries is
    /// cut at character boundaries, so that a result never carries megabytes of one passage.
    package static let maxPassageBytes = 64 << 10

    package init(settings: PassageSettings) {
        self.settings = settings
    }

    /// A sentence or a cut piece of one: byte range and word count.
    struct Piece {
        var start: Int
        var end: Int
        var words: Int
    }

    package func split(_ body: UnsafeRawBufferPointer, blocks: [TextBlock]) -> [PassageSpan] {
        var passages: [PassageSpan] = []
        var pendingHeading: (start: Int, words: Int)? = nil
        for block in blocks {
            if block.kind == .heading {
                if let h = pendingHeading {
                    // Consecutive headings stay together.
                    pendingHeading = (h.start, h.words + countWords(body, block.start, block.end))
                } else {
                    pendingHeading = (block.start, countWords(body, block.start, block.end))
                }
                continue
            }
            // A block no longer than a passage is one passage: no need to find its sentences.
            let blockWords = countWords(body, block.start, block.end)
            if blockWords == 0 { continue }
            if blockWords <= settings.targetWords && block.end - block.start <= PassageSplitter.maxPassageBytes {
                var end = block.end
                while end > block.start && body[end - 1] == 0x20 { end -= 1 }
                if let h = pendingHeading {
                    passages.append(PassageSpan(start: h.start, end: end))
                    pendingHeading = nil
                } else {
                    passages.append(PassageSpan(start: block.start, end: end))
                }
                continue
            }
            let pieces = sentences(body, block)
            if pieces.isEmpty { continue }
            var first = true
            var i = 0
            while i < pieces.count {
                var start = pieces[i].start
                var words = 0
                if first, let h = pendingHeading {
                    start = h.start
                    words = h.words
                    pendingHeading = nil
                }
                first = false
                var j = i
                while j < pieces.count
                    && (j == i
                        || (words + pieces[j].words <= settings.targetWords && pieces[j].end - start <= PassageSplitter.maxPassageBytes))
                {
                    words += pieces[j].words
                    j += 1
                }
                passages.append(PassageSpan(start: start, end: pieces[j - 1].end))
                if j >= pieces.count { break }
                // Overlap: start the next passage with trailing whole sentences of this one.
                var next = j
                if settings.overlapWords > 0 {
                    var carried = 0
                    while next - 1 > i && carried + pieces[next - 1].words <= settings.overlapWords {
                        carried += pieces[next - 1].words
                        next -= 1
                    }
                }
                i = next
            }
        }
        if let h = pendingHeading, let lastHeadingEnd = blocks.last(where: { $0.kind == .heading })?.end {
            passages.append(PassageSpan(start: h.start, end: lastHeadingEnd))
        }
        return passages
    }

    /// Sentences of a block, long ones cut into pieces of at most `maxWords` words.
    func sentences(_ body: UnsafeRawBufferPointer, _ block: TextBlock) -> [Piece] {
        var pieces: [Piece] = []
        var sentenceStart = block.start
        var words = 0
        var inWord = false
        var lastWordEnd = block.start
        var i = block.start
        let end = block.end
        let maxWords = settings.maxWords
        func emit(_ upTo: Int) {
            if words > 0 { pieces.append(Piece(start: sentenceStart, end: upTo, words: words)) }
            words = 0
        }
        while i < end {
            let b = body[i]
            if i - sentenceStart >= PassageSplitter.maxPassageBytes && b & 0xC0 != 0x80 {
                // Too long without a boundary: cut here (a character boundary).
                emit(i)
                sentenceStart = i
                inWord = false
            }
            let wordByte = isWordByte(b)
            if wordByte && !inWord {
                if words == maxWords {
                    emit(lastWordEnd)
                    sentenceStart = i
                }
                words += 1
            }
            inWord = wordByte
            if wordByte { lastWordEnd = i + 1 }
            // Sentence end: . ! ? (or a newline in preformatted text) followed by space.
            if b == 0x0A
                || ((b == UInt8(ascii: ".") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?"))
                    && endsSentence(body, i + 1, end))
            {
                var close = i + 1
                // Keep closing quotes and brackets with the sentence.
                while close < end, [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "]")].contains(body[close]) {
                    close += 1
                }
                if b == 0x0A { close = i }
                emit(close)
                i = close
                while i < end && (body[i] == 0x20 || body[i] == 0x0A) { i += 1 }
                sentenceStart = i
                inWord = false
                continue
            }
            i += 1
        }
        // Trim trailing spaces of the last sentence.
        var tail = end
        while tail > sentenceStart && body[tail - 1] == 0x20 { tail -= 1 }
        emit(tail)
        return pieces
    }

    /// After ".", "!" or "?": the sentence ends if a space follows (after closing quotes or
    /// brackets) and then something that is not a lowercase ASCII letter, or the block ends.
    private func endsSentence(_ body: UnsafeRawBufferPointer, _ from: Int, _ end: Int) -> Bool {
        var i = from
        while i < end, [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "]")].contains(body[i]) { i += 1 }
        if i >= end { return true }
        guard body[i] == 0x20 || body[i] == 0x0A else { return false }
        while i < end && body[i] == 0x20 { i += 1 }
        if i >= end { return true }
        let c = body[i]
        return !(c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
    }

    @inline(__always) private func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b >= 0x80
    }

    private func countWords(_ body: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var words = 0
        var inWord = false
        for i in start..<end {
            let w = isWordByte(body[i])
            if w && !inWord { words += 1 }
            inWord = w
        }
        return words
    }
}
