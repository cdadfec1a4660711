import QuarryIndex

/// The per-query weight of one term (or phrase) under BM25F (Robertson & Zaragoza 2009):
///
///     tf~(t, d)  = Σ_f  w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)     f ∈ {title, body}
///     score(t, d) = boost · idf(t) · tf~ / (tf~ + k1)
///     idf(t)      = ln(1 + (N − df + 0.5) / (df + 0.5))
///
/// with N the documents that have any field and df those that have the term in any field.
/// The fields' frequencies are weighted and normalised each by its own length, then added
/// *before* saturation: a word in the title and the body counts as one word seen more often,
/// not as two matches. A phrase is scored the same way with its phrase frequency per field
/// and the sum of its terms' idf.
///
/// The title's weight is the parameter times avglen_body / avglen_title: with b_f = 1,
/// tf_f / norm_f = avglen_f · tf_f / len_f, so that weight makes tf~ = avglen_body times the
/// sum of the term's shares of each field (weighted by the parameters): a title word counts
/// as much as the same share of the body, on any collection, whatever its lengths.
struct CombinedWeight: Sendable {
    /// boost · idf (0 when no document has the term).
    var weight: Double
    var k1: Double
    /// Per field: w_f, and the norm 1 − b_f + b_f · len / avg as (1 − b_f) + (b_f / avg) · len.
    var title: FieldNorm
    var body: FieldNorm
    // For explanations only.
    var boost: Double = 0
    var idf: Double = 0
    var documents: Int = 0
    var averageLength: Double = 0

    /// One field's weight and length normalisation.
    struct FieldNorm: Sendable {
        var weight: Double
        var b: Double
        var constant: Double
        var perWord: Double
        var averageLength: Double

        init(weight: Double, b: Double, documents: Int, lengthSum: Int) {
            let avg = documents > 0 ? Double(lengthSum) / Double(documents) : 0
            self.weight = weight
            self.b = b
            averageLength = avg
            if avg > 0 {
                constant = 1 - b
                perWord = b / avg
            } else {
                // No document has the field: it never has a frequency either.
                constant = 1
                perWord = 0
            }
        }

        /// 1 − b + b · length / avg (never below a tiny positive number, so that a damaged
        /// index with a word in a field of length 0 cannot divide by zero).
        @inline(__always)
        func norm(_ length: UInt32) -> Double {
            let n = constant + perWord * Double(length)
            return n > 1e-9 ? n : 1e-9
        }

        /// w_f · tf / norm: what the field adds to tf~.
        @inline(__always)
        func weighted(_ tf: Double, length: UInt32) -> Double {
            tf > 0 ? weight * tf / norm(length) : 0
        }
    }

    static let zero = CombinedWeight(
        weight: 0, k1: 0, title: FieldNorm(weight: 0, b: 0, documents: 0, lengthSum: 0),
        body: FieldNorm(weight: 0, b: 0, documents: 0, lengthSum: 0))

    /// A document with the term in one field only scores weight · tf / (tf + k1 · norm / w_f),
    /// one division: `constant` and `perWord` are k1 · (1 − b_f) / w_f and k1 · b_f / (w_f · avg)
    /// (an infinite constant when w_f = 0: the field then adds nothing and the score is 0).
    private var titleAlone: (constant: Double, perWord: Double)
    private var bodyAlone: (constant: Double, perWord: Double)

    init(weight: Double, k1: Double, title: FieldNorm, body: FieldNorm) {
        self.weight = weight
        self.k1 = k1
        self.title = title
        self.body = body
        func alone(_ n: FieldNorm) -> (Double, Double) {
            n.weight > 0 ? (k1 * n.constant / n.weight, k1 * n.perWord / n.weight) : (.infinity, 0)
        }
        titleAlone = alone(title)
        bodyAlone = alone(body)
    }

