import QuarryCore

/// What the segment builder keeps per term: where its in-memory postings stream is, and the
/// term's statistics so far.
struct TermState {
    /// Start of the stream's first slice, next write position, end of the current slice
    /// (where its link goes), and the current slice's size level.
    var head: UInt32
    var write: UInt32
    var limit: UInt32
    var level: UInt32
    /// Last document added (-1 before the first).
    var lastDoc: Int32
    var df: UInt32
    var dfTitle: UInt32
    var dfBody: UInt32
    var passageDf: UInt32
    /// The term's id in the thread's `TermCache`.
    var cacheID: Int32
}

/// Growable byte streams for many terms in one memory pool (the in-memory postings of a
/// segment being built). Each stream is a chain of slices of growing size; the last four
/// bytes of a full slice hold the pool offset of the next slice. One allocation for all
/// streams keeps the per-term overhead to a few integers.
///
/// The pool owns raw memory that its owner frees with `free()` (copies share it; the
/// segment builder keeps exactly one).
struct SlicePool {
    /// Slice sizes by level, including the 4-byte link.
    static let sizes: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        16, 32, 64, 128, 256, 512, 1024, 2048, 4096
    )
    static let levels: UInt32 = 9

    @inline(__always) static func size(_ level: UInt32) -> UInt32 {
        switch level {
        case 0: return sizes.0
        case 1: return sizes.1
        case 2: return sizes.2
        case 3: return sizes.3
        case 4: return sizes.4
        case 5: return sizes.5
        case 6: return sizes.6
        case 7: return sizes.7
        default: return sizes.8
        }
    }

    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var used: Int = 0

    init(capacity: Int = 1 << 20) {
        self.capacity = max(capacity, 64)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    /// Releases the memory (the pool must not be used afterwards).
    func free() { base.deallocate() }

    /// Allocates a slice of `level`; returns its start.
    @inline(__always)
    private mutating func allocate(level: UInt32) -> UInt32 {
        let size = Int(SlicePool.size(level))
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

    /// A new, empty stream for a term.
    mutating func newTerm(cacheID: Int32) -> TermState {
        let start = allocate(level: 0)
        return TermState(
            head: start, write: start, limit: start + SlicePool.size(0) - 4, level: 0,
            lastDoc: -1, df: 0, dfTitle: 0, dfBody: 0, passageDf: 0, cacheID: cacheID)
    }

    @inline(__always)
    mutating func append(_ t: UnsafeMutablePointer<TermState>, _ byte: UInt8) {
        var w = t.pointee.write
        if w == t.pointee.limit {
            let next = min(t.pointee.level + 1, SlicePool.levels - 1)
            let start = allocate(level: next)
            base.storeBytes(of: start.littleEndian, toByteOffset: Int(w), as: UInt32.self)
            t.pointee.level = next
            t.pointee.limit = start + SlicePool.size(next) - 4
            w = start
        }
        base.storeBytes(of: byte, toByteOffset: Int(w), as: UInt8.self)
        t.pointee.write = w + 1
    }

    @inline(__always)
    mutating func appendVarint(_ t: UnsafeMutablePointer<TermState>, _ value: UInt32) {
        var v = value
        while v >= 0x80 {
            append(t, UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        append(t, UInt8(v))
    }
}

/// Reads one term's stream of a `SlicePool` from its start to its write position.
struct SliceReader {
    private let base: UnsafeRawPointer
    private var position: Int
    private var sliceEnd: Int
    private var level: UInt32
    private let end: Int

    init(pool: SlicePool, term: TermState) {
        base = UnsafeRawPointer(pool.base)
        position = Int(term.head)
        sliceEnd = position + Int(SlicePool.size(0)) - 4
        level = 0
        end = Int(term.write)
    }

    var isAtEnd: Bool { position == end }

    @inline(__always)
    mutating func byte() -> UInt8 {
        if position == sliceEnd {
            let next = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            level = min(level + 1, SlicePool.levels - 1)
            position = next
            sliceEnd = next + Int(SlicePool.size(level)) - 4
        }
        let b = base.load(fromByteOffset: position, as: UInt8.self)
        position += 1
        return b
    }

    /// Copies `count` varints, as they are, to `out`.
    @inline(__always)
    mutating func copyVarints(_ count: Int, into out: inout RawBuffer<UInt8>) {
        var left = count
        while left > 0 {
            let b = byte()
            out.append(b)
            if b < 0x80 { left -= 1 }
        }
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
