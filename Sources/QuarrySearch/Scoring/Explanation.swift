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
///
/// A BM25F part (`field` = `combined`) has tf = the sum of its `fields`' weighted tfs, b = 0
/// and lengthNorm = 1 (each field was normalised by its own length before the sum).
public struct ScorePart: Sendable, Equatable, Codable {
    /// The query clause, as written (`kernel`, `title:kernel`, `"grace period"~2`, `optim* → optimis`).
    public var clause: String
    /// The analysed terms: one, or a phrase's (whose idf is the sum of theirs).
    public var terms: [ExplainedTerm]
    /// `all` (title and body as one field, the flat form), `combined` (BM25F), `title`, `body`,
    /// or `passage`.
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
    /// BM25F only: what each field with the term added to `tf`.
    public var fields: [FieldPart]? = nil
}

/// One field of a BM25F part: `weightedTF = weight · tf / lengthNorm`, with
/// `lengthNorm = 1 − b + b · length / averageLength`.
public struct FieldPart: Sendable, Equatable, Codable {
    /// `title` or `body`.
    public var field: String
    public var tf: Double
    public var length: Int
    public var averageLength: Double
    public var weight: Double
    public var b: Double
    public var lengthNorm: Double
    public var weightedTF: Double
}

/// A term of a score part: its document frequency in the part's field, and its idf.
public struct ExplainedTerm: Sendable, Equatable, Codable {
    public var term: String
    public var df: Int
    public var idf: Double
}

extension ScorePart {
    /// A part from the weight that scored it (so that `score` is exactly what ranking added).
    init(
        clause: String, terms: [ExplainedTerm], field: String, weight w: FieldWeight, tf: Double, length: UInt32,
        parameters p: BM25Parameters
    ) {
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
        b = w.b
        lengthNorm = w.averageLength > 0 ? 1 - w.b + w.b * Double(length) / w.averageLength : 1 - w.b
        score = w.score(frequency: tf, length: length)
    }

    /// A BM25F part: the fields' frequencies (a phrase's may be fractional) and lengths.
    init(
        clause: String, terms: [ExplainedTerm], weight w: CombinedWeight, titleTF: Double, titleLength: UInt32,
        bodyTF: Double, bodyLength: UInt32
    ) {
        func fieldPart(_ name: String, _ n: CombinedWeight.FieldNorm, _ tf: Double, _ length: UInt32) -> FieldPart? {
            guard tf > 0 else { return nil }
            return FieldPart(
                field: name, tf: tf, length: Int(length), averageLength: n.averageLength, weight: n.weight, b: n.b,
                lengthNorm: n.norm(length), weightedTF: n.weighted(tf, length: length))
        }
        let parts = [fieldPart("title", w.title, titleTF, titleLength), fieldPart("body", w.body, bodyTF, bodyLength)].compactMap { $0 }
        self.clause = clause
        self.terms = terms
        field = "combined"
        boost = w.boost
        idf = w.idf
        documents = w.documents
        tf = w.pseudoFrequency(titleTF: titleTF, titleLength: titleLength, bodyTF: bodyTF, bodyLength: bodyLength)
        length = Int(titleLength) + Int(bodyLength)
        averageLength = w.averageLength
        k1 = w.k1
        b = 0
        lengthNorm = 1
        score = w.score(pseudoFrequency: tf)
        fields = parts
    }
}
