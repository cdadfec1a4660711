/// A hash of a short byte string (words, terms): 8 bytes at a time, then a final mix.
@inlinable @inline(__always)
public func hashBytes(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    let count = bytes.count
    var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ (UInt64(count) &* 0x9E37_79B9_7F4A_7C15)
    guard let p = bytes.baseAddress, count > 0 else { return h }
    var i = 0
    while i + 8 <= count {
        let k = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        h = (h ^ (k &* 0xBF58_476D_1CE4_E5B9)) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        i += 8
    }
    if i < count {
        var k: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            k |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        h = (h ^ (k &* 0xBF58_476D_1CE4_E5B9)) &* 0x94D0_49BB_1331_11EB
    }
    h ^= h >> 31
    h = h &* 0xD6E8_FEB8_6659_FD93
    h ^= h >> 32
    return h
}

/// An open-addressing hash table from byte strings to dense ids 0, 1, 2, … in insertion
/// order: the term tables of the indexer and the analyzer's caches (hot paths). Keys are
/// copied into one arena, so a lookup allocates nothing.
///
/// A slot is two words: the key's hash tag (24 bits), its length (8 bits, 255 meaning
/// "255 or more") and its id + 1 (32 bits); then the key's first 8 bytes. A key of at most
/// 8 bytes — most words — is found with one memory access; a longer one also compares the
/// rest in the arena.
///
/// A class over raw memory (freed in `deinit`), with unchecked exclusivity: a lookup costs
/// no reference counting, uniqueness or exclusivity check. Not thread-safe.
///
/// Public only so that its `@inlinable` members inline into other modules of the package
/// (Swift 6.3 does not inline them across modules for package types; see `DocumentView`).
public final class ByteStringTable {
    @usableFromInline @exclusivity(unchecked) var slots: UnsafeMutablePointer<UInt64>
    @usableFromInline @exclusivity(unchecked) var mask: Int
    /// Per id: start of its key in the arena (high 40 bits) and its length (low 24 bits).
    @usableFromInline @exclusivity(unchecked) var keys: UnsafeMutablePointer<UInt64>
    @usableFromInline @exclusivity(unchecked) var keyCapacity: Int
    @usableFromInline @exclusivity(unchecked) var keyCount = 0
    /// All keys, back to back.
    @usableFromInline @exclusivity(unchecked) var arena: UnsafeMutablePointer<UInt8>
    @usableFromInline @exclusivity(unchecked) var arenaCapacity: Int
    @usableFromInline @exclusivity(unchecked) var arenaCount = 0

    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = .allocate(capacity: size * 2)
        slots.initialize(repeating: 0, count: size * 2)
        mask = size - 1
        keyCapacity = max(16, capacity)
        keys = .allocate(capacity: keyCapacity)
        arenaCapacity = max(64, capacity * 8)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        keys.deallocate()
        arena.deallocate()
    }

    /// Number of keys.
    package var count: Int { keyCount }

    /// Heap bytes held (for RAM budgets).
    package var memoryBytes: Int { (mask + 1) * 16 + keyCapacity * 8 + arenaCapacity }

    /// The first 8 bytes of a key, zero-padded, little-endian.
    @inlinable @inline(__always)
    static func prefix(_ key: UnsafeRawBufferPointer) -> UInt64 {
        guard let p = key.baseAddress else { return 0 }
        let n = key.count
        if n >= 8 { return UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) }
        var v: UInt64 = 0
        var i = 0
        while i < n {
            v |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << UInt64(i &* 8)
            i &+= 1
        }
        return v
    }

    /// Hash tag and length as they sit in the high 32 bits of a slot's first word.
    @inlinable @inline(__always)
    static func head(_ h: UInt64, _ length: Int) -> UInt64 {
        (h >> 40) << 40 | UInt64(min(length, 255)) << 32
    }

    /// The id of a key, or nil.
    @inlinable @inline(__always)
    package func find(_ key: UnsafeRawBufferPointer) -> Int? {
        find(key, hash: hashBytes(key))
    }

    @inlinable @inline(__always)
    package func find(_ key: UnsafeRawBufferPointer, hash h: UInt64) -> Int? {
        let head = ByteStringTable.head(h, key.count)
        let first = ByteStringTable.prefix(key)
        let s = slots
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = s[slot &* 2]
            if e == 0 { return nil }
            if e & 0xFFFF_FFFF_0000_0000 == head && s[slot &* 2 &+ 1] == first {
                let id = Int(truncatingIfNeeded: e & 0xFFFF_FFFF) &- 1
                if key.count <= 8 || restEquals(id, key) { return id }
            }
            slot = (slot &+ 1) & mask
        }
    }

    /// Whether key `id` equals `key` after their common first 8 bytes.
    @inlinable
    func restEquals(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let ref = keys[id]
        let len = Int(truncatingIfNeeded: ref & 0xFF_FFFF)
        guard len == key.count, let pk = key.baseAddress else { return false }
        let start = Int(truncatingIfNeeded: ref >> 24)
        return memcmpBytes(UnsafeRawPointer(arena + start + 8), pk + 8, len - 8)
    }

    /// The id of a key, inserting it when new. `inserted` tells which. Keys longer than
    /// 16 MiB are cut.
    @discardableResult
    package func insert(_ key: UnsafeRawBufferPointer, hash h: UInt64) -> (id: Int, inserted: Bool) {
        if let id = find(key, hash: h) { return (id, false) }
        let key = UnsafeRawBufferPointer(rebasing: key.prefix(0xFF_FFFF))
        if keyCount == keyCapacity {
            keyCapacity *= 2
            let k = UnsafeMutablePointer<UInt64>.allocate(capacity: keyCapacity)
            k.moveInitialize(from: keys, count: keyCount)
            keys.deallocate()
            keys = k
        }
        if arenaCount + key.count > arenaCapacity {
            var c = arenaCapacity * 2
            while c < arenaCount + key.count { c *= 2 }
            let a = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            a.moveInitialize(from: arena, count: arenaCount)
            arena.deallocate()
            arena = a
            arenaCapacity = c
        }
        let id = keyCount
        keys[id] = UInt64(arenaCount) << 24 | UInt64(key.count)
        if let base = key.baseAddress {
            UnsafeMutableRawPointer(arena + arenaCount).copyMemory(from: base, byteCount: key.count)
        }
        arenaCount += key.count
        keyCount += 1
        place(id, head: ByteStringTable.head(h, key.count), first: ByteStringTable.prefix(key), hash: h)
        if keyCount * 2 > mask { grow() }
        return (id, true)
    }

    private func place(_ id: Int, head: UInt64, first: UInt64, hash h: UInt64) {
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot * 2] != 0 { slot = (slot + 1) & mask }
        slots[slot * 2] = head | UInt64(id + 1)
        slots[slot * 2 + 1] = first
    }

    @discardableResult
    package func insert(_ key: UnsafeRawBufferPointer) -> (id: Int, inserted: Bool) {
        insert(key, hash: hashBytes(key))
    }

    @discardableResult
    package func insert(_ key: [UInt8]) -> (id: Int, inserted: Bool) {
        key.withUnsafeBytes { insert($0) }
    }

    private func grow() {
        let size = (mask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: size * 2)
        slots.initialize(repeating: 0, count: size * 2)
        mask = size - 1
        for id in 0..<keyCount {
            withKey(id) { key in
                let h = hashBytes(key)
                place(id, head: ByteStringTable.head(h, key.count), first: ByteStringTable.prefix(key), hash: h)
            }
        }
    }

    /// Calls `body` with the bytes of key `id`.
    @inline(__always)
    package func withKey<R>(_ id: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let ref = keys[id]
        let start = Int(ref >> 24), len = Int(ref & 0xFF_FFFF)
        return try body(UnsafeRawBufferPointer(start: arena + start, count: len))
    }

    /// The key of `id` as an array.
    package func key(_ id: Int) -> [UInt8] {
        withKey(id) { Array($0) }
    }

    /// Forgets every key.
    package func removeAll() {
        keyCount = 0
        arenaCount = 0
        slots.update(repeating: 0, count: (mask + 1) * 2)
    }
}

/// memcmp-equality of two byte ranges.
@inlinable @inline(__always)
public func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}

/// Lexicographic comparison of two byte strings (as unsigned bytes): <0, 0 or >0.
@inlinable @inline(__always)
public func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        var i = 0
        while i + 8 <= n {
            let x = UInt64(bigEndian: pa.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let y = UInt64(bigEndian: pb.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            i += 8
        }
        while i < n {
            let x = pa.load(fromByteOffset: i, as: UInt8.self), y = pb.load(fromByteOffset: i, as: UInt8.self)
            if x != y { return Int(x) - Int(y) }
            i += 1
        }
    }
    return a.count - b.count
}

/// Whether `a` sorts before `b` by their UTF-8 bytes (the order the on-disk tables use),
/// without the generic per-element walk of `utf8.lexicographicallyPrecedes`.
@inlinable
public func utf8Precedes(_ a: String, _ b: String) -> Bool {
    var a = a, b = b
    return a.withUTF8 { x in b.withUTF8 { y in compareBytes(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) < 0 } }
}
