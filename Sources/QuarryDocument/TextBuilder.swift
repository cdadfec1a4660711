/// Builds an article body block by block: collapses whitespace inside blocks, separates blocks
/// with "\n", and records each block's byte range. Extractors (HTML, plain text, JSONL) feed it
/// decoded text and tell it where blocks begin and end.
package struct TextBuilder {
    /// The most text one builder collects: 16 MiB. Text appended past it is dropped (the
    /// index writer reports such documents as cut), so that one enormous file or line costs
    /// bounded memory to extract and index.
    package static let maxBytes = 16 << 20

    package private(set) var bytes: [UInt8] = []
    /// Whether text was dropped because the body reached `maxBytes`.
    package private(set) var isTruncated = false
    package private(set) var blocks: [TextBlock] = []
    private var blockStart = 0
    private var kind: BlockKind = .paragraph
    private var level: UInt8 = 0
    private var pendingSpace = false
    private var preformatted = false
    /// Offset of the separator newline added for the current block, if any.
    private var separatorAt: Int? = nil

    /// The most text this builder collects (`maxBytes` unless a test asks for less).
    private let limit: Int

    package init(capacity: Int = 0, limit: Int = TextBuilder.maxBytes) {
        self.limit = min(max(16, limit), TextBuilder.maxBytes)
        bytes.reserveCapacity(min(max(0, capacity), self.limit))
    }

    /// True when the current block has no text yet.
    package var currentBlockIsEmpty: Bool { bytes.count == blockStart }

    /// Ends the current block (if it has text) and starts a new one of the given kind.
    package mutating func startBlock(_ newKind: BlockKind, level newLevel: UInt8 = 0) {
        endBlock()
        kind = newKind
        level = newLevel
        preformatted = newKind == .preformatted
    }

    /// Ends the current block; the next text starts a new paragraph block unless
    /// `startBlock` says otherwise.
    package mutating func endBlock() {
        if preformatted {
            // Trim trailing spaces and newlines of preformatted text.
            while bytes.count > blockStart, let last = bytes.last, last == 0x20 || last == 0x0A || last == 0x09 {
                bytes.removeLast()
            }
        }
        if bytes.count > blockStart {
            blocks.append(TextBlock(start: blockStart, end: bytes.count, kind: kind, level: level))
        } else if let at = separatorAt, at == bytes.count - 1, bytes.count == blockStart {
            // The block ended up empty (e.g. preformatted whitespace): drop its separator.
            bytes.removeLast()
            blockStart = bytes.count
        }
        separatorAt = nil
        kind = .paragraph
        level = 0
        preformatted = false
        pendingSpace = false
        blockStart = bytes.count
    }

    /// Removes the text of the current block (and its separator); returns how many bytes of
    /// text went. The next text starts a new block of the current kind.
    @discardableResult
    public mutating func discardCurrentBlock() -> Int {
        let removed = bytes.count - blockStart
        bytes.removeSubrange(blockStart...)
        if let at = separatorAt, at == bytes.count - 1 {
            bytes.removeLast()
            blockStart = bytes.count
        }
        separatorAt = nil
        pendingSpace = false
        return removed
    }

    /// Appends decoded text, which must be valid UTF-8 (`finish` repairs it if not).
    /// U+00A0 (no-break space) outside preformatted text counts as whitespace.
    package mutating func append(_ text: UnsafeRawBufferPointer) {
        if isTruncated { return }
        if preformatted {
            for b in text { appendPreformatted(b) }
            return
        }
        var i = 0
        let n = text.count
        while i < n {
            let b = text[i]
            if b <= 0x20 || b == 0x7F {
                // Whitespace sets a pending space; other control characters are dropped.
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) { pendingSpace = true }
                i += 1
                continue
            }
            if b == 0xC2 && i + 1 < n && text[i + 1] == 0xA0 {
                pendingSpace = true
                i += 2
                continue
            }
            // A run of ordinary bytes, appended at once.
            var j = i + 1
            while j < n {
                let c = text[j]
                if c <= 0x20 || c == 0x7F || c == 0xC2 { break }
                j += 1
            }
            if bytes.count + (j - i) + 2 > limit {
                // Full: keep what fits, on a character boundary, and drop the rest.
                var room = limit - bytes.count - 2
                while room > 0 && text[i + room] & 0xC0 == 0x80 { room -= 1 }
                j = i + max(0, room)
                isTruncated = true
                if j == i { return }
            }
            if bytes.count == blockStart {
                startIfNeeded()
            } else if pendingSpace {
                bytes.append(0x20)
            }
            pendingSpace = false
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[i..<j]))
            if isTruncated { return }
            i = j
        }
    }

    package mutating func append(_ text: String) {
        var t = text
        t.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always) private mutating func appendPreformatted(_ b: UInt8) {
        if b == 0x0D { return }
        if bytes.count + 2 > limit && (b & 0xC0 != 0x80 || bytes.count + 1 > limit) {
            isTruncated = true
            return
        }
        guard b == 0x0A || b == 0x09 || (b >= 0x20 && b != 0x7F) else { return }
        if bytes.count == blockStart {
            if b == 0x0A || b == 0x20 || b == 0x09 { return }  // no leading blank lines or spaces
            startIfNeeded()
        }
        bytes.append(b == 0x09 ? 0x20 : b)
    }

    /// Puts the newline that separates this block from the previous one.
    private mutating func startIfNeeded() {
        if !blocks.isEmpty || blockStart > 0 {
            if bytes.last != 0x0A {
                bytes.append(0x0A)
                separatorAt = bytes.count - 1
            }
            blockStart = bytes.count
        }
    }

    /// Appends a non-breaking-space-like character as a plain space (collapsed like one).
    package mutating func appendSpace() { pendingSpace = true }

    /// Finishes: the body text and its blocks.
    package mutating func finish() -> (body: String, blocks: [TextBlock]) {
        endBlock()
        if let body = String(validating: bytes, as: UTF8.self) {
            return (body, blocks)
        }
        // Invalid UTF-8 slipped in: repair block by block so the ranges stay exact.
        var repaired = TextBuilder(capacity: bytes.count)
        for block in blocks {
            repaired.startBlock(block.kind, level: block.level)
            repaired.append(String(decoding: bytes[block.start..<block.end], as: UTF8.self))
        }
        return repaired.finish()
    }
}