    /// A weight with a given idf (a phrase's is the sum of its terms' idf).
    init(boost: Double, idf: Double, collection c: CollectionStats, parameters p: BM25Parameters) {
        guard c.documentsWithAny > 0 else {
            self = .zero
            return
        }
        self.init(
            weight: boost * idf, k1: p.k1,
            title: FieldNorm(
                weight: p.titleWeight * CombinedWeight.titleScale(c), b: p.titleB,
                documents: c.documentsWithTitle, lengthSum: c.titleLengthSum),
            body: FieldNorm(weight: p.bodyWeight, b: p.bodyB, documents: c.documentsWithBody, lengthSum: c.bodyLengthSum))
        self.boost = boost
        self.idf = idf
        documents = c.documentsWithAny
        averageLength = Double(c.titleLengthSum + c.bodyLengthSum) / Double(c.documentsWithAny)
    }

    /// What the title weight parameter is multiplied by: the average body length over the
    /// average title length (1 when either field is empty everywhere).
    static func titleScale(_ c: CollectionStats) -> Double {
        guard c.documentsWithTitle > 0, c.documentsWithBody > 0, c.titleLengthSum > 0, c.bodyLengthSum > 0 else { return 1 }
        return (Double(c.bodyLengthSum) / Double(c.documentsWithBody)) / (Double(c.titleLengthSum) / Double(c.documentsWithTitle))
    }

    /// A term's weight: its idf over the documents that have it in any field.
    init(boost: Double, df: Int, collection c: CollectionStats, parameters p: BM25Parameters) {
        guard c.documentsWithAny > 0, df > 0 else {
            self = .zero
            return
        }
        self.init(boost: boost, idf: BM25Parameters.idf(documents: c.documentsWithAny, df: df), collection: c, parameters: p)
    }

    /// tf~: the fields' weighted, normalised frequencies added.
    @inline(__always)
    func pseudoFrequency(titleTF: Double, titleLength: UInt32, bodyTF: Double, bodyLength: UInt32) -> Double {
        title.weighted(titleTF, length: titleLength) + body.weighted(bodyTF, length: bodyLength)
    }

    /// The saturated score of a pseudo-frequency.
    @inline(__always)
    func score(pseudoFrequency f: Double) -> Double {
        f > 0 ? weight * (f / (f + k1)) : 0
    }

    /// The score of a posting. Most documents have the term in one field only: their score,
    /// weight · (w_f · tf / norm_f) / (w_f · tf / norm_f + k1), is computed with one division
    /// as weight · tf / (tf + k1 · norm_f / w_f) (equal up to rounding).
    @inline(__always)
    func score(titleTF: UInt32, titleLength: UInt32, bodyTF: UInt32, bodyLength: UInt32) -> Double {
        if titleTF == 0 {
            if bodyTF == 0 { return 0 }
            let f = Double(bodyTF)
            return weight * (f / (f + bodyAlone.constant + bodyAlone.perWord * Double(bodyLength)))
        }
        if bodyTF == 0 {
            let f = Double(titleTF)
            return weight * (f / (f + titleAlone.constant + titleAlone.perWord * Double(titleLength)))
        }
        let f = title.weight * Double(titleTF) / title.norm(titleLength) + body.weight * Double(bodyTF) / body.norm(bodyLength)
        return score(pseudoFrequency: f)
    }

    /// The pseudo-frequency a posting needs to score at least `needed`: weight · f / (f + k1)
    /// ≥ needed ⟺ f ≥ needed · k1 / (weight − needed). −∞ when every posting reaches it
    /// (needed ≤ 0), +∞ when none can (the score stays below weight; it is weight when k1 = 0).
    func frequencyNeeded(for needed: Double) -> Double {
        if needed <= 0 { return -.infinity }
        // With k1 = 0 every posting scores exactly weight.
        if k1 == 0 { return needed <= weight ? 0 : .infinity }
        // Rounding can make a huge frequency score weight itself: within the margin of it,
        // everything is let through.
        if needed >= weight { return needed > weight * CombinedWeight.reachMargin ? .infinity : 0 }
        return needed * k1 / (weight - needed)
    }

