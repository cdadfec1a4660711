import CXXHash

/// XXH64, the 64-bit xxHash function (seed 0 unless given), from Debian's libxxhash
/// (compiled inline). Quarry uses it for file checksums and content fingerprints; the
/// values are part of the index format (docs/FORMAT.md).
///
/// `XXH64` hashes incrementally (`update` any number of times, then `finalize`);
/// `XXH64.hash(_:)` hashes one buffer.
package struct XXH64: @unchecked Sendable {
    // @unchecked: the C state is a plain struct of integers, copied by value.
    private var state = XXH64_state_t()

    package init(seed: UInt64 = 0) {
        _ = XXH64_reset(&state, seed)
    }

    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        _ = XXH64_update(&state, base, bytes.count)
    }

    package mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The hash of everything given so far (the state is not changed).
    package func finalize() -> UInt64 {
        var s = state
        return XXH64_digest(&s)
    }

    package static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        CXXHash.XXH64(bytes.baseAddress, bytes.count, seed)
    }

    package static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }
}
