extension Query: CustomStringConvertible {
    /// The query in the query language, with the default operator OR:
    /// `try Query.parse(q.description) == q` for every tree that `parse` produces (with
    /// either default operator). Clauses are separated by one space and marked `+` (must),
    /// `-` (must not) or nothing (should); syntax characters in words are escaped; boosts
    /// print in Swift's shortest round-trip form (`a^2.0`).
    public var description: String { text(nested: false) }

    /// `nested`: whether a boolean needs parentheses (inside another boolean or a boost).
    private func text(nested: Bool) -> String {
        switch self {
        case .term(let word, let field):
            return Self.scope(field) + Self.escaped(word)
        case .phrase(let text, let slop, let field):
            var quoted = "\""
            for c in text.unicodeScalars {
                if c == "\"" || c == "\\" { quoted.append("\\") }
                quoted.unicodeScalars.append(c)
            }
            quoted.append("\"")
            return Self.scope(field) + quoted + (slop > 0 ? "~\(slop)" : "")
        case .prefix(let word, let field):
            return Self.scope(field) + Self.escaped(word) + "*"
        case .fuzzy(let word, let maxEdits, let field):
            return Self.scope(field) + Self.escaped(word) + "~\(maxEdits)"
        case .boolean(let clauses):
            let text = clauses.map { Self.marker($0.occur) + $0.query.text(nested: true) }.joined(separator: " ")
            return nested ? "(\(text))" : text
        case .boosted(let query, let value):
            let base = if case .boosted = query { "(\(query.text(nested: false)))" } else { query.text(nested: true) }
            return base + "^" + value.description
        }
    }

    private static func scope(_ field: QueryField?) -> String {
        field.map { $0.rawValue + ":" } ?? ""
    }

    private static func marker(_ occur: Occur) -> String {
        switch occur {
        case .should: ""
        case .must: "+"
        case .mustNot: "-"
        }
    }

    /// A word with a backslash before every character that would otherwise be syntax.
    /// (Like the parser, this works on Unicode scalars, whatever their grouping into characters.)
    private static func escaped(_ word: String) -> String {
        if word == "AND" || word == "OR" || word == "NOT" { return "\\" + word }
        var text = ""
        for c in word.unicodeScalars {
            let leadingModifier = text.isEmpty && (c == "+" || c == "-")
            if c.properties.isWhitespace || leadingModifier || "\"()^~*\\:".unicodeScalars.contains(c) {
                text.append("\\")
            }
            text.unicodeScalars.append(c)
        }
        return text
    }
}
