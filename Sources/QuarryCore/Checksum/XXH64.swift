/// XXH64, the 64-bit xxHash function (seed 0 unless given), written from the published
/// algorithm description. Quarry uses it for file checksums and for content fingerprints.
///
/// `XXH64` hashes incrementally (`update` any number of times, then `finalize`);
/// `XXH64.hash(_:)` hashes one buffer.
package struct XXH64: Sendable {
    @usableFromInline static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    @usableFromInline static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    @usableFromInline static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var v1: UInt64, v2: UInt64, v3: UInt64, v4: UInt64
    private let seed: UInt64
    private var totalLength: UInt64 = 0
    /// Bytes not yet folded into the four lanes (always fewer than 32).
    private var pending: [UInt8] = []

    package init(seed: UInt64 = 0) {
        self.seed = seed
        v1 = seed &+ XXH64.p1 &+ XXH64.p2
        v2 = seed &+ XXH64.p2
        v3 = seed
        v4 = seed &- XXH64.p1
        pending.reserveCapacity(32)
    }

    @inline(__always) static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always) static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always) static func mergeRound(_ acc: UInt64, _ val: UInt64) -> UInt64 {
        (acc ^ round(0, val)) &* p1 &+ p4
    }

    /// Folds whole 32-byte stripes of `base[0..<count]` into the lanes; returns bytes consumed.
    @inline(__always)
    private static func stripes(
        _ base: UnsafeRawPointer, _ count: Int,
        _ a: inout UInt64, _ b: inout UInt64, _ c: inout UInt64, _ d: inout UInt64
    ) -> Int {
        var i = 0
        while i + 32 <= count {
            a = round(a, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            b = round(b, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)))
            c = round(c, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)))
            d = round(d, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)))
            i += 32
        }
        return i
    }

    /// Adds bytes to the running hash.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        totalLength &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(32 - pending.count, bytes.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
            offset = take
            if pending.count < 32 { return }
            pending.withUnsafeBytes { p in
                _ = XXH64.stripes(p.baseAddress!, 32, &v1, &v2, &v3, &v4)
            }
            pending.removeAll(keepingCapacity: true)
        }
        let rest = bytes.count - offset
        let used = XXH64.stripes(base + offset, rest, &v1, &v2, &v3, &v4)
        if used < rest {
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base + offset + used, count: rest - used))
        }
    }

    /// Adds the bytes of an array to the running hash.
    package mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The hash of everything added so far (the state is left unchanged).
    package func finalize() -> UInt64 {
        var h: UInt64
        if totalLength >= 32 {
            h = XXH64.rotl(v1, 1) &+ XXH64.rotl(v2, 7) &+ XXH64.rotl(v3, 12) &+ XXH64.rotl(v4, 18)
            h = XXH64.mergeRound(h, v1)
            h = XXH64.mergeRound(h, v2)
            h = XXH64.mergeRound(h, v3)
            h = XXH64.mergeRound(h, v4)
        } else {
            h = seed &+ XXH64.p5
        }
        h &+= totalLength
        return pending.withUnsafeBytes { XXH64.finish(h, $0) }
    }

    @inline(__always)
    private static func finish(_ start: UInt64, _ tail: UnsafeRawBufferPointer) -> UInt64 {
        var h = start
        var i = 0
        let n = tail.count
        if let p = tail.baseAddress {
            while i + 8 <= n {
                let k = round(0, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                h = rotl(h ^ k, 27) &* p1 &+ p4
                i += 8
            }
            if i + 4 <= n {
                let k = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
                h = rotl(h ^ (k &* p1), 23) &* p2 &+ p3
                i += 4
            }
            while i < n {
                h = rotl(h ^ (UInt64(p.load(fromByteOffset: i, as: UInt8.self)) &* p5), 11) &* p1
                i += 1
            }
        }
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        h = h &* p3
        h ^= h >> 32
        return h
    }

    /// One-shot XXH64 of a buffer (no allocation).
    package static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let n = bytes.count
        var h: UInt64
        var used = 0
        if n >= 32, let base = bytes.baseAddress {
            var a = seed &+ p1 &+ p2, b = seed &+ p2, c = seed, d = seed &- p1
            used = stripes(base, n, &a, &b, &c, &d)
            h = rotl(a, 1) &+ rotl(b, 7) &+ rotl(c, 12) &+ rotl(d, 18)
            h = mergeRound(h, a)
            h = mergeRound(h, b)
            h = mergeRound(h, c)
            h = mergeRound(h, d)
        } else {
            h = seed &+ p5
        }
        h &+= UInt64(n)
        return finish(h, UnsafeRawBufferPointer(rebasing: bytes[used...]))
    }

    /// One-shot XXH64 of a byte array.
    package static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }
}
