import Foundation
import Testing

/// A flipped byte in any index file is caught by `quarry check`, and by a search that reads
/// it, with an error naming the file: never a crash, never a wrong answer. (A search
/// verifies the blocks it reads: QuarryIndexTests' BlockChecksumTests flip bytes in blocks a
/// search does and does not read.)
@Suite("damaged index files")
struct DamageTests {
    @Test(
        "every file of the index, with one random byte flipped, is reported by check and by a search that reads it",
        arguments: [nil, "0"])
    func bitFlips(eagerBytes: String?) throws {
        // nil: the default (files of one block verified at open); "0": every file verified
        // block by block as it is read.
        let env = eagerBytes.map { ["QUARRY_EAGER_VERIFY_BYTES": $0] } ?? [:]
        let dir = try CLI.temporaryDirectory("flip")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var corpus = CrashCorpus(dir: dir)
        try corpus.mutate(files: 3, linesPerFile: 300)
        let pristine = dir + "/pristine"
        #expect(try CLI.run(["index", "--index", pristine, dir + "/src"]).status == 0)
        // Deletions and a sources table too, so that every kind of file is there.
        #expect(try CLI.run(["delete", "--index", pristine, "f0-1", "f1-7"]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: pristine).filter { $0 != "LOCK" }.sorted()
        let kinds = Set(files.map { ($0 as NSString).pathExtension.isEmpty ? $0 : ($0 as NSString).pathExtension })
        #expect(
            kinds.isSuperset(of: ["MANIFEST", "seg", "tdx", "doc", "pos", "len", "psg", "ids", "met", "sto", "sum", "chk", "del", "src"]),
            "\(kinds)")
        // The word twice in a row is in no document, but every document has the word: the
        // phrase decodes its positions in all of them.
        let phraseQuery = "\"quarrymarker quarrymarker\" OR quarrymarker"
        let pristinePhrase = try CLI.run(["search", "--index", pristine, "--limit", "1000", "--snippets", "0", phraseQuery])
        #expect(pristinePhrase.status == 0 && !pristinePhrase.stdout.isEmpty)
        let pristineShow = try CLI.run(["show", "--index", pristine, "f1-2"])
        #expect(pristineShow.status == 0 && pristineShow.stdout.contains("quarrymarker"))
        var rng = SystemRandomNumberGenerator()
        for file in files {
            let copy = dir + "/copy-\(file)"
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: pristine, toPath: copy)
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: copy + "/" + file)))
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[at] ^= UInt8.random(in: 1...255, using: &rng)
            try Data(bytes).write(to: URL(fileURLWithPath: copy + "/" + file))
            let check = try CLI.run(["check", "--index", copy])
            #expect(check.status == 5, "\(file) byte \(at): check exit \(check.status)")
            #expect(
                check.stdout.contains(file) || check.stderr.contains(file),
                "\(file) byte \(at): check does not name the file: \(check.stdout)")
            // Every document has the word: all of them, with snippets, read every file a
            // search reads (all but the origins, which opening verifies, and the positions,
            // which only phrases read).
            let search = try CLI.run(["search", "--index", copy, "--limit", "1000", "quarrymarker"], environment: env)
            if file.hasSuffix(".pos") {
                // A phrase reads the positions of its words in the documents that hold them
                // all: the damaged block is read (exit 5, naming the file) or it is not, and
                // then the answer is the undamaged index's, byte for byte.
                let phrase = ["search", "--index", copy, "--limit", "1000", "--snippets", "0", phraseQuery]
                let damaged = try CLI.run(phrase, environment: env)
                #expect(
                    (damaged.status == 5 && damaged.stderr.contains(file) && damaged.stdout.isEmpty)
                        || (damaged.status == 0 && damaged.stdout == pristinePhrase.stdout),
                    "\(file) byte \(at): phrase search exit \(damaged.status): \(damaged.stderr)")
                #expect(search.status == 0 || search.status == 5)
            } else {
                #expect(search.status == 5, "\(file) byte \(at): search exit \(search.status)")
                #expect(search.stderr.contains(file), "\(file) byte \(at): search error does not name the file: \(search.stderr)")
                #expect(search.stdout.isEmpty)
            }
            // Stats verifies every file before it prints a figure; show verifies what it reads.
            let stats = try CLI.run(["stats", "--json", "--index", copy], environment: env)
            #expect(stats.status == 5, "\(file) byte \(at): stats exit \(stats.status): \(stats.stdout)")
            #expect(stats.stderr.contains(file), "\(file) byte \(at): stats error does not name the file: \(stats.stderr)")
            #expect(stats.stdout.isEmpty)
            let show = try CLI.run(["show", "--index", copy, "f1-2"], environment: env)
            // Show reads one document: the damaged block is read (exit 5) or the document is
            // the undamaged index's.
            #expect(
                show.status == 5 || (show.status == 0 && show.stdout == pristineShow.stdout),
                "\(file) byte \(at): show exit \(show.status)")
            try? FileManager.default.removeItem(atPath: copy)
        }
    }

    @Test(
        "a file the commit names but that is missing is damage (exit 5 naming it) for every read path",
        arguments: ["seg", "tdx", "sto", "ids", "doc", "del", "src"])
    func missingFile(_ which: String) throws {
        let dir = try CLI.temporaryDirectory("missing")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = (0..<40).map { #"{"_id": "d\#($0)", "text": "beta word\#($0)"}"# }
        try write(dir + "/src/docs.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(try CLI.run(["index", "--index", dir + "/idx", dir + "/src"]).status == 0)
        #expect(try CLI.run(["delete", "--index", dir + "/idx", "d5", "d30"]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/idx")
        let file = try #require(names.sorted().first { ($0 as NSString).pathExtension == which }, "\(names)")
        try FileManager.default.removeItem(atPath: dir + "/idx/" + file)
        for command in [["search", "beta"], ["show", "d7"], ["stats"], ["stats", "--json"], ["check"]] {
            let r = try CLI.run(command + ["--index", dir + "/idx"])
            #expect(r.status == 5, "\(command) without \(file): exit \(r.status): \(r.stderr)")
            #expect((r.stderr + r.stdout).contains(file), "\(command) does not name \(file): \(r.stderr)")
            if command[0] != "check" { #expect(r.stdout.isEmpty) }
        }
    }
}
