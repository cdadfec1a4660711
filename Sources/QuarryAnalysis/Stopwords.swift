/// Built-in stopword lists.
package enum Stopwords {
    /// The common English stopword list (the 33 words most engines' English analyzers drop).
    package static let english: [String] = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
        "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
        "they", "this", "to", "was", "will", "with",
    ]

    /// The built-in list for a stemmer language, if Quarry has one.
    package static func builtIn(for language: String) -> [String]? {
        switch language {
        case "english", "porter": return english
        default: return nil
        }
    }
}
