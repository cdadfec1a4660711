/// How text becomes index terms. Recorded in every index: the same settings are used at
/// index time and at query time.
public struct AnalyzerSettings: Sendable, Equatable, Codable {
    /// Version of the tokenizer and normalisation rules; bumped when they change, so an index
    /// built with other rules is recognised.
    package static let rulesVersion = 1

    /// Snowball stemmer ("english", "russian", … see `Stemmer.languages`) or "none".
    public var language: String
    /// Words (lowercase) dropped before stemming. Empty means no stopwords.
    public var stopwords: [String]
    /// Remove diacritics and apply Unicode case folding after stemming ("Élève" → "eleve").
    public var foldDiacritics: Bool
    /// Words longer than this many UTF-8 bytes are dropped (they still take a position).
    public var maxWordBytes: Int

    public init(language: String = "english", stopwords: [String] = [], foldDiacritics: Bool = true, maxWordBytes: Int = 255) {
        self.language = language
        self.stopwords = stopwords
        self.foldDiacritics = foldDiacritics
        self.maxWordBytes = maxWordBytes
    }

    /// Quarry's defaults: English stemming, the English stopword list, diacritic folding.
    public static let `default` = AnalyzerSettings(language: "english", stopwords: Stopwords.english)

    /// Checks the language exists and the limits are sane.
    package func validate() throws(AnalysisError) {
        if language != "none" && !Stemmer.languages.contains(language) {
            throw AnalysisError.unknownLanguage(language, available: Stemmer.languages)
        }
        if maxWordBytes < 1 || maxWordBytes > 4096 {
            throw AnalysisError.badSetting("maxWordBytes must be between 1 and 4096, not \(maxWordBytes)")
        }
    }
}
