/// Bounds on what one query may ask for, so that any query does bounded work and every
/// score is a finite number (docs/QUERY.md, *Limits*).
package enum QueryLimits {
    /// The largest boost (`word^10000`) and field weight.
    package static let maxBoost = 10_000.0
    /// The largest product of nested boosts.
    package static let maxTotalBoost = 1e12
    /// Terms all the prefix and fuzzy words of one query may expand to, together
    /// (`QueryOptions.maxQueryExpansions`).
    package static let defaultMaxQueryExpansions = 1024
    /// Dictionary entries the expansions of one query may examine, summed over segments: about
    /// two full scans of the Debian-docs index's 530k terms.
    package static let maxExpansionScan = 1_000_000
    /// Postings a free-text (OR) query may read in all, summed over its words: past it, its
    /// most frequent words are left out (`terms-dropped` notice).
    package static let maxDisjunctionPostings = 1_500_000
    /// Words a free-text (OR) query searches at most (after expansion): past it, the most
    /// frequent give way (`terms-dropped` notice).
    package static let maxDisjunctionTerms = 64
    /// Phrases (quoted, or words that analyse to several terms) one query may hold: each reads
    /// positions of every candidate document.
    package static let maxPhrases = 16
}
