/// A hash of a short byte string (words, terms): 8 bytes at a time, then a final mix.
@inline(__always)
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
/// order. Keys are copied into one arena, so a lookup allocates nothing. Used for the
/// term tables of the indexer and the analyzer's caches (hot paths).
public struct ByteStringTable {
    /// All keys, back to back.
    public private(set) var arena: [UInt8] = []
    /// Per id: start of its key in `arena`.
    public private(set) var keyStart: [Int32] = []
    /// Per id: key length.
    public private(set) var keyLength: [Int32] = []
    private var hashes: [UInt32] = []
    /// Slot → id + 1 (0 means empty).
    private var slots: [Int32]
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of keys.
    public var count: Int { keyStart.count }

    /// Approximate heap bytes used (for RAM budgets).
    public var memoryBytes: Int { arena.capacity + keyStart.capacity * 8 + hashes.capacity * 4 + slots.count * 4 }

    /// The id of a key, or nil.
    @inline(__always)
    public func find(_ key: UnsafeRawBufferPointer) -> Int? {
        find(key, hash: hashBytes(key))
    }

    @inline(__always)
    public func find(_ key: UnsafeRawBufferPointer, hash h: UInt64) -> Int? {
        let h32 = UInt32(truncatingIfNeeded: h)
        var slot = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { s in
            while true {
                let e = Int(s[slot])
                if e == 0 { return nil }
                let id = e - 1
                if hashes[id] == h32 && keyEquals(id, key) { return id }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    private func keyEquals(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let len = Int(keyLength[id])
        if len != key.count { return false }
        if len == 0 { return true }
        let start = Int(keyStart[id])
        return arena.withUnsafeBytes { a in
            guard let pa = a.baseAddress, let pk = key.baseAddress else { return false }
            return memcmpBytes(pa + start, pk, len)
        }
    }

    /// The id of a key, inserting it when new. `inserted` tells which.
    @inline(__always)
    public mutating func insert(_ key: UnsafeRawBufferPointer, hash h: UInt64) -> (id: Int, inserted: Bool) {
        let h32 = UInt32(truncatingIfNeeded: h)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[slot])
            if e == 0 { break }
            let id = e - 1
            if hashes[id] == h32 && keyEquals(id, key) { return (id, false) }
            slot = (slot + 1) & mask
        }
        let id = keyStart.count
        keyStart.append(Int32(arena.count))
        keyLength.append(Int32(key.count))
        hashes.append(h32)
        arena.append(contentsOf: key)
        slots[slot] = Int32(id + 1)
        if count * 2 > mask { grow() }
        return (id, true)
    }

    public mutating func insert(_ key: UnsafeRawBufferPointer) -> (id: Int, inserted: Bool) {
        insert(key, hash: hashBytes(key))
    }

    public mutating func insert(_ key: [UInt8]) -> (id: Int, inserted: Bool) {
        key.withUnsafeBytes { insert($0) }
    }

    private mutating func grow() {
        let size = (mask + 1) * 2
        var newSlots = [Int32](repeating: 0, count: size)
        let newMask = size - 1
        for id in 0..<count {
            var slot = Int(hashes[id]) & newMask
            while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = Int32(id + 1)
        }
        slots = newSlots
        mask = newMask
    }

    /// Calls `body` with the bytes of key `id`.
    @inline(__always)
    public func withKey<R>(_ id: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = Int(keyStart[id]), len = Int(keyLength[id])
        return try arena.withUnsafeBytes { a in
            try body(UnsafeRawBufferPointer(rebasing: a[start..<(start + len)]))
        }
    }

    /// The key of `id` as an array.
    public func key(_ id: Int) -> [UInt8] {
        let start = Int(keyStart[id]), len = Int(keyLength[id])
        return Array(arena[start..<(start + len)])
    }

    public mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        keyStart.removeAll(keepingCapacity: true)
        keyLength.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }
}

/// memcmp-equality of two byte ranges.
@inline(__always)
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
@inline(__always)
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
