/// Decides which segments to merge after a commit (log-structured, by size tiers):
///
/// - A segment's tier is 0 below `floorDocuments` live documents, then one more for each
///   factor of `mergeFactor` above it (10,000; 100,000; 1,000,000; … with the defaults).
/// - When a tier holds `mergeFactor` segments or more, its `mergeFactor` smallest are
///   merged into one (of the next tier, usually), and the next `mergeFactor` into another,
///   while whole groups remain. Each document is therefore rewritten about
///   once per tier, and the number of segments stays below `mergeFactor` per tier.
/// - A segment with more than `maxDeletedFraction` of its documents deleted is rewritten on
///   its own, which purges them.
/// - The segments one commit added, when there are more of them than merge threads (a bulk
///   load flushes one segment per memory budget), are merged into one segment per thread,
///   of about equal size, side by side: every query looks each term up and sets up its
///   scoring once per segment, so a bulk load that left ten segments searched markedly
///   slower than one that left two. A commit that adds a few segments is not touched.
package struct MergePolicy: Sendable, Equatable {
    package var mergeFactor: Int
    package var floorDocuments: Int
    package var maxDeletedFraction: Double

    package init(mergeFactor: Int = 10, floorDocuments: Int = 10_000, maxDeletedFraction: Double = 0.3) {
        self.mergeFactor = max(2, mergeFactor)
        self.floorDocuments = max(1, floorDocuments)
        self.maxDeletedFraction = maxDeletedFraction
    }

    package static let `default` = MergePolicy()

    func tier(_ s: SegmentEntry) -> Int {
        var live = s.documents - s.deleted
        var t = 0
        while live >= floorDocuments {
            live /= mergeFactor
            t += 1
        }
        return t
    }

    /// Groups of segment names to merge (each group into one new segment). `added` names
    /// the segments the last commit added, `threads` how many merges can run side by side.
    package func merges(_ segments: [SegmentEntry], added: Set<String> = [], threads: Int = 1) -> [[String]] {
        var groups: [[String]] = []
        var used = Set<String>()
        for group in bulkMerges(segments.filter { added.contains($0.name) }, threads: threads) {
            groups.append(group)
            used.formUnion(group)
        }
        var byTier: [Int: [SegmentEntry]] = [:]
        for s in segments where !used.contains(s.name) { byTier[tier(s), default: []].append(s) }
        for t in byTier.keys.sorted() {
            let members = (byTier[t] ?? []).sorted { ($0.documents - $0.deleted, $0.name) < ($1.documents - $1.deleted, $1.name) }
            // Every full group of the tier at once (smallest first), so that they can be
            // merged side by side.
            var start = 0
            while members.count - start >= mergeFactor {
                let group = members[start..<(start + mergeFactor)].map(\.name)
                groups.append(group)
                used.formUnion(group)
                start += mergeFactor
            }
        }
        for s in segments
        where !used.contains(s.name) && s.documents > 0
            && Double(s.deleted) / Double(s.documents) > maxDeletedFraction
        {
            groups.append([s.name])
        }
        return groups
    }

    /// The segments of one commit, when more than `threads`, in `threads` groups of about
    /// equal live size (largest first, each to the lightest group); groups of one are left.
    func bulkMerges(_ fresh: [SegmentEntry], threads: Int) -> [[String]] {
        let bins = max(1, threads)
        guard fresh.count > bins else { return [] }
        var sizes = [Int](repeating: 0, count: bins)
        var names = [[String]](repeating: [], count: bins)
        let live = { (s: SegmentEntry) in s.documents - s.deleted }
        for s in fresh.sorted(by: { (live($1), $0.name) < (live($0), $1.name) }) {
            var lightest = 0
            for i in 1..<bins where sizes[i] < sizes[lightest] { lightest = i }
            sizes[lightest] += live(s)
            names[lightest].append(s.name)
        }
        return names.filter { $0.count > 1 }
    }

    /// Groups that bring the index down to at most `maxSegments` segments (smallest first)
    /// and purge every deletion of the segments that remain.
    package func forcedMerges(_ segments: [SegmentEntry], maxSegments: Int) -> [[String]] {
        let target = max(1, maxSegments)
        let sorted = segments.sorted { ($0.documents - $0.deleted, $0.name) < ($1.documents - $1.deleted, $1.name) }
        var groups: [[String]] = []
        var rest = sorted
        if sorted.count > target {
            let take = sorted.count - target + 1
            groups.append(sorted.prefix(take).map(\.name))
            rest = Array(sorted.dropFirst(take))
        }
        for s in rest where s.deleted > 0 { groups.append([s.name]) }
        return groups
    }
}
