import QuarryDocument
import Testing

@testable import QuarrySearch

/// Draws for the generator (SeededGenerator is SplitMix64: every run tests the same queries).
private extension SeededGenerator {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// True once in `n` times.
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }

    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
}

/// Writes random valid queries from the grammar: every boolean keeps a clause that is not
/// excluded, and field prefixes inside a `title:(…)` group name the same field.
private struct QuerySyntaxGenerator {
    var rng: SeededGenerator

    static let words = [
        "rcu", "grace", "period", "x", "42", "3.14", "café", "naïve", "e\u{301}cole", "Straße", "привет", "мир",
        "東京", "検索", "😀", "e-mail", "c++", "x-", "12:30", "http://x.org", "and", "or", "not", "Title", "body",
        "ANDROID", "a+b",
    ]
    /// Escaped syntax characters to splice into words.
    static let escapes = [
        #"\ "#, #"\""#, #"\("#, #"\)"#, #"\^"#, #"\~"#, #"\*"#, #"\\"#, #"\:"#, "\\\t", #"\+"#, #"\-"#, #"\é"#,
    ]
    static let specialWords = [#"\AND"#, #"\OR"#, #"\NOT"#, #"NO\T"#, #"\+x"#, #"\-1"#, #"\title:x"#, #"body\:y"#]
    static let spaces = [" ", " ", " ", "  ", "\t", "\n", "\u{3000}", "\u{A0}"]
    static let boosts = ["2", "2.0", "0.5", "10", "1e-05", "1.5e+20", "3.25", "1E2", "007"]

    mutating func space() -> String { rng.pick(Self.spaces) }

    mutating func word() -> String {
        if rng.oneIn(10) { return rng.pick(Self.specialWords) }
        var chars = Array(rng.pick(Self.words))
        if rng.oneIn(4) { chars.insert(contentsOf: rng.pick(Self.escapes), at: rng.below(chars.count + 1)) }
        return String(chars)
    }

    mutating func phrase() -> String {
        var text = rng.pick(Self.words)
        for _ in 0..<rng.below(4) {
            text += rng.pick([" ", "  ", "\t"]) + rng.pick(Self.words + [#"\""#, #"\\"#, "(", ")", "^", "~", "*", ":", "AND"])
        }
        let slop = rng.oneIn(3) ? "~" + rng.pick(["0", "1", "3", "10000"]) : ""
        return "\"" + text + "\"" + slop
    }

    /// A word, prefix, fuzzy word or phrase.
    mutating func leaf() -> String {
        switch rng.below(6) {
        case 0: return phrase()
        case 1: return word() + "*"
        case 2: return word() + "~" + rng.pick(["", "0", "1", "2"])
        default: return word()
        }
    }

    /// postfix := [field ':'] primary [^boost]
    mutating func postfix(depth: Int, scope: QueryField?) -> String {
        var text = ""
        var scope = scope
        if rng.oneIn(5) {
            let field = scope ?? rng.pick(QueryField.allCases)
            text = rng.pick([field.rawValue, field.rawValue.uppercased(), field.rawValue.capitalized]) + ":"
            scope = field
        }
        if depth > 0 && rng.oneIn(4) {
            text += "(" + rng.pick(["", " "]) + sequence(depth: depth - 1, scope: scope) + rng.pick(["", " "]) + ")"
        } else {
            text += leaf()
        }
        if rng.oneIn(6) { text += "^" + rng.pick(Self.boosts) }
        return text
    }

    /// unary := ('+' | '-' | NOT) postfix | postfix
    mutating func unary(depth: Int, scope: QueryField?, excluded: Bool) -> String {
        let clause = postfix(depth: depth, scope: scope)
        if !excluded { return (rng.oneIn(3) ? "+" : "") + clause }
        if rng.oneIn(2) { return "-" + clause }
        return "NOT" + (clause.hasPrefix("(") && rng.oneIn(2) ? "" : space()) + clause
    }

    /// Which of `n` clauses to exclude: about a quarter, but never all.
    mutating func exclusions(_ n: Int) -> [Bool] {
        var excluded: [Bool] = []
        for _ in 0..<n { excluded.append(rng.oneIn(4)) }
        excluded[rng.below(n)] = false
        return excluded
    }

    /// andChain := unary (AND unary)+
    mutating func andChain(depth: Int, scope: QueryField?) -> String {
        var clauses: [String] = []
        for excluded in exclusions(rng.oneIn(3) ? 3 : 2) {
            clauses.append(unary(depth: depth, scope: scope, excluded: excluded))
        }
        return clauses.joined(separator: space() + "AND" + space())
    }

    /// orChain := andChain (OR andChain)+
    mutating func orChain(depth: Int, scope: QueryField?) -> String {
        var clauses: [String] = []
        for excluded in exclusions(rng.oneIn(3) ? 3 : 2) {
            clauses.append(item(depth: depth, scope: scope, excluded: excluded, or: false))
        }
        return clauses.joined(separator: space() + "OR" + space())
    }

    /// An item of a sequence (`or`) or of an OR chain: an excluded clause, or a clause or
    /// chain that is not.
    mutating func item(depth: Int, scope: QueryField?, excluded: Bool, or: Bool) -> String {
        if excluded { return unary(depth: depth, scope: scope, excluded: true) }
        switch rng.below(8) {
        case 0: return andChain(depth: depth, scope: scope)
        case 1 where or: return orChain(depth: depth, scope: scope)
        default: return unary(depth: depth, scope: scope, excluded: false)
        }
    }

    /// sequence := orChain+
    mutating func sequence(depth: Int, scope: QueryField?) -> String {
        var items: [String] = []
        for excluded in exclusions(1 + rng.below(3)) {
            items.append(item(depth: depth, scope: scope, excluded: excluded, or: true))
        }
        return items.joined(separator: space())
    }

    /// A whole query, sometimes padded with whitespace or wrapped in many parentheses.
    mutating func query() -> String {
        let text = sequence(depth: 2, scope: nil)
        if rng.oneIn(50) {
            let n = 1 + rng.below(60)
            return String(repeating: "(", count: n) + text + String(repeating: ")", count: n)
        }
        return rng.oneIn(10) ? space() + text + space() : text
    }

    static let syntax = [
        "\"", "(", ")", "+", "-", ":", "^", "~", "*", "\\", " AND ", " OR ", " NOT ", "AND", "OR", "NOT", "title:",
        "body:", " ", "2", "é", "\"\"", "()",
    ]

    /// `text` after one to three random edits: insertions, deletions and replacements of
    /// syntax, or truncation.
    mutating func mutated(_ text: String) -> String {
        var chars = Array(text)
        for _ in 0...rng.below(3) {
            let i = rng.below(chars.count + 1)
            switch rng.below(7) {
            case 0, 1, 2: chars.insert(contentsOf: rng.pick(Self.syntax), at: i)
            case 3, 4: if i < chars.count { chars.remove(at: i) }
            case 5: if i < chars.count { chars.replaceSubrange(i...i, with: rng.pick(Self.syntax)) }
            default: chars.removeSubrange(i...)
            }
        }
        return String(chars)
    }
}

/// What a tree contains, to check that the generator covers every construct.
private func features(_ query: Query, into seen: inout Set<String>) {
    func field(_ field: QueryField?) { seen.insert("field \(field?.rawValue ?? "none")") }
    switch query {
    case .term(_, let f):
        seen.insert("term")
        field(f)
    case .phrase(_, let slop, let f):
        seen.insert(slop > 0 ? "phrase~" : "phrase")
        field(f)
    case .prefix(_, let f):
        seen.insert("prefix")
        field(f)
    case .fuzzy(_, let edits, let f):
        seen.insert("fuzzy\(edits)")
        field(f)
    case .boolean(let clauses):
        seen.insert("boolean")
        for clause in clauses {
            seen.insert(clause.occur.rawValue)
            if case .boolean = clause.query { seen.insert("nested boolean") }
            features(clause.query, into: &seen)
        }
    case .boosted(let inner, _):
        seen.insert("boosted")
        if case .boosted = inner { seen.insert("boosted boosted") }
        if case .boolean = inner { seen.insert("boosted boolean") }
        features(inner, into: &seen)
    }
}

/// Checks that `query` prints to text that parses back to it, and that printing is
/// idempotent; returns a failure description, or nil.
private func roundTripFailure(_ query: Query, from text: String) -> String? {
    let printed = query.description
    do {
        let reparsed = try Query.parse(printed)
        if reparsed != query { return "\(text.debugDescription) → \(printed.debugDescription) → \(reparsed)" }
        if reparsed.description != printed {
            return "\(text.debugDescription) prints \(printed.debugDescription), then \(reparsed.description.debugDescription)"
        }
        return nil
    } catch {
        return "\(text.debugDescription) → \(printed.debugDescription): \(error)"
    }
}

@Suite("QueryGrammar")
struct QueryGrammarTests {
    @Test func validQueriesRoundTrip() {
        var generator = QuerySyntaxGenerator(rng: SeededGenerator(seed: 20_240_601))
        var failures: [String] = []
        var seen = Set<String>()
        for i in 0..<5000 {
            let text = generator.query()
            let op: QueryOperator = i.isMultiple(of: 2) ? .or : .and
            do {
                let query = try Query.parse(text, defaultOperator: op)
                features(query, into: &seen)
                if let failure = roundTripFailure(query, from: text) { failures.append(failure) }
            } catch {
                failures.append("\(text.debugDescription) (\(op)): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(5).joined(separator: "\n"))")
        let constructs: Set = [
            "term", "phrase", "phrase~", "prefix", "fuzzy0", "fuzzy1", "fuzzy2", "boolean", "nested boolean",
            "boosted", "boosted boolean", "boosted boosted", "should", "must", "mustNot",
            "field title", "field body", "field none",
        ]
        #expect(constructs.subtracting(seen).isEmpty, "never generated: \(constructs.subtracting(seen).sorted())")
    }

    @Test func mutatedQueriesParseOrFailCleanly() {
        var generator = QuerySyntaxGenerator(rng: SeededGenerator(seed: 7_777))
        var failures: [String] = []
        var parsedCount = 0
        for i in 0..<5000 {
            let text = generator.mutated(generator.query())
            let op: QueryOperator = i.isMultiple(of: 2) ? .or : .and
            do {
                let query = try Query.parse(text, defaultOperator: op)
                parsedCount += 1
                if let failure = roundTripFailure(query, from: text) { failures.append(failure) }
            } catch {
                if !(1...(text.count + 1)).contains(error.column) || error.message.isEmpty {
                    failures.append("\(text.debugDescription): \(error)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(5).joined(separator: "\n"))")
        // Both outcomes are common, so both paths are exercised.
        #expect((500...4500).contains(parsedCount), "\(parsedCount) of 5000 mutated queries parsed")
    }
}
