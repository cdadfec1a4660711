import Foundation
import QuarryCore

/// A term produced from text: the normalised term, its position, and the byte range of the
/// word it came from in the analysed text.
package struct Token: Sendable, Equatable, CustomStringConvertible {
    package var term: String
    /// 0-based word position (stopwords and over-long words take positions too).
    package var position: Int
    /// UTF-8 byte offsets of the surface word in the analysed text.
    @usableFromInline package var start: Int
    @usableFromInline package var end: Int

    package init(term: String, position: Int, start: Int, end: Int) {
        self.term = term
        self.position = position
        self.start = start
        self.end = end
    }

    package var description: String { "\(term)@\(position)[\(start)..<\(end)]" }
}

/// Turns text into index terms: tokenizer → lowercase → stopwords → Snowball stem →
/// diacritic/case folding. Not thread-safe (it holds a libstemmer instance and caches);
/// create one per thread from the shared `AnalyzerSettings`.
package final class Analyzer {
    package let settings: AnalyzerSettings
    /// Elided articles of the language, for `Tokenizer(_:elisions:)`.
    package let elisions: Elisions?
    private let stemmer: Stemmer?
    private var stopwords = ByteStringTable(capacity: 64)
    /// Surface word → term, for `term(for:)`.
    private lazy var cache = TermCache(elisions: elisions, initialCapacity: 256) { [unowned self] word, isASCII, intern in
        normalize(word, isASCII: isASCII, intern)
    }
    private var lowered: [UInt8] = []
    private var output: [UInt8] = []
    private static let cacheLimit = 200_000

    package init(settings: AnalyzerSettings) throws(AnalysisError) {
        try settings.validate()
        self.settings = settings
        stemmer = settings.language == "none" ? nil : try Stemmer(language: settings.language)
        elisions = Elisions.forLanguage(settings.language)
        for word in settings.stopwords {
            var w = word
            w.withUTF8 { _ = stopwords.insert(UnsafeRawBufferPointer($0)) }
        }
        lowered.reserveCapacity(256)
        output.reserveCapacity(256)
    }

    /// Normalises one surface word (a `RawToken` of some text) to its term. Returns false when
    /// the word is dropped (a stopword, too long, nothing left after folding); otherwise
    /// `body` receives the term bytes. Not cached: callers that see the same word often cache
    /// its result themselves (the indexer does); `term(for:)` is the cached form.
    @discardableResult
    package func normalize<R>(_ word: UnsafeRawBufferPointer, isASCII: Bool, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        if word.count > settings.maxWordBytes || word.count == 0 { return nil }
        // 1. Lowercase (and ’ → ').
        lowered.removeAll(keepingCapacity: true)
        var hasLetter = false
        if isASCII {
            for b in word {
                if b >= 0x41 && b <= 0x5A {
                    lowered.append(b | 0x20)
                    hasLetter = true
                } else {
                    if b >= 0x61 && b <= 0x7A { hasLetter = true }
                    lowered.append(b)
                }
            }
        } else {
            hasLetter = true
            var s = String(decoding: word, as: UTF8.self).lowercased()
            if s.unicodeScalars.contains(where: { $0.value == 0x2019 || $0.value == 0x02BC }) {
                s = String(
                    String.UnicodeScalarView(
                        s.unicodeScalars.map {
                            $0.value == 0x2019 || $0.value == 0x02BC ? "'" : $0
                        }))
            }
            lowered.append(contentsOf: s.utf8)
            if lowered.count > settings.maxWordBytes { return nil }
        }
        // 2. Stopwords.
        if stopwords.count > 0 {
            let isStop = lowered.withUnsafeBytes { stopwords.find($0) != nil }
            if isStop { return nil }
        }
        // 3. Stem (words with letters only).
        output.removeAll(keepingCapacity: true)
        var stemmed = false
        if hasLetter, let stemmer {
            lowered.withUnsafeBytes { w in
                if let s = stemmer.stem(w), s.count > 0 {
                    output.append(contentsOf: s)
                    stemmed = true
                }
            }
        }
        if !stemmed { output.append(contentsOf: lowered) }
        // 4. Fold diacritics and case (non-ASCII only).
        if settings.foldDiacritics && !isASCII && output.contains(where: { $0 >= 0x80 }) {
            let folded = String(decoding: output, as: UTF8.self)
                .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            output.removeAll(keepingCapacity: true)
            output.append(contentsOf: folded.utf8)
            // Folding can leave apostrophes or spaces from decompositions; keep only word bytes.
            output.removeAll(where: { $0 == 0x20 })
        }
        if output.isEmpty { return nil }
        return output.withUnsafeBytes { body($0) }
    }

    /// The cached term for a surface word (nil when dropped).
    package func term(for word: UnsafeRawBufferPointer, isASCII: Bool) -> String? {
        if cache.count >= Analyzer.cacheLimit { cache.clear() }
        let id = cache.termID(word, isASCII: isASCII)
        return id < 0 ? nil : cache.terms.withKey(Int(id)) { String(decoding: $0, as: UTF8.self) }
    }

    /// Analyses UTF-8 text: every term with its position and byte range.
    package func tokens(_ text: UnsafeRawBufferPointer) -> [Token] {
        var result: [Token] = []
        var tokenizer = Tokenizer(text, elisions: elisions)
        var position = 0
        while let raw = tokenizer.next() {
            let word = UnsafeRawBufferPointer(rebasing: text[raw.start..<raw.end])
            if let term = term(for: word, isASCII: raw.isASCII) {
                result.append(Token(term: term, position: position, start: raw.start, end: raw.end))
            }
            position += 1
        }
        return result
    }

    /// Analyses a string: every term with its position and UTF-8 byte range.
    package func tokens(_ text: String) -> [Token] {
        var t = text
        return t.withUTF8 { tokens(UnsafeRawBufferPointer($0)) }
    }

    /// A prefix as prefix queries match it against indexed terms: lowercased and, when the
    /// index folds them, without diacritics; not stemmed (a stem is not a prefix of a stem).
    package func foldedPrefix(_ text: String) -> String {
        var s = text.lowercased()
        if s.unicodeScalars.contains(where: { $0.value == 0x2019 || $0.value == 0x02BC }) {
            s = String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value == 0x2019 || $0.value == 0x02BC ? "'" : $0 }))
        }
        if settings.foldDiacritics && s.utf8.contains(where: { $0 >= 0x80 }) {
            s = s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            s.removeAll { $0 == " " }
        }
        return s
    }

    /// Just the terms of a text, in order.
    package func terms(_ text: String) -> [String] { tokens(text).map(\.term) }
}
