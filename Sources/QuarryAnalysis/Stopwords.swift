/// Built-in stopword lists.
public enum Stopwords {
    /// The common English stopword list (the 33 words most engines' English analyzers drop).
    public static let english: [String] = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
        "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
        "they", "this", "to", "was", "will", "with",
    ]

    /// The built-in list for a stemmer language, if Quarry has one.
    public static func builtIn(for language: String) -> [String]? {
        switch language {
        case "english", "porter": return english
        default: return nil
        }
    }
}
