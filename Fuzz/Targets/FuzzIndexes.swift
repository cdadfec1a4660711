import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarrySearch

#if canImport(Glibc)
import Glibc
#endif

/// A small index for the query and index targets, built once per process in a scratch
/// directory (on /dev/shm when there is one): two segments, deletions, varied words.
enum FuzzCorpus {
    static let words = [
        "adrenaline", "stress", "sleep", "memory", "cortisol", "fight", "flight", "response", "neuron",
        "élève", "straße", "норадреналин", "β", "x1", "2024", "the", "of", "and", "grace", "period",
    ]

    static func articles(_ range: Range<Int>) -> [Article] {
        range.map { i in
            var b = TextBuilder()
            var n = UInt64(i)
            for p in 0..<(1 + i % 4) {
                b.startBlock(p == 0 && i % 3 == 0 ? .heading : .paragraph, level: 2)
                var sentence: [String] = []
                for _ in 0..<(3 + Int(n % 17)) {
                    n = n &* 1103515245 &+ 12345
                    sentence.append(words[Int((n >> 33) % UInt64(words.count))])
                }
                b.append(sentence.joined(separator: " ") + ". ")
            }
            let (body, blocks) = b.finish()
            return Article(id: "doc \(i)", path: "fuzz/\(i).txt", title: words[i % words.count] + " \(i)", body: body, blocks: blocks)
        }
    }

    /// Builds the index; nil when it cannot (the target then does nothing).
    static func build(_ name: String) -> String? {
        let base = FileSystem.isDirectory("/dev/shm") ? "/dev/shm" : "/tmp"
        let dir = "\(base)/quarry-fuzz-\(getpid())-\(name)"
        try? FileSystem.removeTree(dir)
        do {
            let writer = try IndexWriter(directory: dir)
            _ = try writer.add(articles(0..<40))
            _ = try writer.commit()
            _ = try writer.add(articles(40..<70))
            _ = try writer.delete(ids: ["doc 3", "doc 45"])
            _ = try writer.commit()
            writer.close()
            return dir
        } catch {
            return nil
        }
    }
}

enum FuzzQueries {
    static let searcher: Searcher? = FuzzCorpus.build("query").flatMap { try? Searcher(directory: $0) }

    /// Parses; a tree prints back to text that parses to the same tree (docs/QUERY.md).
    @discardableResult
    static func parse(_ data: UnsafeRawBufferPointer) -> Query? {
        let text = String(decoding: data, as: UTF8.self)
        guard let query = try? Query.parse(text) else { return nil }
        // A parsed tree prints back to text that parses to the same tree (docs/QUERY.md).
        let printed = query.description
        let again = try? Query.parse(printed)
        invariant(
            again == query,
            "'\(text)' parses to \(query), which prints as '\(printed)' and parses back to \(again.map { "\($0)" } ?? "an error")")
        return query
    }

    /// Prepares and runs the query on the small index, in both syntaxes.
    static func run(_ data: UnsafeRawBufferPointer) {
        let text = String(decoding: data, as: UTF8.self)
        guard let searcher else { return }
        for syntax in [QuerySyntax.query, .words] {
            guard let prepared = try? searcher.prepare(text, options: QueryOptions(syntax: syntax, maxExpansions: 8)) else { continue }
            let results = (try? searcher.search(prepared, options: SearchOptions(limit: 5, explain: true))) ?? []
            for r in results {
                invariant(r.score.isFinite, "score \(r.score) for '\(text)'")
                if let e = r.explanation {
                    let sum = e.parts.reduce(0) { $0 + $1.score }
                    invariant(
                        abs(sum - r.score) <= 1e-6 * max(1, abs(r.score)), "explanation sums to \(sum), score \(r.score) for '\(text)'")
                }
            }
            _ = try? searcher.passages(prepared, options: SearchOptions(limit: 3))
            _ = try? searcher.rank(prepared, options: SearchOptions(limit: 3, offset: 2))
        }
    }
}

/// The index target: input byte 0 picks a file of the index (and whether its checksum is
/// fixed up after mutation, so that the decoders behind the checksum see the damage); then
/// 3-byte groups (offset high, offset low, xor mask) flip bytes; byte 1 bit 7 truncates the file
/// at the first group's offset instead.
enum FuzzIndex {
    struct State {
        let directory: String
        let files: [String]
        let pristine: [[UInt8]]
    }

    static let state: State? = {
        guard let dir = FuzzCorpus.build("index"), let names = try? FileSystem.list(dir) else { return nil }
        let files = names.filter { $0 != "LOCK" }.sorted()
        let contents = files.compactMap { try? FileSystem.read(dir + "/" + $0) }
        guard contents.count == files.count else { return nil }
        return State(directory: dir, files: files, pristine: contents)
    }()

    static func run(_ data: UnsafeRawBufferPointer) {
        guard let state, data.count >= 2 else { return }
        let which = Int(data[0] & 0x7F) % state.files.count
        let fixChecksum = data[0] & 0x80 != 0
        let name = state.files[which]
        let path = state.directory + "/" + name
        var bytes = state.pristine[which]
        defer { try? FileSystem.writeAtomically(path, state.pristine[which]) }
        var i = 2
        if data[1] & 0x80 != 0, data.count >= 4 {
            let cut = (Int(data[2]) << 8 | Int(data[3])) % (bytes.count + 1)
            bytes.removeLast(bytes.count - cut)
            i = 4
        }
        while i + 2 < data.count {
            let offset = (Int(data[i]) << 8 | Int(data[i + 1])) % max(1, bytes.count)
            if !bytes.isEmpty { bytes[offset] ^= data[i + 2] }
            i += 3
        }
        if fixChecksum && bytes.count >= 32 {
            // Recompute the footer's checksum so the damage reaches the structure decoders.
            let covered = bytes.count - 16
            let sum = bytes.withUnsafeBytes { XXH64.hash(UnsafeRawBufferPointer(rebasing: $0[0..<covered])) }
            for k in 0..<8 { bytes[covered + k] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(k))) }
        }
        guard (try? FileSystem.writeAtomically(path, bytes)) != nil else { return }
        exercise(state.directory)
    }

    /// Every read path over the (possibly damaged) index; errors are expected, crashes not.
    static func exercise(_ dir: String) {
        _ = IndexChecker(directory: dir).check()
        guard let snapshot = try? IndexSnapshot.open(dir), let searcher = try? Searcher(snapshot: snapshot) else { return }
        _ = snapshot.stats
        for segment in snapshot.segments { _ = try? segment.verifyWholeFiles(IndexFileKind.allCases) }
        for q in ["stress sleep", "\"fight or flight\"~2 +memory -cortisol", "adren* slep~1", "title:grace body:period"] {
            guard let prepared = try? searcher.prepare(q) else { continue }
            _ = try? searcher.search(prepared, options: SearchOptions(limit: 5, explain: true))
            _ = try? searcher.passages(prepared, options: SearchOptions(limit: 5))
            _ = try? searcher.rank(prepared, options: SearchOptions(limit: 100))
        }
        for id in ["doc 1", "doc 44", "doc 69"] { _ = try? searcher.document(id: id) }
    }
}
