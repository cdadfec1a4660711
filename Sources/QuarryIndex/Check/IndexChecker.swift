import QuarryAnalysis
import QuarryCore

/// A problem `IndexChecker` found: the file, the byte offset when known, and what is wrong.
public struct CheckProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var offset: Int?
    public var message: String

    package init(file: String, offset: Int?, message: String) {
        self.file = file
        self.offset = offset
        self.message = message
    }

    public var description: String {
        offset.map { "\(file): byte \($0): \(message)" } ?? "\(file): \(message)"
    }
}

/// What a check looked at and found.
public struct CheckReport: Sendable {
    public var problems: [CheckProblem] = []
    public var segments = 0
    public var documents = 0
    public var terms = 0
    public var postings = 0
    public var files = 0
    public var bytes = 0
    public var ok: Bool { problems.isEmpty }
}

/// Verifies an index end to end, like Lucene's CheckIndex: every file's checksum, and
/// every structural invariant: terms in order; postings decode, in order, counted as the
/// dictionary says, bounded by their impacts; positions and lengths agree with the
/// frequencies; passages, ids and stored documents agree with each other; deletions
/// subtract exactly what the deleted documents contributed.
package struct IndexChecker {
    package let directory: String

    package init(directory: String) {
        self.directory = directory
    }

    package func check() -> CheckReport {
        var report = CheckReport()
        func problem(_ file: String, _ offset: Int? = nil, _ message: String) {
            report.problems.append(CheckProblem(file: file, offset: offset, message: message))
        }
        func record(_ error: any Error, _ file: String) {
            if let e = error as? FormatError {
                problem(e.file, e.offset, e.message)
            } else if let e = error as? IndexError, case .corrupt(let f) = e {
                problem(f.file, f.offset, f.message)
            } else if let e = error as? SystemError {
                problem(e.path, nil, "cannot \(e.operation): \(e.reason)")
            } else {
                problem(file, nil, "\(error)")
            }
        }
        let manifestPath = directory + "/" + Manifest.fileName
        let manifest: Manifest
        do {
            manifest = try Manifest.read(directory: directory)
        } catch {
            record(error, manifestPath)
            return report
        }
        report.files += 1
        let analyzer: Analyzer
        do {
            analyzer = try Analyzer(settings: manifest.settings.analyzer)
        } catch {
            problem(manifestPath, nil, "analyzer settings: \(error)")
            return report
        }
        if !manifest.payloadFile.isEmpty {
            // The payload's body belongs to the caller (the collection layer checks it).
            let path = directory + "/" + manifest.payloadFile
            do {
                _ = try readPayload(directory: directory, file: manifest.payloadFile)
                report.files += 1
            } catch {
                record(error, path)
            }
        }
        var seenIDs = Set<String>()
        for entry in manifest.segments {
            let base = directory + "/" + entry.name
            let segment: SegmentReader
            do {
                segment = try SegmentReader(directory: directory, entry: entry, verify: true)
            } catch {
                record(error, base + ".*")
                continue
            }
            // Every checksum: each file's whole-file checksum, and every block against `.chk`.
            do {
                try segment.verifyWholeFiles()
                try segment.verifyAllBlocks()
            } catch {
                record(error, base)
                continue
            }
            report.segments += 1
            report.files += SegmentFiles.kinds.count + (entry.deletionsFile == nil ? 0 : 1)
            report.bytes += segment.fileBytes
            report.documents += segment.liveDocumentCount
            do {
                try checkSegment(segment, analyzer: analyzer, report: &report, seenIDs: &seenIDs)
            } catch {
                record(error, base)
            }
        }
        return report
    }

    private func checkSegment(_ s: SegmentReader, analyzer: Analyzer, report: inout CheckReport, seenIDs: inout Set<String>) throws {
        let name = directory + "/" + s.entry.name
        func fail(_ ext: String, _ message: String) {
            report.problems.append(CheckProblem(file: name + "." + ext, offset: nil, message: message))
        }
        let n = s.documentCount
        // Lengths and passages against the segment statistics.
        var stats = CollectionStats()
        var bounds: [PassageBounds] = []
        // Every document's passages, decoded once (the postings check needs them per posting).
        var passagesOf: [[PassageBounds]] = []
        passagesOf.reserveCapacity(n)
        for d in 0..<n {
            try s.passageBounds(d, into: &bounds)
            passagesOf.append(bounds)
            var previous = -1
            for b in bounds {
                if b.start < previous || b.end < b.start { fail("psg", "document \(d): passages out of order") }
                previous = b.start
            }
            stats.add(
                titleLength: Int(s.titleLength(d)), bodyLength: Int(s.bodyLength(d)), passages: bounds.count,
                passageLength: bounds.reduce(0) { $0 + $1.length })
        }
        if stats != s.info.stats { fail("seg", "statistics \(s.info.stats) do not match the lengths and passages (\(stats))") }

        // Postings, positions, impacts, term statistics.
        var titleOccurrences = 0, bodyOccurrences = 0, terms = 0
        var previousTerm: [UInt8]? = nil
        var title: [UInt32] = [], body: [UInt32] = []
        try s.forEachTerm { term, info in
            terms += 1
            if let p = previousTerm, !p.lexicographicallyPrecedes(term) {
                fail("tdx", "terms out of order at '\(String(decoding: term, as: UTF8.self))'")
            }
            previousTerm = term
            let c = try s.postings(info)
            var count = 0, withTitle = 0, withBody = 0, passages = 0
            var last: Int32 = -1
            var block = 0
            var impacts = c.blockCount > 1 ? try c.blockImpacts(0) : nil
            while try c.next() != PostingsCursor.end {
                let d = Int(c.doc)
                if c.doc <= last || d >= n {
                    fail("doc", "term '\(String(decoding: term, as: UTF8.self))': document \(d) out of order or range")
                    return false
                }
                last = c.doc
                if c.tfTitle == 0 && c.tfBody == 0 {
                    fail("doc", "term '\(String(decoding: term, as: UTF8.self))': a posting with no occurrence")
                }
                try c.positions(title: &title, body: &body)
                if title.count != Int(c.tfTitle) || body.count != Int(c.tfBody) { fail("pos", "positions do not match the frequencies") }
                if zip(title, title.dropFirst()).contains(where: { $0 >= $1 }) || zip(body, body.dropFirst()).contains(where: { $0 >= $1 })
                {
                    fail("pos", "positions out of order")
                }
                count += 1
                if c.tfTitle > 0 { withTitle += 1 }
                if c.tfBody > 0 { withBody += 1 }
                titleOccurrences += Int(c.tfTitle)
                bodyOccurrences += Int(c.tfBody)
                // Passages containing the term (as the indexer counts them).
                if !body.isEmpty {
                    let bounds = passagesOf[d]
                    // Positions and passages both ascend: one pass with a moving pointer.
                    var counted = -1, first = 0
                    for p in body {
                        let pos = Int(p)
                        while first < bounds.count && bounds[first].end <= pos { first += 1 }
                        var k = max(first, counted + 1)
                        while k < bounds.count && bounds[k].start <= pos {
                            if pos < bounds[k].end {
                                passages += 1
                                counted = k
                            }
                            k += 1
                        }
                    }
                }
                // Impacts of long lists bound every posting of their block.
                if c.blockCount > 1 {
                    let b = (count - 1) / BitPacking.blockSize
                    if b != block {
                        block = b
                        impacts = try c.blockImpacts(b)
                    }
                    let tf = c.tfTitle + c.tfBody, length = s.titleLength(d) + s.bodyLength(d)
                    if let i = impacts, !i.flat.contains(where: { $0.tf >= tf && $0.length <= length }) {
                        fail("doc", "term '\(String(decoding: term, as: UTF8.self))': block \(b) impacts do not bound document \(d)")
                    }
                }
            }
            report.postings += count
            let t = String(decoding: term, as: UTF8.self)
            if count != info.df { fail("tdx", "term '\(t)': df \(info.df), postings \(count)") }
            if withTitle != info.dfTitle || withBody != info.dfBody {
                fail("tdx", "term '\(t)': field document frequencies do not match the postings")
            }
            if passages != info.passageDf { fail("tdx", "term '\(t)': passage df \(info.passageDf), counted \(passages)") }
            return true
        }
        report.terms += terms
        if terms != s.termCount { fail("seg", "term count \(s.termCount), dictionary holds \(terms)") }
        if titleOccurrences != s.info.stats.titleLengthSum || bodyOccurrences != s.info.stats.bodyLengthSum {
            fail("len", "lengths do not add up to the postings' term frequencies")
        }

        // Ids, stored documents and metadata agree.
        let meta = try s.origins()
        var byRank = [String?](repeating: nil, count: n)
        var ids = Set<String>()
        var live = 0
        var stored = 0
        try s.store.forEach { d, text in
            guard d < n else { return }
            stored += 1
            let id = try s.externalID(d)
            _ = try s.summary(d)
            for p in text.passages where p.end > text.body.utf8.count { fail("sto", "document \(d): a passage ends past the body") }
            if try s.documents(withID: id).first(where: { $0 == d }) == nil { fail("ids", "document \(d) cannot be found by its id") }
            let r = Int(s.idRank(d))
            if r < byRank.count { byRank[r] = id } else { fail("ids", "document \(d): rank \(r) out of range") }
            _ = meta.docOrigin[d]
            if !s.isDeleted(d) {
                live += 1
                if !ids.insert(id).inserted || !seenIDs.insert(id).inserted { fail("ids", "id '\(id)' is live more than once") }
            }
        }
        if stored != n { fail("sto", "holds \(stored) documents, the segment \(n)") }
        if live != s.liveDocumentCount { fail("del", "live document count does not match") }
        // Ranks are a permutation that orders the ids.
        if byRank.contains(where: { $0 == nil }) { fail("ids", "ranks are not a permutation of the documents") }
        let ranked = byRank.compactMap { $0 }
        if zip(ranked, ranked.dropFirst()).contains(where: { $1.utf8.lexicographicallyPrecedes($0.utf8) }) {
            fail("ids", "ranks do not follow the order of the ids")
        }

        // Deletions subtract exactly what the deleted documents contributed.
        if let d = s.deletions {
            var recomputed = Deletions(docCount: n)
            let accountant = try DeletionAccountant(settings: IndexSettings(analyzer: analyzer.settings))
            for doc in 0..<n where d.isDeleted(doc) { try accountant.delete(doc, of: s, into: &recomputed) }
            if recomputed.stats != d.stats { fail("del", "deleted statistics do not match the deleted documents") }
            let stored = try d.load()
            let a = recomputed.terms.sorted(), b = stored.terms.sorted()
            if a.count != b.count || zip(a, b).contains(where: { $0.0 != $1.0 || $0.1 != $1.1 }) {
                report.problems.append(
                    CheckProblem(file: d.name, offset: nil, message: "deleted term statistics do not match the deleted documents"))
            }
        }
    }
}
