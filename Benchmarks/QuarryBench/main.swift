// quarry-bench: times Quarry's hot paths in isolation on a BEIR JSONL corpus.
//   swift run -c release quarry-bench CORPUS.jsonl [INDEX_DIR_FOR_SEARCH QUERIES.tsv]
// Prints MB/s and per-item times; compare runs of the same binary on the same machine.
import Glibc
import QuarryAnalysis
import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest
import QuarrySearch

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func report(_ name: String, seconds: Double, bytes: Int, items: Int, unit: String) {
    let mbs = Double(bytes) / 1e6 / seconds
    let per = seconds * 1e9 / Double(max(items, 1))
    let padded = name + String(repeating: " ", count: max(0, 26 - name.count))
    print("\(padded) \(fmt(seconds, 8, 3)) s  \(fmt(mbs, 8, 1)) MB/s  \(fmt(per, 8, 1)) ns/\(unit)")
}

/// A number with `digits` decimals, right-aligned in `width` characters.
func fmt(_ v: Double, _ width: Int, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    var s = "\((v * scale).rounded() / scale)"
    if let dot = s.firstIndex(of: ".") {
        let have = s.distance(from: dot, to: s.endIndex) - 1
        if have < digits { s += String(repeating: "0", count: digits - have) }
    }
    return String(repeating: " ", count: max(0, width - s.count)) + s
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    print("usage: quarry-bench CORPUS.jsonl [INDEX_DIR QUERIES.tsv]")
    exit(2)
}
let corpusPath = args[1]
let bytes = try FileSystem.read(corpusPath)
print("corpus \(corpusPath): \(bytes.count / 1_000_000) MB")

// 1. JSON lines → articles.
var t = now()
var articles: [Article] = []
bytes.withUnsafeBytes { raw in
    for range in Lines.chunks(raw, chunkBytes: 1 << 20) {
        _ = try? SourceParser().parseLines(raw, range: range, displayPath: corpusPath, firstLine: { 1 }) { articles.append($0) }
    }
}
let textBytes = articles.reduce(0) { $0 + $1.body.utf8.count + $1.title.utf8.count }
report("parse JSON lines", seconds: now() - t, bytes: bytes.count, items: articles.count, unit: "doc")

// 2. Tokenizer alone.
t = now()
var words = 0
for a in articles {
    var body = a.body
    body.withUTF8 { u in
        var tok = Tokenizer(UnsafeRawBufferPointer(u))
        while tok.next() != nil { words += 1 }
    }
}
report("tokenize bodies", seconds: now() - t, bytes: textBytes, items: words, unit: "word")

let settings = IndexSettings.default
// 3. Tokenizer + term cache.
t = now()
let found = try BenchmarkHooks.lookUpWords(articles, settings: settings)
report("tokenize + look up", seconds: now() - t, bytes: textBytes, items: found, unit: "word")

// 4. Full inversion (grouping, passages).
t = now()
let terms = try BenchmarkHooks.invert(articles, settings: settings)
report("invert (with passages)", seconds: now() - t, bytes: textBytes, items: terms, unit: "term")

// 5. One segment: add + flush.
let dir = "/tmp/quarry-bench-\(getpid())"
try FileSystem.makeDirectories(dir)
let (add, flush) = try BenchmarkHooks.buildSegment(articles, settings: settings, directory: dir)
report("segment: add", seconds: add, bytes: textBytes, items: articles.count, unit: "doc")
report("segment: flush", seconds: flush, bytes: textBytes, items: terms, unit: "term")
try FileSystem.removeTree(dir)

// 6. Search, if an index and queries are given.
if args.count >= 4 {
    let searcher = try Searcher(directory: args[2])
    let lines = String(decoding: try FileSystem.read(args[3]), as: UTF8.self).split(separator: "\n")
    let queries = lines.compactMap { $0.split(separator: "\t", maxSplits: 1).last.map(String.init) }
    for exhaustive in [false, true] {
        t = now()
        var hits = 0
        for q in queries {
            let prepared = try searcher.prepare(q, options: QueryOptions(syntax: .words))
            hits += try searcher.rank(prepared, options: SearchOptions(limit: 10, exhaustive: exhaustive)).count
        }
        report("top-10 OR (\(exhaustive ? "exhaustive" : "MaxScore"))", seconds: now() - t, bytes: 0, items: queries.count, unit: "query")
        _ = hits
    }
}

// 7. Hash table micro-benchmark: every word of the bodies, hashed, then found.
do {
    var all: [UInt8] = []
    var ranges: [(Int, Int)] = []
    for a in articles.prefix(20_000) {
        var body = a.body
        body.withUTF8 { u in
            let raw = UnsafeRawBufferPointer(u)
            var tok = Tokenizer(raw)
            while let w = tok.next() {
                ranges.append((all.count, w.end - w.start))
                all.append(contentsOf: raw[w.start..<w.end])
            }
        }
    }
    let table = ByteStringTable(capacity: 1 << 16)
    all.withUnsafeBytes { raw in
        for (s, n) in ranges { table.insert(UnsafeRawBufferPointer(rebasing: raw[s..<(s + n)])) }
        var t = now()
        var sum: UInt64 = 0
        for (s, n) in ranges { sum &+= hashBytes(UnsafeRawBufferPointer(rebasing: raw[s..<(s + n)])) }
        report("hash words", seconds: now() - t, bytes: all.count, items: ranges.count, unit: "word")
        t = now()
        var found = 0
        for (s, n) in ranges { if table.find(UnsafeRawBufferPointer(rebasing: raw[s..<(s + n)])) != nil { found += 1 } }
        report("hash + find words", seconds: now() - t, bytes: all.count, items: ranges.count, unit: "word")
        print("  (\(table.count) distinct of \(found) words, checksum \(sum & 0xFF))")
    }
}

// 8. Checksums: XXH64 over 64 MB in memory.
do {
    let data = [UInt8](repeating: 7, count: 64 << 20)
    let t = now()
    let h = data.withUnsafeBytes { XXH64.hash($0) }
    report("XXH64 of 64 MB", seconds: now() - t, bytes: data.count, items: 1, unit: "buffer")
    print("  (\(h & 0xFF))")
}
