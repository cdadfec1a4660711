import Testing

@testable import QuarryAnalysis

@Suite("Analyzer")
struct AnalyzerTests {
    @Test("lowercases, drops stopwords, stems with Snowball English")
    func english() throws {
        let a = try Analyzer(settings: .default)
        #expect(a.terms("The Symptoms of Norepinephrine Deficiency") == ["symptom", "norepinephrin", "defici"])
        #expect(a.terms("running runs RUN") == ["run", "run", "run"])
        #expect(a.terms("body's bodies") == ["bodi", "bodi"])
    }

    @Test("positions count every word, stopwords included; byte ranges are the surface words")
    func positions() throws {
        let a = try Analyzer(settings: .default)
        let text = "The fight of the Flight"
        let tokens = a.tokens(text)
        #expect(tokens.map(\.term) == ["fight", "flight"])
        #expect(tokens.map(\.position) == [1, 4])
        let utf8 = Array(text.utf8)
        #expect(tokens.map { String(decoding: utf8[$0.start..<$0.end], as: UTF8.self) } == ["fight", "Flight"])
    }

    @Test("folds diacritics and case after stemming, so accented and plain spellings meet")
    func folding() throws {
        let a = try Analyzer(settings: AnalyzerSettings(language: "french"))
        #expect(a.terms("élève") == a.terms("eleve"))
        #expect(a.terms("Café") == a.terms("cafe"))
        let none = try Analyzer(settings: AnalyzerSettings(language: "none", foldDiacritics: false))
        #expect(none.terms("Élève") == ["élève"])
        let en = try Analyzer(settings: .default)
        #expect(en.terms("Straße") == ["strasse"])
    }

    @Test("Cyrillic words are stemmed by the Russian stemmer and folded consistently")
    func russian() throws {
        let a = try Analyzer(settings: AnalyzerSettings(language: "russian"))
        #expect(a.terms("норадреналина") == a.terms("норадреналин"))
        let en = try Analyzer(settings: .default)
        #expect(en.terms("Содержание") == ["содержание"])
        #expect(en.terms("СОДЕРЖАНИЕ") == en.terms("содержание"))
    }

    @Test("curly apostrophes are normalised before stemming")
    func apostrophes() throws {
        let a = try Analyzer(settings: .default)
        #expect(a.terms("body’s") == a.terms("body's"))
    }

    @Test("over-long words are dropped but keep their position")
    func longWords() throws {
        let a = try Analyzer(settings: AnalyzerSettings(language: "none", maxWordBytes: 8))
        let tokens = a.tokens("short extraordinarily end")
        #expect(tokens.map(\.term) == ["short", "end"])
        #expect(tokens.map(\.position) == [0, 2])
    }

    @Test("unknown languages are rejected with the list of available ones")
    func unknownLanguage() {
        #expect(throws: AnalysisError.self) { try Analyzer(settings: AnalyzerSettings(language: "klingon")) }
        #expect(Stemmer.languages.count == 29)
        #expect(Stemmer.languages.contains("english") && Stemmer.languages.contains("russian"))
    }

    @Test("normalize and the cached term(for:) agree")
    func cacheAgrees() throws {
        let a = try Analyzer(settings: .default)
        for word in ["Running", "naïve", "Содержание", "the", "x", "CAFÉ", "don’t"] {
            var w = word
            let direct = w.withUTF8 { u in
                a.normalize(UnsafeRawBufferPointer(u), isASCII: word.utf8.allSatisfy { $0 < 0x80 }) { String(decoding: $0, as: UTF8.self) }
            }
            let cached = w.withUTF8 { a.term(for: UnsafeRawBufferPointer($0), isASCII: word.utf8.allSatisfy { $0 < 0x80 }) }
            #expect(direct == cached, "\(word)")
        }
    }
}

@Suite("Elision")
struct ElisionTests {
    @Test("French and Italian elided articles are dropped; the word keeps its place and range")
    func elision() throws {
        let fr = try Analyzer(settings: AnalyzerSettings(language: "french"))
        #expect(fr.terms("L’adrénaline d'abord jusqu'ici") == fr.terms("adrénaline abord ici"))
        let tokens = fr.tokens("L’adrénaline")
        #expect(tokens.count == 1)
        #expect(tokens.first.map { String(decoding: Array("L’adrénaline".utf8)[$0.start..<$0.end], as: UTF8.self) } == "adrénaline")
        let it = try Analyzer(settings: AnalyzerSettings(language: "italian"))
        #expect(it.terms("dell'acqua") == it.terms("acqua"))
        // English keeps its contractions whole.
        let en = try Analyzer(settings: .default)
        #expect(en.terms("l'adrenaline") == ["l'adrenalin"])
    }
}