    /// Whether a posting's score can reach the score whose `frequencyNeeded` is `f`, tested
    /// without a division: w_t · t / n_t + w_b · u / n_b ≥ f ⟺ w_t · t · n_b + w_b · u · n_t ≥
    /// f · n_t · n_b (norms are positive). It errs towards true (a relative margin covers
    /// rounding), so a posting it rejects scores below the threshold for certain.
    @inline(__always)
    func mayReach(frequencyNeeded f: Double, titleTF: UInt32, titleLength: UInt32, bodyTF: UInt32, bodyLength: UInt32) -> Bool {
        let nt = title.norm(titleLength), nb = body.norm(bodyLength)
        let have = title.weight * Double(titleTF) * nb + body.weight * Double(bodyTF) * nt
        return have * CombinedWeight.reachMargin >= f * nt * nb
    }

    static let reachMargin = 1 + 1e-9

    /// An upper bound of the score of any document of a group of postings (a block, or a
    /// whole term) described by `impacts`.
    ///
    /// Soundness. Take a document d of the group, with frequencies (t, u) > (0, 0) in title and
    /// body and lengths (lt, lb). By construction of the impacts (Impacts.swift):
    ///   (1) t ≤ titleMaxTF, and lt ≥ titleMinLength when t > 0 (likewise u, lb for the body);
    ///   (2) some flat pair (P, L) dominates (t + u, lt + lb): P ≥ t + u (a pair of the
    ///       frontier dominates every document's pair, and merging neighbours (a, b) into
    ///       (b.tf, a.length) keeps a pair with at least the larger tf).
    /// Each field's norm 1 − b_f + b_f · len / avg grows with len (b_f ≥ 0, avg > 0), so by
    /// (1) the field adds at most c_f · tf_f with c_f = w_f / norm_f(minLength_f); hence
    ///     tf~(d) ≤ c_t · t + c_b · u,  with t ≤ titleMaxTF, u ≤ bodyMaxTF, t + u ≤ P.
    /// A linear function with non-negative coefficients over that box cut by t + u ≤ P is
    /// largest when the larger coefficient's field takes as much of P as its cap allows and
    /// the other field the rest (up to its cap): that greedy value, maximised over the pairs,
    /// bounds tf~(d); without pairs, the caps alone (c_t · titleMaxTF + c_b · bodyMaxTF) do.
    /// Finally weight · x / (x + k1) grows with x (weight, k1 ≥ 0), so the bound of tf~ gives
    /// a bound of the score. Rounding is covered by `TermScorer.boundMargin`. The property
    /// tests (BruteForceTests, QueryEngineTests) check pruned top-k against exhaustive top-k.
    func bound(_ impacts: Impacts) -> Double {
        bound(
            titleMaxTF: impacts.titleMaxTF, titleMinLength: impacts.titleMinLength, bodyMaxTF: impacts.bodyMaxTF,
            bodyMinLength: impacts.bodyMinLength, pairMaxTF: impacts.flat.map(\.tf).max())
    }

    /// The same bound from the impacts' field maxima and the largest tf of their flat pairs
    /// (nil without pairs). The greedy value grows with a pair's tf, so its maximum over the
    /// pairs is its value at the largest tf: collectors decode impacts without keeping them.
    func bound(titleMaxTF: UInt32, titleMinLength: UInt32, bodyMaxTF: UInt32, bodyMinLength: UInt32, pairMaxTF: UInt32?) -> Double {
        let titleCap = Double(titleMaxTF), bodyCap = Double(bodyMaxTF)
        let ct = titleMaxTF > 0 ? title.weight / title.norm(titleMinLength) : 0
        let cb = bodyMaxTF > 0 ? body.weight / body.norm(bodyMinLength) : 0
        var best = ct * titleCap + cb * bodyCap
        if let pairMaxTF {
            // The field with the larger coefficient fills first.
            let (cHigh, capHigh, cLow, capLow) = ct >= cb ? (ct, titleCap, cb, bodyCap) : (cb, bodyCap, ct, titleCap)
            let total = Double(pairMaxTF)
            let high = min(total, capHigh)
            best = min(best, cHigh * high + cLow * min(total - high, capLow))
        }
        return score(pseudoFrequency: best)
    }
}
