/// Growable byte streams for many terms in one memory pool (the in-memory postings of a
/// segment being built). Each stream is a chain of slices of growing size; the last four
/// bytes of a full slice hold the pool offset of the next slice. One allocation for all
/// streams keeps the per-term overhead to a few integers.
struct SlicePool: ~Copyable {
    /// Slice sizes by level, including the 4-byte link.
    static let sizes: [UInt32] = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096]

    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var used: Int = 0

    init(capacity: Int = 1 << 20) {
        self.capacity = max(capacity, 64)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    mutating func reset() { used = 0 }

    /// Allocates a slice of `level`; returns its start.
    @inline(__always)
    mutating func allocate(level: Int) -> UInt32 {
        let size = Int(SlicePool.sizes[level])
        if used + size > capacity { grow(minimum: used + size) }
        let start = used
        used += size
        return UInt32(start)
    }

    private mutating func grow(minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: used)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}

/// Write cursors of the streams in a `SlicePool`, one per term id.
struct SliceStreams {
    /// Start of each stream's first slice.
    var head: [UInt32] = []
    /// Next write position.
    var write: [UInt32] = []
    /// Position of the current slice's link (its end).
    var limit: [UInt32] = []
    var level: [UInt8] = []

    var count: Int { head.count }

    mutating func reserve(_ n: Int) {
        head.reserveCapacity(n)
        write.reserveCapacity(n)
        limit.reserveCapacity(n)
        level.reserveCapacity(n)
    }

    /// Starts a new stream; returns its id.
    @inline(__always)
    mutating func add(_ pool: inout SlicePool) -> Int {
        let start = pool.allocate(level: 0)
        head.append(start)
        write.append(start)
        limit.append(start + SlicePool.sizes[0] - 4)
        level.append(0)
        return head.count - 1
    }

    @inline(__always)
    mutating func append(_ stream: Int, _ byte: UInt8, _ pool: inout SlicePool) {
        var w = write[stream]
        if w == limit[stream] {
            let next = Int(min(Int(level[stream]) + 1, SlicePool.sizes.count - 1))
            let start = pool.allocate(level: next)
            pool.base.storeBytes(of: start.littleEndian, toByteOffset: Int(w), as: UInt32.self)
            level[stream] = UInt8(next)
            limit[stream] = start + SlicePool.sizes[next] - 4
            w = start
        }
        pool.base.storeBytes(of: byte, toByteOffset: Int(w), as: UInt8.self)
        write[stream] = w + 1
    }

    @inline(__always)
    mutating func appendVarint(_ stream: Int, _ value: UInt32, _ pool: inout SlicePool) {
        var v = value
        while v >= 0x80 {
            append(stream, UInt8(truncatingIfNeeded: v) | 0x80, &pool)
            v >>= 7
        }
        append(stream, UInt8(v), &pool)
    }

    mutating func removeAll() {
        head.removeAll(keepingCapacity: true)
        write.removeAll(keepingCapacity: true)
        limit.removeAll(keepingCapacity: true)
        level.removeAll(keepingCapacity: true)
    }
}

/// Reads one stream of a `SlicePool` from its start to its write position.
struct SliceReader {
    private let base: UnsafeRawPointer
    private var position: Int
    private var sliceEnd: Int
    private var level: Int
    private let end: Int

    init(pool: borrowing SlicePool, streams: SliceStreams, stream: Int) {
        base = UnsafeRawPointer(pool.base)
        position = Int(streams.head[stream])
        sliceEnd = position + Int(SlicePool.sizes[0]) - 4
        level = 0
        end = Int(streams.write[stream])
    }

    var isAtEnd: Bool { position == end }

    @inline(__always)
    mutating func byte() -> UInt8 {
        if position == sliceEnd {
            let next = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            level = min(level + 1, SlicePool.sizes.count - 1)
            position = next
            sliceEnd = next + Int(SlicePool.sizes[level]) - 4
        }
        let b = base.load(fromByteOffset: position, as: UInt8.self)
        position += 1
        return b
    }

    @inline(__always)
    mutating func varint() -> UInt32 {
        var b = byte()
        var v = UInt32(b & 0x7F)
        var shift: UInt32 = 7
        while b >= 0x80 {
            b = byte()
            v |= UInt32(b & 0x7F) << shift
            shift += 7
        }
        return v
    }
}
