/// Bounds on what one query may ask for, so that any query does bounded work and every
/// score is a finite number (docs/QUERY.md, *Limits*).
package enum QueryLimits {
    /// The largest boost (`word^10000`) and field weight.
    package static let maxBoost = 10_000.0
    /// The largest product of nested boosts.
    package static let maxTotalBoost = 1e12
}
