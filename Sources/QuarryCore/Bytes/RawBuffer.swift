/// A growable buffer of plain values in manually managed memory, for the innermost loops of
/// indexing: appends and writes cost no copy-on-write uniqueness check (a Swift array
/// checks on every write). The owner calls `free()` exactly once; copies share the memory.
/// Indexes are internal invariants, checked in debug builds only.
///
/// Public only so that its `@inlinable` members inline into other modules of the package
/// (Swift 6.3 does not inline them across modules for package types; see `DocumentView`).
public struct RawBuffer<Element: BitwiseCopyable> {
    @usableFromInline var _base: UnsafeMutablePointer<Element>
    @usableFromInline var _count = 0
    @usableFromInline var _capacity: Int

    /// The first element (valid until the next append).
    @inlinable package var base: UnsafeMutablePointer<Element> { _base }
    @inlinable package var count: Int { _count }
    @inlinable package var capacity: Int { _capacity }

    @inlinable
    package init(capacity: Int = 16) {
        _capacity = max(capacity, 4)
        _base = .allocate(capacity: _capacity)
    }

    @inlinable @inline(__always)
    package mutating func append(_ e: Element) {
        if _count == _capacity { grow(count + 1) }
        (_base + _count).initialize(to: e)
        _count += 1
    }

    /// Appends `n` copies of a value.
    @inlinable
    package mutating func append(repeating e: Element, count n: Int) {
        if _count + n > _capacity { grow(count + n) }
        (_base + _count).initialize(repeating: e, count: n)
        _count += n
    }

    @inlinable @inline(__always)
    package subscript(i: Int) -> Element {
        get {
            assert(i >= 0 && i < count)
            return _base[i]
        }
        nonmutating set {
            assert(i >= 0 && i < count)
            _base[i] = newValue
        }
    }

    @inlinable @inline(__always) package mutating func removeAll() { _count = 0 }

    /// The elements as a buffer (valid until the next append).
    @inlinable package var elements: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: _base, count: _count) }

    @inlinable package var memoryBytes: Int { _capacity * MemoryLayout<Element>.stride }

    @inlinable package mutating func reserve(_ n: Int) {
        if n > _capacity { grow(n) }
    }

    @usableFromInline mutating func grow(_ minimum: Int) {
        var c = _capacity * 2
        while c < minimum { c *= 2 }
        let b = UnsafeMutablePointer<Element>.allocate(capacity: c)
        b.moveInitialize(from: _base, count: _count)
        _base.deallocate()
        _base = b
        _capacity = c
    }

    /// Releases the memory; the buffer must not be used afterwards.
    @inlinable package func free() { _base.deallocate() }
}
