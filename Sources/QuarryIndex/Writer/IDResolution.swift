import HeapModule
import QuarryCore
import QuarryDocument

/// Deciding which document of an id is live after an `add`: a merge-join of every
/// segment's sorted ids.
extension IndexWriter {
    /// Takes freshly written segments into the pending commit: the last document of each id
    /// wins, and the documents it replaces are deleted.
    func apply(_ segments: [FlushedSegment], report: inout IndexingReport) throws {
        runCount += 1
        for seg in segments { runOfSegment[seg.name] = runCount }
        newSegments.append(contentsOf: segments)
        let old = try readers()
        // A merge-join of every segment's sorted ids (memory: one id per segment): each id of
        // this run keeps its latest document (latest run, then latest in input order); the
        // others, and the old documents with the id, are deleted.
        var streams: [IDStream] = []
        for (i, seg) in newSegments.enumerated() {
            let reader = try newReader(seg)
            streams.append(IDStream(cursor: try reader.sortedIDs(), source: .new(i)))
        }
        for (i, reader) in old.enumerated() {
            streams.append(IDStream(cursor: try reader.sortedIDs(), source: .old(i)))
        }
        var heap = Heap<IDStream>()
        for var s in streams where try s.cursor.next() { heap.insert(s) }
        var group: [IDStream.Source.Entry] = []
        while let top = heap.min {
            let key = top.cursor.key
            group.removeAll(keepingCapacity: true)
            while let s0 = heap.min, s0.cursor.key == key, var s = heap.popMin() {
                group.append(s.source.entry(s.cursor.doc))
                if try s.cursor.next() { heap.insert(s) }
            }
            resolve(group, key: key, old: old, report: &report)
        }
        if !segments.isEmpty || !pendingDeletes.isEmpty { dirty = true }
    }

    /// Decides one id: among the uncommitted new documents the latest wins, and the old
    /// ones are deleted when a new one exists.
    private func resolve(_ group: [IDStream.Source.Entry], key: [UInt8], old: [SegmentReader], report: inout IndexingReport) {
        var winner: Winner? = nil
        var newCount = 0
        var thisRun = false
        for e in group {
            guard case .new(let si, let d) = e else { continue }
            let seg = newSegments[si]
            if pendingDeletes[seg.name]?.contains(d) == true { continue }
            let run = runOfSegment[seg.name] ?? 0
            if run == runCount { thisRun = true }
            let candidate = Winner(segment: si, doc: d, run: run, sequence: seg.sequence(of: d))
            newCount += 1
            if let w = winner {
                let (keep, lose) = candidate.isLater(than: w) ? (candidate, w) : (w, candidate)
                winner = keep
                pendingDeletes[newSegments[lose.segment].name, default: []].insert(lose.doc)
            } else {
                winner = candidate
            }
        }
        guard thisRun, winner != nil else { return }
        if newCount > 1 {
            report.issues.append(
                IngestIssue(
                    path: String(decoding: key, as: UTF8.self), message: "duplicate document id: the later one replaces the earlier one",
                    severity: .warning))
        }
        var replaced = false
        for e in group {
            guard case .old(let ri, let d) = e else { continue }
            let reader = old[ri]
            if reader.isDeleted(d) { continue }
            replaced = true
            if !pendingDeletes[reader.entry.name, default: []].insert(d).inserted {
                // Already deleted as part of a replaced source: an update, not a deletion.
                report.deleted -= 1
            }
        }
        if replaced { report.updated += 1 } else { report.added += 1 }
    }

    /// A reader of a just-written segment (cached).
    func newReader(_ seg: FlushedSegment) throws -> SegmentReader {
        if let r = newReaders[seg.name] { return r }
        let r = try SegmentReader(
            directory: directory,
            entry: SegmentEntry(name: seg.name, nonce: seg.nonce, documents: seg.docCount, deleted: 0, deletionGeneration: 0),
            verify: false)
        newReaders[seg.name] = r
        return r
    }
}

/// A document competing for its id.
private struct Winner {
    var segment: Int
    var doc: Int
    var run: Int
    var sequence: UInt64

    func isLater(than other: Winner) -> Bool {
        run != other.run ? run > other.run : sequence > other.sequence
    }
}

extension FlushedSegment {
    /// Input order of a document: its work item, then its place within the item.
    func sequence(of doc: Int) -> UInt64 {
        var lo = 0, hi = items.count - 1, found = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if Int(items[mid].firstDoc) <= doc {
                found = mid
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        guard found < items.count else { return UInt64(doc) }
        return UInt64(items[found].item) << 32 | UInt64(doc - Int(items[found].firstDoc))
    }
}

/// A segment's ids in sorted order, in a merge-join.
struct IDStream {
    enum Source {
        case new(Int)
        case old(Int)

        enum Entry {
            case new(Int, Int)
            case old(Int, Int)
        }

        func entry(_ doc: Int) -> Entry {
            switch self {
            case .new(let i): return .new(i, doc)
            case .old(let i): return .old(i, doc)
            }
        }
    }

    var cursor: IDCursor
    let source: Source
}

extension IDStream: Comparable {
    /// Streams are ordered by their current id (the heap of the merge-join).
    static func < (a: IDStream, b: IDStream) -> Bool { a.cursor.key.lexicographicallyPrecedes(b.cursor.key) }
    static func == (a: IDStream, b: IDStream) -> Bool { a.cursor.key == b.cursor.key }
}
