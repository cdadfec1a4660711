import QuarryIndex

#if canImport(Glibc)
import Glibc
#endif

/// How documents are scored.
public enum ScoringMode: String, Sendable, Codable, CaseIterable {
    /// Title and body as one field: tf = title tf + body tf, length = title + body length.
    case flat
    /// Title and body as separate fields, each with its own statistics and weight; the
    /// document's score is the weighted sum of the fields' BM25.
    case fields
    /// BM25F (the default): each field's tf weighted and normalised by its own length, the
    /// fields added before saturation, one idf per term (docs/SCORING.md).
    case bm25f
}

/// BM25 as Lucene defines it (since Lucene 8, without the (k1 + 1) factor):
///
///     score(t, d) = boost · idf(t) · tf / (tf + k1 · (1 − b + b · dl / avgdl))
///     idf(t)      = ln(1 + (N − df + 0.5) / (df + 0.5))
///
/// with N the number of documents that have the field, df the number that have the term in
/// it, dl the document's length in terms and avgdl the average over the N documents.
/// Lengths are exact (Lucene rounds them to one byte). The `bm25f` mode combines the fields
/// before saturation (`CombinedWeight`, docs/SCORING.md).
public struct BM25Parameters: Sendable, Equatable, Codable {
    public var k1: Double
    /// Length normalisation of the flat form and of passages.
    public var b: Double
    public var mode: ScoringMode
    /// Field weights of the `fields` and `bm25f` modes (and of `title:`/`body:` clauses in the
    /// `flat` and `fields` modes). Under `bm25f` the title's weight is relative to its length:
    /// it is multiplied by the average body length over the average title length, so that 1
    /// makes a title word count as much as the same share of the body (docs/SCORING.md).
    public var titleWeight: Double
    public var bodyWeight: Double
    /// Length normalisation of each field (`fields`, `bm25f`, and `title:`/`body:` clauses).
    public var titleB: Double
    public var bodyB: Double

    /// The field b's of the `bm25f` mode (docs/SCORING.md says how they were chosen).
    public static let bm25fTitleB = 1.0
    public static let bm25fBodyB = 0.9

    /// A field b left nil takes its mode's default: `b` (`bm25fTitleB`, `bm25fBodyB` under
    /// `bm25f`).
    public init(
        k1: Double = 0.9, b: Double = 0.4, mode: ScoringMode = .bm25f, titleWeight: Double = 1, bodyWeight: Double = 1,
        titleB: Double? = nil, bodyB: Double? = nil
    ) {
        self.k1 = k1
        self.b = b
        self.mode = mode
        self.titleWeight = titleWeight
        self.bodyWeight = bodyWeight
        let combined = mode == .bm25f
        self.titleB = titleB ?? (combined ? BM25Parameters.bm25fTitleB : b)
        self.bodyB = bodyB ?? (combined ? BM25Parameters.bm25fBodyB : b)
    }

    public static let `default` = BM25Parameters()

    package func validate() throws {
        guard k1 >= 0 && k1.isFinite else { throw SearchError.invalidParameter("k1 must be a non-negative number, not \(k1)") }
        for (name, value) in [("b", b), ("title b", titleB), ("body b", bodyB)] {
            guard value >= 0 && value <= 1 else { throw SearchError.invalidParameter("\(name) must be between 0 and 1, not \(value)") }
        }
        guard titleWeight >= 0 && titleWeight <= QueryLimits.maxBoost && bodyWeight >= 0 && bodyWeight <= QueryLimits.maxBoost else {
            throw SearchError.invalidParameter("field weights must be numbers from 0 to 10000")
        }
        guard mode == .flat || titleWeight + bodyWeight > 0 else {
            throw SearchError.invalidParameter("at least one field weight must be positive")
        }
    }

    /// Lucene's idf.
    @inline(__always)
    package static func idf(documents n: Int, df: Int) -> Double {
        let documents = Double(n), d = Double(df)
        return (1 + (documents - d + 0.5) / (d + 0.5)).log()
    }
}

extension Double {
    @inline(__always) func log() -> Double { Glibc.log(self) }
}

/// The per-query weight of one term (or phrase) in one field: everything of BM25 but tf
/// and dl, plus what `--explain` shows.
struct FieldWeight: Sendable {
    /// boost · idf (0 when the field cannot match).
    var weight: Double
    /// k1 · (1 − b)
    var k1MinusB: Double
    /// k1 · b / avgdl
    var k1BOverAvg: Double
    // For explanations only.
    var boost: Double = 0
    var idf: Double = 0
    var averageLength: Double = 0
    var documents: Int = 0
    var b: Double = 0

    static let zero = FieldWeight(weight: 0, k1MinusB: 0, k1BOverAvg: 0)

    init(weight: Double, k1MinusB: Double, k1BOverAvg: Double) {
        self.weight = weight
        self.k1MinusB = k1MinusB
        self.k1BOverAvg = k1BOverAvg
    }

    /// `b` is the field's length normalisation (`p.b` when nil).
    init(boost: Double, documents: Int, df: Int, lengthSum: Int, parameters p: BM25Parameters, b: Double? = nil) {
        guard documents > 0, df > 0 else {
            self = .zero
            return
        }
        self.init(
            boost: boost, idf: BM25Parameters.idf(documents: documents, df: df), documents: documents, lengthSum: lengthSum,
            parameters: p, b: b)
    }

    /// A weight with a given idf (a phrase's is the sum of its terms' idf, as in Lucene).
    init(boost: Double, idf: Double, documents: Int, lengthSum: Int, parameters p: BM25Parameters, b: Double? = nil) {
        guard documents > 0 else {
            self = .zero
            return
        }
        let avgdl = Double(lengthSum) / Double(documents)
        let b = b ?? p.b
        weight = boost * idf
        k1MinusB = p.k1 * (1 - b)
        k1BOverAvg = avgdl > 0 ? p.k1 * b / avgdl : 0
        self.b = b
        self.boost = boost
        self.idf = idf
        averageLength = avgdl
        self.documents = documents
    }

    /// Multiplies the weight (a field weight of the `fields` form).
    mutating func scale(_ factor: Double) {
        weight *= factor
        boost *= factor
    }

    /// The score of a term frequency in a field of a length.
    @inline(__always)
    func score(tf: UInt32, length: UInt32) -> Double {
        if tf == 0 { return 0 }
        let f = Double(tf)
        return weight * (f / (f + k1MinusB + k1BOverAvg * Double(length)))
    }

    /// The score of a fractional frequency (a sloppy phrase's).
    @inline(__always)
    func score(frequency f: Double, length: UInt32) -> Double {
        if f <= 0 { return 0 }
        return weight * (f / (f + k1MinusB + k1BOverAvg * Double(length)))
    }
}
