/// How a result's score was computed: the sum of its parts' scores.
public struct ScoreExplanation: Sendable, Equatable, Codable {
    public var score: Double
    public var parts: [ScorePart]

    public init(score: Double, parts: [ScorePart]) {
        self.score = score
        self.parts = parts
    }
}

/// The BM25 of one query term (or phrase) in one field of one result:
///
///     score = boost · idf · tf / (tf + k1 · lengthNorm),  lengthNorm = 1 − b + b · length / averageLength
public struct ScorePart: Sendable, Equatable, Codable {
    /// The query clause, as written (`kernel`, `title:kernel`, `"grace period"~2`, `optim* → optimis`).
    public var clause: String
    /// The analysed terms: one, or a phrase's (whose idf is the sum of theirs).
    public var terms: [ExplainedTerm]
    /// `all` (title and body as one field, the flat form), `title`, `body`, or `passage`.
    public var field: String
    public var boost: Double
    public var idf: Double
    /// Documents (or passages) with the field: N of the idf.
    public var documents: Int
    /// The term's frequency in the field, or the phrase's (a sloppy match counts 1 / (1 + spread)).
    public var tf: Double
    /// The field's length in words, and its average over the collection.
    public var length: Int
    public var averageLength: Double
    public var k1: Double
    public var b: Double
    public var lengthNorm: Double
    public var score: Double
}

/// A term of a score part: its document frequency in the part's field, and its idf.
public struct ExplainedTerm: Sendable, Equatable, Codable {
    public var term: String
    public var df: Int
    public var idf: Double
}

extension ScorePart {
    /// A part from the weight that scored it (so that `score` is exactly what ranking added).
    init(clause: String, terms: [ExplainedTerm], field: String, weight w: FieldWeight, tf: Double, length: UInt32, parameters p: BM25Parameters) {
        self.clause = clause
        self.terms = terms
        self.field = field
        boost = w.boost
        idf = w.idf
        documents = w.documents
        self.tf = tf
        self.length = Int(length)
        averageLength = w.averageLength
        k1 = p.k1
        b = p.b
        lengthNorm = w.averageLength > 0 ? 1 - p.b + p.b * Double(length) / w.averageLength : 1 - p.b
        score = w.score(frequency: tf, length: length)
    }
}
