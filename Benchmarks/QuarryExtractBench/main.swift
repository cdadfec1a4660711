// quarry-extract-bench: extraction over documentation trees, as `quarry index` reads them.
//   swift run -c release quarry-extract-bench [--keep-chrome] [--list FILE] DIR...
// For each DIR: pages, bytes, the best of 3 timed passes over the files (read into memory
// first), pages whose chrome was dropped, pages marked generated (by kind), and the largest
// number of attributes a start tag had. --list writes one line per page:
// path, generated kind, chrome bytes, title.
import Glibc
import QuarryCollection
import QuarryCore
import QuarryIngest

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var args = Array(CommandLine.arguments.dropFirst())
var options = ExtractionOptions()
var listPath: String?
if let k = args.firstIndex(of: "--keep-chrome") {
    options.keepChrome = true
    args.remove(at: k)
}
if let k = args.firstIndex(of: "--list"), k + 1 < args.count {
    listPath = args[k + 1]
    args.removeSubrange(k...(k + 1))
}
guard !args.isEmpty else {
    print("usage: quarry-extract-bench [--keep-chrome] [--list FILE] DIR...")
    exit(2)
}
if args.first == "--show" {
    // Prints what extraction gives for single files: page info, title, blocks.
    for path in args.dropFirst() {
        guard let bytes = try? FileSystem.read(path) else { continue }
        let format = SourceFormat.detect(path: path) ?? .text
        let r = SourceParser(options: options).extractDocument(bytes, displayPath: path, id: path, format: format)
        print("== \(path): generated \(r.page.generated?.description ?? "no"), chrome bytes \(r.page.chromeBytes)")
        print("title: \(r.article?.title ?? "-")")
        for issue in r.issues { print("issue: \(issue)") }
        if let a = r.article {
            let u = Array(a.body.utf8)
            for b in a.blocks { print("[\(b.kind)] \(String(decoding: u[b.start..<b.end], as: UTF8.self).prefix(160))") }
        }
    }
    exit(0)
}
let list = listPath.flatMap { fopen($0, "w") }
defer { if let list { fclose(list) } }

for root in args {
    let walk = SourceWalker(format: .auto).walk([root])
    var files: [(Source, [UInt8])] = []
    var total = 0
    for s in walk.sources where s.format != .beir {
        if let b = try? FileSystem.read(s.absolutePath) {
            files.append((s, b))
            total += b.count
        }
    }
    let parser = SourceParser(options: options)
    var best = Double.infinity
    var chromePages = 0
    var generated: [String: Int] = [:]
    var warnings = 0
    for round in 0..<3 {
        let t = now()
        for (s, b) in files {
            let r = parser.extractDocument(b, displayPath: s.path, id: s.relativeID, format: s.format)
            if round == 0 {
                if r.page.chromeBytes > 0 { chromePages += 1 }
                if let g = r.page.generated { generated[g.kind.rawValue, default: 0] += 1 }
                warnings += r.issues.count
                if let list {
                    let line =
                        "\(s.relativeID)\t\(r.page.generated?.kind.rawValue ?? "-")\t\(r.page.chromeBytes)\t\(r.article?.title ?? "-")\n"
                    fputs(line, list)
                }
            }
        }
        best = min(best, now() - t)
    }
    let share = files.isEmpty ? 0 : Double(chromePages) * 100 / Double(files.count)
    let kinds = generated.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    print(
        "\(root): \(files.count) pages, \(total) bytes, best of 3 \(best) s (\(Double(total) / 1e6 / best) MB/s); "
            + "chrome dropped on \(chromePages) (\(Int(share.rounded()))%); generated: \(kinds.isEmpty ? "none" : kinds); warnings \(warnings)"
    )
}
