import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIndex

struct Posting {
    var doc: UInt32
    var title: [UInt32]
    var body: [UInt32]
    var titleLength: UInt32
    var bodyLength: UInt32
}

/// Encodes postings and opens a cursor on them (with the 16 readable bytes after the
/// region that index files guarantee through their footer).
func encode(_ postings: [Posting]) -> (doc: [UInt8], pos: [UInt8]) {
    var e = PostingsEncoder()
    defer { e.free() }
    e.begin(df: postings.count)
    for p in postings {
        e.add(
            doc: p.doc, tfTitle: UInt32(p.title.count), tfBody: UInt32(p.body.count), lengthTitle: p.titleLength, lengthBody: p.bodyLength)
        p.title.withUnsafeBufferPointer { t in
            p.body.withUnsafeBufferPointer { b in e.appendPositions(title: t, body: b) }
        }
    }
    e.finish()
    return (Array(e.docBytes.bytes), Array(e.positions.bytes))
}

func randomPostings(count: Int, _ rng: inout some RandomNumberGenerator) -> [Posting] {
    var doc: UInt32 = 0
    return (0..<count).map { i in
        doc += i == 0 ? UInt32.random(in: 0...3, using: &rng) : UInt32.random(in: 1...(i % 50 == 0 ? 5000 : 20), using: &rng)
        let nt = Int.random(in: 0...2, using: &rng)
        let nb = nt == 0 ? Int.random(in: 1...6, using: &rng) : Int.random(in: 0...6, using: &rng)
        var t: [UInt32] = [], b: [UInt32] = []
        var p: UInt32 = 0
        for _ in 0..<nt {
            p += UInt32.random(in: 0...3, using: &rng)
            t.append(p)
            p += 1
        }
        p = UInt32.random(in: 0...2, using: &rng)
        for _ in 0..<nb {
            b.append(p)
            p += UInt32.random(in: 1...300, using: &rng)
        }
        return Posting(
            doc: doc, title: t, body: b, titleLength: UInt32(nt + Int.random(in: 0...5, using: &rng)),
            bodyLength: UInt32(nb + Int.random(in: 0...2000, using: &rng)))
    }
}

func withCursor<R>(_ encoded: (doc: [UInt8], pos: [UInt8]), df: Int, _ body: (PostingsCursor) throws -> R) throws -> R {
    let doc = encoded.doc + [UInt8](repeating: 0, count: 16)
    let pos = encoded.pos + [UInt8](repeating: 0, count: 16)
    return try doc.withUnsafeBytes { d in
        try pos.withUnsafeBytes { p in
            let cursor = try PostingsCursor(
                region: UnsafeRawBufferPointer(rebasing: d[0..<encoded.doc.count]),
                positions: UnsafeRawBufferPointer(rebasing: p[0..<encoded.pos.count]), df: df, name: "test", regionOffset: 0)
            return try body(cursor)
        }
    }
}

@Suite("Postings format")
struct PostingsTests {
    @Test("iteration returns every document, frequency and position", arguments: [1, 5, 127, 128, 129, 256, 300, 1000])
    func roundTrip(count: Int) throws {
        var rng = SystemRandomNumberGenerator()
        let postings = randomPostings(count: count, &rng)
        try withCursor(encode(postings), df: count) { c in
            var title: [UInt32] = [], body: [UInt32] = []
            for p in postings {
                #expect(try c.next() == Int32(p.doc))
                #expect(c.tfTitle == UInt32(p.title.count) && c.tfBody == UInt32(p.body.count))
                try c.positions(title: &title, body: &body)
                #expect(title == p.title && body == p.body)
            }
            #expect(try c.next() == PostingsCursor.end)
        }
    }

