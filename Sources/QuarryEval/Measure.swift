import QuarryCore

#if canImport(Glibc)
import Glibc
#endif

/// An effectiveness measure of one ranking, defined as trec_eval (and so ir_measures)
/// defines it. The cutoff k counts ranks from 1; a document is relevant when its grade is 1
/// or more, and R (the relevant documents of a query) counts every judged document with such
/// a grade, retrieved or not.
public enum Measure: Hashable, Sendable, CustomStringConvertible {
    /// nDCG@k: Σ gain / log2(rank + 1) over the top k, divided by the same sum over the
    /// ideal ranking of the query's judged documents; the gain is the grade, 0 when the grade
    /// is 0 or negative (trec_eval's `ndcg_cut`). 0 when no document has a positive grade.
    case nDCG(cutoff: Int)
    /// R@k: relevant documents in the top k ÷ R (trec_eval's `recall`); 0 when R = 0.
    case recall(cutoff: Int)
    /// RR@k: 1 ÷ the rank of the first relevant document, 0 when none is in the top k.
    case reciprocalRank(cutoff: Int)
    /// AP@k: Σ over relevant documents in the top k of the precision at their rank, ÷ R
    /// (trec_eval's `map_cut`); 0 when R = 0.
    case averagePrecision(cutoff: Int)
    /// P@k: relevant documents in the top k ÷ k, however many documents were returned.
    case precision(cutoff: Int)

    /// nDCG@10, R@100, RR@10, AP@1000, P@10.
    public static let standard: [Measure] = [
        .nDCG(cutoff: 10), .recall(cutoff: 100), .reciprocalRank(cutoff: 10),
        .averagePrecision(cutoff: 1000), .precision(cutoff: 10),
    ]

    public var cutoff: Int {
        switch self {
        case let .nDCG(k), let .recall(k), let .reciprocalRank(k), let .averagePrecision(k), let .precision(k): return k
        }
    }

    /// The name ir_measures gives it: `nDCG@10`, `R@100`, `RR@10`, `AP@1000`, `P@10`.
    public var description: String {
        switch self {
        case let .nDCG(k): return "nDCG@\(k)"
        case let .recall(k): return "R@\(k)"
        case let .reciprocalRank(k): return "RR@\(k)"
        case let .averagePrecision(k): return "AP@\(k)"
        case let .precision(k): return "P@\(k)"
        }
    }

    /// Reads a name such as `nDCG@10`, `R@100`, `RR@10` or `MRR@10`, `AP@1000` or `MAP@1000`,
    /// `P@10` (letters in any case; `Recall@k` is R@k).
    public init(parsing name: String) throws(QuarryError) {
        let parts = name.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[1]), k >= 1 else {
            throw QuarryError.invalidArgument(
                "unknown measure '\(name)': use nDCG@k, R@k, RR@k (MRR@k), AP@k (MAP@k) or P@k, with a cutoff k of 1 or more")
        }
        switch parts[0].lowercased() {
        case "ndcg": self = .nDCG(cutoff: k)
        case "r", "recall": self = .recall(cutoff: k)
        case "rr", "mrr": self = .reciprocalRank(cutoff: k)
        case "ap", "map": self = .averagePrecision(cutoff: k)
        case "p": self = .precision(cutoff: k)
        default:
            throw QuarryError.invalidArgument(
                "unknown measure '\(name)': use nDCG@k, R@k, RR@k (MRR@k), AP@k (MAP@k) or P@k, with a cutoff k of 1 or more")
        }
    }

    /// The measure of one query: `grades` holds the grade of each ranked document, best
    /// first (at least the first `cutoff` of them, when there are that many; 0 for an
    /// unjudged one); `judged` are the grades of all the query's judgments.
    public func value(grades: [Int], judged: [Int]) -> Double {
        let k = cutoff
        guard k >= 1 else { return 0 }
        let top = grades.prefix(k)
        switch self {
        case .nDCG:
            var dcg = 0.0
            for (i, g) in top.enumerated() where g > 0 { dcg += Double(g) / log2(Double(i + 2)) }
            var ideal = 0.0
            for (i, g) in judged.filter({ $0 > 0 }).sorted(by: >).prefix(k).enumerated() { ideal += Double(g) / log2(Double(i + 2)) }
            return ideal > 0 ? dcg / ideal : 0
        case .recall:
            let relevant = judged.count { $0 >= 1 }
            return relevant > 0 ? Double(top.count { $0 >= 1 }) / Double(relevant) : 0
        case .reciprocalRank:
            guard let i = top.firstIndex(where: { $0 >= 1 }) else { return 0 }
            return 1 / Double(i - top.startIndex + 1)
        case .averagePrecision:
            let relevant = judged.count { $0 >= 1 }
            guard relevant > 0 else { return 0 }
            var found = 0
            var sum = 0.0
            for (i, g) in top.enumerated() where g >= 1 {
                found += 1
                sum += Double(found) / Double(i + 1)
            }
            return sum / Double(relevant)
        case .precision:
            return Double(top.count { $0 >= 1 }) / Double(k)
        }
    }

    /// The measure of one query's ranking (in evaluation order) against its judgments.
    public func value(ranking: [Run.Entry], judgments: [String: Int]) -> Double {
        value(grades: ranking.prefix(cutoff).map { judgments[$0.id] ?? 0 }, judged: Array(judgments.values))
    }
}
