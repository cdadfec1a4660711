import QuarryCore

/// Two runs evaluated on the same qrels, measure by measure: their means, the difference
/// (B − A) and the p-value of a two-sided paired randomisation test.
///
/// The test asks how often a difference as large as the one observed arises when, query by
/// query, the labels A and B are swapped at random (each query's difference keeps or flips
/// its sign with probability 1/2). With n queries and N permutations:
/// - when 2ⁿ ≤ N, all 2ⁿ sign assignments are enumerated and p is exact;
/// - otherwise N assignments are drawn from a SplitMix64 generator started at `seed`, and
///   p = (1 + the count of assignments whose |mean difference| ≥ the observed one) ÷ (N + 1),
///   so p is never 0 and the same inputs always give the same p.
/// The same assignments serve every measure.
public struct Comparison: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var measure: Measure
        public var meanA: Double
        public var meanB: Double
        /// meanB − meanA.
        public var difference: Double
        public var pValue: Double
    }

    public static let defaultPermutations = 10_000
    public static let defaultSeed: UInt64 = 20_240_601

    public let rows: [Row]
    /// Random sign assignments drawn (or all 2ⁿ of them when `exact`).
    public let permutations: Int
    public let seed: UInt64
    public let exact: Bool
    /// The number of paired queries.
    public let queries: Int

    /// Compares `b` with `a`; both must hold the same queries and measures (evaluations of
    /// two runs on the same qrels with the same measures).
    public init(
        _ a: Evaluation, _ b: Evaluation, permutations: Int = Comparison.defaultPermutations,
        seed: UInt64 = Comparison.defaultSeed
    ) throws(QuarryError) {
        guard a.queryIDs == b.queryIDs else { throw QuarryError.invalidArgument("the two evaluations are over different queries") }
        guard a.measures == b.measures else { throw QuarryError.invalidArgument("the two evaluations have different measures") }
        guard permutations >= 1 else { throw QuarryError.invalidArgument("the randomisation test needs at least 1 permutation") }
        let n = a.queryIDs.count
        let differences = (0..<a.measures.count).map { m in (0..<n).map { b.values[m][$0] - a.values[m][$0] } }
        let exact = n < 62 && (1 << n) <= permutations
        let counts = Comparison.extremeCounts(differences, n: n, permutations: permutations, seed: seed, exact: exact)
        let total = exact ? Double(1 << n) : Double(permutations + 1)
        rows = a.measures.enumerated().map { m, measure in
            let ma = Evaluation.mean(a.values[m]), mb = Evaluation.mean(b.values[m])
            let extreme = Double(counts[m] + (exact ? 0 : 1))
            return Row(measure: measure, meanA: ma, meanB: mb, difference: mb - ma, pValue: min(1, extreme / total))
        }
        self.permutations = exact ? 1 << n : permutations
        self.seed = seed
        self.exact = exact
        queries = n
    }

    /// For each measure, how many sign assignments give |Σ ±dᵢ| at least |Σ dᵢ|.
    private static func extremeCounts(_ differences: [[Double]], n: Int, permutations: Int, seed: UInt64, exact: Bool) -> [Int] {
        let observed = differences.map { abs($0.reduce(0, +)) }
        // Sums that are equal in exact arithmetic may differ in the last bits.
        let tolerance = differences.map { 1e-12 * max(1, $0.reduce(0) { $0 + abs($1) }) }
        var counts = [Int](repeating: 0, count: differences.count)
        let words = (n + 63) / 64
        var signs = [UInt64](repeating: 0, count: max(1, words))
        var generator = SplitMix64(seed: seed)
        let rounds = exact ? 1 << n : permutations
        for round in 0..<rounds {
            if exact {
                signs[0] = UInt64(round)
            } else {
                for w in 0..<words { signs[w] = generator.next() }
            }
            for (m, d) in differences.enumerated() {
                var sum = 0.0
                for i in 0..<n {
                    let flipped = (signs[i >> 6] >> UInt64(i & 63)) & 1 == 1
                    sum += flipped ? -d[i] : d[i]
                }
                if abs(sum) >= observed[m] - tolerance[m] { counts[m] += 1 }
            }
        }
        return counts
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast generator with a fixed sequence
/// for each seed, so p-values are reproducible.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
