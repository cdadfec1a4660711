import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest

@testable import QuarrySearch

/// A small deterministic random generator (SplitMix64), so failures can be replayed from
/// the seed printed in the test name.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func temporaryDirectory(_ name: String) throws -> String {
    let dir = "/tmp/quarry-tests-\(FileSystem.processID)-\(name)-\(UInt32.random(in: 0...UInt32.max))"
    try FileSystem.makeDirectories(dir)
    return dir
}

/// Words with a skewed frequency (some common, many rare), including ones that stem
/// together ("run", "running") and stopwords.
let vocabulary = [
    "the", "of", "and", "neuron", "neurons", "signal", "signals", "brain", "stress", "sleep", "hormone", "hormones",
    "run", "running", "runs", "dopamine", "serotonin", "norepinephrine", "adrenal", "gland", "cortex", "memory",
    "mood", "receptor", "synapse", "axon", "blood", "pressure", "heart", "rate", "attention", "focus", "fear",
    "response", "fight", "flight", "deficiency", "symptom", "symptoms", "treatment", "therapy", "drug", "trial",
    "élève", "café", "норадреналин", "содержание", "β", "x1", "2024", "quartz", "zebra", "yonder", "whistle",
]

func randomWords(_ n: Int, _ rng: inout SeededGenerator) -> String {
    (0..<n).map { _ -> String in
        // Square of a uniform number skews towards the front of the list.
        let u = Double(rng.next() % 10_000) / 10_000
        return vocabulary[min(vocabulary.count - 1, Int(u * u * Double(vocabulary.count)))]
    }.joined(separator: " ")
}

/// An article with paragraphs (sentences) and sometimes headings.
func randomArticle(id: String, _ rng: inout SeededGenerator) -> Article {
    let title = randomWords(Int(rng.next() % 6), &rng)
    var b = TextBuilder()
    for _ in 0..<Int(rng.next() % 5) {
        if rng.next() % 3 == 0 {
            b.startBlock(.heading, level: 2)
            b.append(randomWords(1 + Int(rng.next() % 4), &rng))
        }
        b.startBlock(rng.next() % 4 == 0 ? .listItem : .paragraph)
        for _ in 0..<(1 + Int(rng.next() % 6)) {
            b.append(randomWords(1 + Int(rng.next() % 15), &rng) + ". ")
        }
    }
    let (body, blocks) = b.finish()
    return Article(id: id, path: id, title: title, body: body, blocks: blocks)
}

/// Text queries in one call (the library prepares once and runs; tests often do both).
extension Searcher {
    func rank(_ text: String, query: QueryOptions = QueryOptions(), options: SearchOptions = SearchOptions()) throws -> [ScoredID] {
        try rank(try prepare(text, options: query), options: options)
    }

    func search(_ text: String, query: QueryOptions = QueryOptions(), options: SearchOptions = SearchOptions()) throws -> [DocumentResult] {
        try search(try prepare(text, options: query), options: options)
    }

    func passages(_ text: String, query: QueryOptions = QueryOptions(), options: SearchOptions = SearchOptions()) throws -> [PassageHit] {
        try passages(try prepare(text, options: query), options: options)
    }
}