    @Test("advance lands on the first document at or after the target; positions still match")
    func advance() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let postings = randomPostings(count: Int.random(in: 1...900, using: &rng), &rng)
            try withCursor(encode(postings), df: postings.count) { c in
                var target: Int32 = 0
                var title: [UInt32] = [], body: [UInt32] = []
                while true {
                    target += Int32.random(in: 0...400, using: &rng)
                    let got = try c.advance(to: target)
                    guard let expected = postings.first(where: { Int32($0.doc) >= target }) else {
                        #expect(got == PostingsCursor.end)
                        break
                    }
                    #expect(got == Int32(expected.doc))
                    if Bool.random(using: &rng) {
                        try c.positions(title: &title, body: &body)
                        #expect(body == expected.body)
                    }
                    target = got + 1
                }
            }
        }
    }

    @Test("block and term impacts bound every posting's frequency-length pair")
    func impacts() throws {
        var rng = SystemRandomNumberGenerator()
        let postings = randomPostings(count: 700, &rng)
        try withCursor(encode(postings), df: postings.count) { c in
            #expect(c.blockCount == 6)
            let term = try c.termImpacts { _ in (0, 0) }
            for b in 0..<c.blockCount {
                let imp = try c.blockImpacts(b)
                let members = postings[(b * 128)..<min(postings.count, (b + 1) * 128)]
                #expect(c.blockLastDoc(b) == Int32(members.last?.doc ?? 0))
                #expect(imp.flat.count <= Impacts.maxPairs)
                // The in-place decoder that queries use reads the same maxima.
                var r = try c.blockImpactsReader(b)
                let m = try Impacts.fieldMaxima(&r)
                #expect(m.pairMaxTF == imp.flat.map(\.tf).max())
                #expect(m.titleMaxTF == imp.titleMaxTF && m.titleMinLength == imp.titleMinLength)
                #expect(m.bodyMaxTF == imp.bodyMaxTF && m.bodyMinLength == imp.bodyMinLength)
                for p in members {
                    let tf = UInt32(p.title.count + p.body.count), len = p.titleLength + p.bodyLength
                    // Some pair dominates it: at least its tf with at most its length.
                    #expect(imp.flat.contains { $0.tf >= tf && $0.length <= len })
                    #expect(term.flat.contains { $0.tf >= tf && $0.length <= len })
                    if !p.title.isEmpty { #expect(imp.titleMaxTF >= UInt32(p.title.count) && imp.titleMinLength <= p.titleLength) }
                    if !p.body.isEmpty { #expect(imp.bodyMaxTF >= UInt32(p.body.count) && imp.bodyMinLength <= p.bodyLength) }
                }
            }
        }
    }

    @Test("impact varints read in place equal the reader's, at every length, and a cut one is an error")
    func shortVarints() throws {
        let values: [UInt32] = [0, 1, 127, 128, 300, 16383, 16384, 2_097_151, 2_097_152, UInt32.max]
        var w = ByteWriter()
        for v in values { w.varint(v) }
        let bytes = w.bytes
        let (read, atEnd, cutFails) = try bytes.withUnsafeBytes { raw -> ([UInt32], Bool, Bool) in
            var r = ByteReader(raw, context: "test")
            var read: [UInt32] = []
            for _ in values { read.append(try Impacts.shortVarint(&r)) }
            // The last byte of a two-byte varint cut off: an error, not a read past the end.
            var cut = ByteReader(UnsafeRawBufferPointer(rebasing: raw[3..<4]), context: "test")
            let cutFails = (try? Impacts.shortVarint(&cut)) == nil
            return (read, r.isAtEnd, cutFails)
        }
        #expect(read == values)
        #expect(atEnd && cutFails)
    }

    @Test("damaged postings are errors, not crashes")
    func damaged() throws {
        var rng = SystemRandomNumberGenerator()
        let postings = randomPostings(count: 400, &rng)
        let good = encode(postings)
        for _ in 0..<300 {
            var bad = good
            let i = Int.random(in: 0..<bad.doc.count, using: &rng)
            bad.doc[i] ^= UInt8.random(in: 1...255, using: &rng)
            _ = try? withCursor(bad, df: postings.count) { c -> Int in
                var n = 0
                var t: [UInt32] = [], b: [UInt32] = []
                while try c.next() != PostingsCursor.end && n < 10_000 {
                    try c.positions(title: &t, body: &b)
                    n += 1
                }
                return n
            }
        }
    }

    @Test("bit packing round-trips every width")
    func bitPacking() {
        var rng = SystemRandomNumberGenerator()
        for width in 0...32 {
            let values = (0..<128).map { _ in
                width == 0 ? 0 : UInt32(truncatingIfNeeded: rng.next() as UInt64) & (width == 32 ? .max : (1 << UInt32(width)) - 1)
            }
            var out: [UInt8] = []
            values.withUnsafeBufferPointer {
                #expect(BitPacking.bitWidth($0) <= width)
                BitPacking.pack($0, width: width, into: &out)
            }
            #expect(out.count == 16 * width)
            out += [UInt8](repeating: 0, count: 8)
            var decoded = [UInt32](repeating: 99, count: 128)
            out.withUnsafeBytes { raw in
                decoded.withUnsafeMutableBufferPointer { BitPacking.unpack(raw.baseAddress!, width: width, into: $0.baseAddress!) }
            }
            #expect(decoded == values)
        }
    }
}
