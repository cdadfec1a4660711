import QuarryAnalysis
import QuarryCore
import QuarryDocument

/// Entry points into single stages of indexing, for the micro-benchmarks in Benchmarks/
/// (`@_spi(Benchmarks) import QuarryIndex`). Not part of the supported API.
package enum BenchmarkHooks {
    /// Analyses every document (tokenizer, term cache, grouping by term, passages) and
    /// returns how many terms were produced.
    package static func invert(_ articles: [Article], settings: IndexSettings) throws -> Int {
        let cache = TermCache(analyzer: try Analyzer(settings: settings.analyzer))
        var inverter = DocumentInverter()
        defer { inverter.free() }
        let splitter = PassageSplitter(settings: settings.passages)
        var terms = 0
        for a in articles {
            var body = a.body
            let spans = body.withUTF8 { splitter.split(UnsafeRawBufferPointer($0), blocks: a.blocks) }
            inverter.invert(title: a.title, body: a.body, spans: spans, cache: cache)
            terms += inverter.titleLength + inverter.bodyLength
        }
        return terms
    }

    /// Tokenizes and looks every word up in a term cache (no grouping, no passages).
    package static func lookUpWords(_ articles: [Article], settings: IndexSettings) throws -> Int {
        let cache = TermCache(analyzer: try Analyzer(settings: settings.analyzer))
        var found = 0
        for a in articles {
            var body = a.body
            body.withUTF8 { utf8 in
                let bytes = UnsafeRawBufferPointer(utf8)
                var t = Tokenizer(bytes)
                while let w = t.next() {
                    if cache.termID(UnsafeRawBufferPointer(rebasing: bytes[w.start..<w.end]), isASCII: w.isASCII) >= 0 { found += 1 }
                }
            }
        }
        return found
    }

    /// Builds one segment in `directory` from the articles: seconds spent adding and flushing.
    package static func buildSegment(_ articles: [Article], settings: IndexSettings, directory: String) throws -> (
        add: Double, flush: Double
    ) {
        let cache = TermCache(analyzer: try Analyzer(settings: settings.analyzer))
        let builder = SegmentBuilder(directory: directory, name: "s999999", nonce: 1, passages: settings.passages)
        let t0 = monotonicSeconds()
        for (i, a) in articles.enumerated() {
            try builder.add(a, origin: a.path, sequence: UInt64(i), cache: cache)
        }
        let t1 = monotonicSeconds()
        _ = try builder.flush(cache: cache)
        return (t1 - t0, monotonicSeconds() - t1)
    }
}

/// Monotonic seconds.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

#if canImport(Glibc)
import Glibc
#endif
