import Testing

@testable import QuarryCore

@Suite("Byte encoding")
struct BytesTests {
    @Test("varints round-trip and use the documented sizes")
    func varints() throws {
        let values: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, UInt64(UInt32.max), UInt64.max]
        var w = ByteWriter()
        for v in values { w.varint(v) }
        #expect(w.count == values.reduce(0) { $0 + varintSize($1) })
        #expect(varintSize(127) == 1 && varintSize(128) == 2 && varintSize(UInt64.max) == 10)
        try w.bytes.withUnsafeBytes { (raw) throws in
            var r = ByteReader(raw, context: "test")
            for v in values { #expect(try r.varint() == v) }
            #expect(r.isAtEnd)
        }
    }

    @Test("skipping varints lands where decoding them would, and fails cleanly past the end")
    func skipVarints() throws {
        let values: [UInt64] = [5, 300, UInt64.max, 0, 16_384, 127, 128]
        var w = ByteWriter()
        for v in values { w.varint(v) }
        try w.bytes.withUnsafeBytes { (raw) throws in
            for n in 0...values.count {
                var skipping = ByteReader(raw, context: "test"), decoding = ByteReader(raw, context: "test")
                try skipping.skipVarints(n)
                for _ in 0..<n { _ = try decoding.varint() }
                #expect(skipping.position == decoding.position)
                if n < values.count { #expect(try skipping.varint() == values[n]) }
            }
            var r = ByteReader(raw, context: "test")
            #expect(throws: FormatError.self) { try r.skipVarints(values.count + 1) }
        }
    }

    @Test("skipping many varints of mixed sizes (eight bytes at a time) lands where decoding them would")
    func skipManyVarints() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let count = Int.random(in: 0...300, using: &rng)
            // Mostly one-byte values, as positions are, with longer ones mixed in.
            let values: [UInt64] = (0..<count).map { _ in
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: return UInt64.random(in: 0...UInt64.max, using: &rng)
                case 1, 2: return UInt64.random(in: 128..<(1 << 21), using: &rng)
                default: return UInt64.random(in: 0..<128, using: &rng)
                }
            }
            var w = ByteWriter()
            for v in values { w.varint(v) }
            try w.bytes.withUnsafeBytes { (raw) throws in
                let from = Int.random(in: 0...count, using: &rng)
                let n = Int.random(in: 0...(count - from), using: &rng)
                var skipping = ByteReader(raw, context: "test"), decoding = ByteReader(raw, context: "test")
                for _ in 0..<from {
                    _ = try skipping.varint()
                    _ = try decoding.varint()
                }
                try skipping.skipVarints(n)
                for _ in 0..<n { _ = try decoding.varint() }
                #expect(skipping.position == decoding.position, "\(count) values, skip \(n) from \(from)")
                var r = ByteReader(raw, context: "test")
                #expect(throws: FormatError.self) { try r.skipVarints(count + 1) }
            }
        }
    }

    @Test("truncated and overlong input is an error with the byte offset, not a crash")
    func damaged() {
        let truncated: [UInt8] = [0x80, 0x80]
        truncated.withUnsafeBytes { raw in
            var r = ByteReader(raw, fileOffset: 100, context: "f")
            #expect(throws: FormatError.self) { try r.varint() }
        }
        let overlong = [UInt8](repeating: 0xFF, count: 11)
        overlong.withUnsafeBytes { raw in
            var r = ByteReader(raw, context: "f")
            do {
                _ = try r.varint()
                Issue.record("an 11-byte varint was accepted")
            } catch let error as FormatError {
                #expect(error.file == "f")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        let short: [UInt8] = [1, 2, 3]
        short.withUnsafeBytes { raw in
            var r = ByteReader(raw, fileOffset: 40, context: "f")
            do {
                _ = try r.u32()
                Issue.record("read past the end")
            } catch let error as FormatError {
                #expect(error.offset == 40)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test("fixed-width little-endian values round-trip")
    func fixed() throws {
        var w = ByteWriter()
        w.u8(7)
        w.u16(0xBEEF)
        w.u32(0xDEAD_BEEF)
        w.u64(0x0123_4567_89AB_CDEF)
        w.f64(-2.5)
        w.string("Содержание")
        #expect(Array(w.bytes[1...2]) == [0xEF, 0xBE])
        try w.bytes.withUnsafeBytes { (raw) throws in
            var r = ByteReader(raw, context: "t")
            #expect(try r.u8() == 7)
            #expect(try r.u16() == 0xBEEF)
            #expect(try r.u32() == 0xDEAD_BEEF)
            #expect(try r.u64() == 0x0123_4567_89AB_CDEF)
            #expect(try r.f64() == -2.5)
            #expect(try r.string() == "Содержание")
        }
    }

    @Test("byte-string table maps keys to dense ids and finds them again")
    func table() {
        let t = ByteStringTable(capacity: 4)
        var ids: [String: Int] = [:]
        for i in 0..<5000 {
            let key = "k\(i % 3000)-\(String(repeating: "x", count: i % 17))"
            let (id, inserted) = t.insert(Array(key.utf8))
            if let existing = ids[key] {
                #expect(!inserted && id == existing)
            } else {
                #expect(inserted && id == ids.count)
                ids[key] = id
            }
        }
        for (key, id) in ids {
            let found = Array(key.utf8).withUnsafeBytes { t.find($0) }
            #expect(found == id)
            #expect(t.key(id) == Array(key.utf8))
        }
        #expect(Array("absent".utf8).withUnsafeBytes { t.find($0) } == nil)
    }

    @Test("byte comparison is unsigned lexicographic order")
    func comparison() {
        let words = ["", "a", "ab", "abc", "abd", "b", "z", "\u{00E9}", "\u{0436}", "aaaaaaaaaaaaaaaaaab", "aaaaaaaaaaaaaaaaaac"]
        for x in words {
            for y in words {
                let c = Array(x.utf8).withUnsafeBytes { a in Array(y.utf8).withUnsafeBytes { b in compareBytes(a, b) } }
                let expected = x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : (x == y ? 0 : 1)
                #expect((c < 0 ? -1 : (c == 0 ? 0 : 1)) == expected, "\(x) vs \(y)")
            }
        }
    }
}
