import Testing

@testable import QuarryCore

@Suite("XXH64")
struct XXH64Tests {
    /// Reference values from the xxHash reference implementation (Python `xxhash` package).
    static let vectors: [([UInt8], UInt64, UInt64)] = [
        ([], 0xef46db3751d8e999, 0x95f0626f6f0a4409),
        (Array("a".utf8), 0xd24ec4f1a98c6e5b, 0xdc6349d489e0f965),
        (Array("abc".utf8), 0x44bc2cf5ad770999, 0x9e755206156676d7),
        (Array("Quarry".utf8), 0x951e625a58eca58f, 0x0cd8e11f1cc51a7c),
        (Array(0..<100), 0x6ac1e58032166597, 0x80653e7e9b887cdd),
        ([UInt8](repeating: 0x78, count: 31), 0x60dd0d01083b99f0, 0x3781cea7cb1a961e),
        ([UInt8](repeating: 0x78, count: 32), 0xe2df261fc2ec30eb, 0x3fe32c632942fb04),
        ([UInt8](repeating: 0x78, count: 33), 0xb3fa465f554208a6, 0x9fbdbd0345dc39c0),
    ]

    @Test("one-shot hash matches the reference", arguments: 0..<vectors.count)
    func oneShot(_ i: Int) {
        let (input, seed0, seed7) = XXH64Tests.vectors[i]
        #expect(XXH64.hash(input) == seed0)
        #expect(XXH64.hash(input, seed: 7) == seed7)
    }

    @Test("streaming in any chunking equals one-shot")
    func streaming() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let n = Int.random(in: 0..<300, using: &rng)
            let data = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var h = XXH64()
            var at = 0
            while at < n {
                let take = Int.random(in: 1...40, using: &rng)
                let end = min(n, at + take)
                data[at..<end].withUnsafeBytes { h.update($0) }
                at = end
            }
            #expect(h.finalize() == XXH64.hash(data))
        }
    }
}
