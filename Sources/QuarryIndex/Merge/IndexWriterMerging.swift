import QuarryCore

extension IndexWriter {
    /// Merges segments as the merge policy says and publishes the result (a commit of its
    /// own). Called after each `commit()` with the segments it added; a no-op when nothing
    /// needs merging.
    @discardableResult
    package func mergeIfNeeded(added: Set<String> = []) throws -> Manifest? {
        guard let current = committedManifest, !hasChanges else { return nil }
        var merged: Manifest? = nil
        // Merges can make a tier full again: repeat while the policy finds work.
        for round in 0..<8 {
            let groups = mergePolicy.merges(
                (merged ?? current).segments, added: round == 0 ? added : [], threads: max(1, options.threads))
            if groups.isEmpty { break }
            merged = try merge(groups)
        }
        return merged
    }

    /// Merges down to at most `maxSegments` segments, purging deleted documents.
    @discardableResult
    package func forceMerge(maxSegments: Int) throws -> Manifest {
        guard let current = committedManifest else { throw IndexError.notFound(path: directory) }
        guard !hasChanges else { throw IndexError.invalidArgument("commit before merging") }
        let groups = mergePolicy.forcedMerges(current.segments, maxSegments: maxSegments)
        if groups.isEmpty { return current }
        return try merge(groups)
    }
}
