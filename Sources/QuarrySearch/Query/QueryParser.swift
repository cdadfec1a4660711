extension Query {
    /// Parses the query language into a tree.
    ///
    ///     try Query.parse(#"+"grace period" title:rcu* -deprecated"#)
    ///
    /// - Parameters:
    ///   - text: the query as the user typed it.
    ///   - defaultOperator: how clauses written side by side (`a b`) combine: `.or` makes them
    ///     `should` clauses, `.and` (`--all`) makes them `must` clauses. `AND`, `OR`, `+` and `-`
    ///     mean the same either way.
    /// - Throws: `QueryError` with the 1-based column, in `Character`s, where the problem was
    ///   found. Parsing never traps, whatever the text; parentheses nest at most 64 deep.
    package static func parse(_ text: String, defaultOperator: QueryOperator = .or) throws(QueryError) -> Query {
        var parser = QueryParser(text: text, defaultOperator: defaultOperator)
        return try parser.parseQuery()
    }
}

/// A recursive-descent parser. It reads Unicode scalars, so that syntax never depends on how
/// neighbouring characters cluster (and printed queries parse back the same), and reports
/// columns in `Character`s. It recurses only into parenthesised groups, whose depth is
/// capped, so no input can exhaust the stack.
private struct QueryParser {
    static let maxDepth = 64

    /// A clause of a sequence or chain whose occur is not settled yet: `occur` is nil when no
    /// modifier was written. `start` is the index where the clause starts, for errors.
    struct Item {
        var occur: Occur?
        var query: Query
        var start: Int
    }

    /// A parsed primary, before its `~` and `^` suffixes.
    enum Primary {
        case word(String, QueryField?)
        case prefix(String, QueryField?)
        case phrase(String, QueryField?)
        case group(Query)
    }

    /// What `readWord` found.
    enum Word {
        case word(String)
        case prefix(String)
        case field(QueryField)
    }

    enum Operator: String {
        case and = "AND", or = "OR", not = "NOT"
    }

    let text: String
    let scalars: [Unicode.Scalar]
    let defaultOperator: QueryOperator
    var pos = 0
    var depth = 0

    init(text: String, defaultOperator: QueryOperator) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
        self.defaultOperator = defaultOperator
    }

    // MARK: Grammar

    /// query := sequence EOF
    mutating func parseQuery() throws(QueryError) -> Query {
        skipWhitespace()
        guard let first = peek() else { throw error("empty query", at: 0) }
        if first == ")" { throw error("unmatched ')'") }
        let query = try parseSequence(scope: nil)
        if pos < scalars.count { throw error("unmatched ')'") }  // a sequence stops only at ')' or the end
        return query
    }

    /// sequence := orChain+, up to a `)` or the end. `scope` is the field of an enclosing
    /// `title:(…)`, given to every leaf.
    mutating func parseSequence(scope: QueryField?) throws(QueryError) -> Query {
        var items: [Item] = []
        while true {
            skipWhitespace()
            guard let c = peek(), c != ")" else { break }
            items.append(try parseOrChain(scope: scope))
        }
        if items.count == 1, let only = items.first, only.occur == nil { return only.query }
        return try boolean(items, defaultOccur: defaultOperator == .and ? .must : .should)
    }

    /// orChain := andChain (OR andChain)*
    mutating func parseOrChain(scope: QueryField?) throws(QueryError) -> Item {
        var items = [try parseAndChain(scope: scope, after: nil)]
        while skip(.or) { items.append(try parseAndChain(scope: scope, after: "OR")) }
        return try chain(items, defaultOccur: .should)
    }

    /// andChain := unary (AND unary)*. `after` names what precedes the chain, for errors.
    mutating func parseAndChain(scope: QueryField?, after: String?) throws(QueryError) -> Item {
        var items = [try parseUnary(scope: scope, after: after)]
        while skip(.and) { items.append(try parseUnary(scope: scope, after: "AND")) }
        return try chain(items, defaultOccur: .must)
    }

    /// unary := ('+' | '-' | NOT) postfix | postfix
    mutating func parseUnary(scope: QueryField?, after: String?) throws(QueryError) -> Item {
        skipWhitespace()
        let start = pos
        switch operatorAt(pos) {
        case .not?:
            pos += 3
            skipWhitespace()
            return Item(occur: .mustNot, query: try parsePostfix(scope: scope, after: "NOT"), start: start)
        case let op?:
            if let after { throw expected(after: after) }
            throw error("'\(op.rawValue)' needs a clause before it")
        case nil:
            guard let c = peek(), c == "+" || c == "-" else {
                return Item(occur: nil, query: try parsePostfix(scope: scope, after: after), start: start)
            }
            pos += 1
            let query = try parsePostfix(scope: scope, after: String(c))
            return Item(occur: c == "+" ? .must : .mustNot, query: query, start: start)
        }
    }

    /// postfix := [field ':'] primary ['~' N] ['^' number]
    mutating func parsePostfix(scope: QueryField?, after: String?) throws(QueryError) -> Query {
        let stacked = peek() == "+" || peek() == "-" || operatorAt(pos) != nil
        guard let c = peek(), startsPrimary(c), !(stacked && after != nil) else {
            if let after { throw expected(after: after) }
            throw unexpected()
        }
        var query: Query
        switch try parsePrimary(scope: scope, fieldAllowed: true) {
        case .word(let text, let field):
            if skip("~") {
                query = .fuzzy(text, maxEdits: try readEditDistance(), field: field)
            } else {
                query = .term(text, field: field)
            }
        case .prefix(let text, let field):
            if peek() == "~" { throw error("a prefix query cannot be fuzzy") }
            query = .prefix(text, field: field)
        case .phrase(let text, let field):
            let slop = if skip("~") { try readSlop() } else { 0 }
            query = .phrase(text, slop: slop, field: field)
        case .group(let inner):
            query = inner
        }
        if skip("^") { query = .boosted(query, try readBoost()) }
        if let c = peek(), c == "^" || c == "~" { throw unexpected() }
        return query
    }

    /// primary := word | word '*' | phrase | '(' sequence ')', after an optional field prefix
    /// when `fieldAllowed` (the primary after a field prefix cannot have another).
    mutating func parsePrimary(scope: QueryField?, fieldAllowed: Bool) throws(QueryError) -> Primary {
        let start = pos
        switch peek() {
        case "\""?: return .phrase(try readPhrase(), scope)
        case "("?: return .group(try parseGroup(scope: scope))
        default: break
        }
        switch try readWord(fieldAllowed: fieldAllowed) {
        case .word(let text): return .word(text, scope)
        case .prefix(let text): return .prefix(text, scope)
        case .field(let field):
            if let scope, scope != field {
                throw error("conflicting fields: '\(field.rawValue)' inside '\(scope.rawValue):'", at: start)
            }
            guard let c = peek(), startsPrimary(c) else { throw expected(after: "\(field.rawValue):") }
            return try parsePrimary(scope: field, fieldAllowed: false)
        }
    }

    /// '(' sequence ')'
    mutating func parseGroup(scope: QueryField?) throws(QueryError) -> Query {
        let open = pos
        guard depth < Self.maxDepth else {
            throw error("too deeply nested (at most \(Self.maxDepth) levels)", at: open)
        }
        pos += 1
        skipWhitespace()
        switch peek() {
        case nil: throw error("unclosed '('", at: open)
        case ")"?: throw error("empty group", at: open)
        default: break
        }
        depth += 1
        defer { depth -= 1 }
        let inner = try parseSequence(scope: scope)
        guard skip(")") else { throw error("unclosed '('", at: open) }
        return inner
    }

    /// A chain of one item is that item; a longer one is one `boolean` item.
    func chain(_ items: [Item], defaultOccur: Occur) throws(QueryError) -> Item {
        if items.count == 1, let only = items.first { return only }
        return Item(occur: nil, query: try boolean(items, defaultOccur: defaultOccur), start: items.first?.start ?? 0)
    }

    func boolean(_ items: [Item], defaultOccur: Occur) throws(QueryError) -> Query {
        let clauses = items.map { Query.Clause($0.occur ?? defaultOccur, $0.query) }
        if !clauses.contains(where: { $0.occur != .mustNot }) {
            throw error("a query cannot only exclude; add something to search for", at: items.first?.start ?? 0)
        }
        return .boolean(clauses)
    }

    // MARK: Tokens

    /// A word: everything up to whitespace or one of `"()^~`, a backslash taking the next
    /// character literally. An unescaped `*` may only end it (a prefix); an unescaped `:`
    /// after exactly `title` or `body` (when `fieldAllowed`) makes a field prefix.
    mutating func readWord(fieldAllowed: Bool) throws(QueryError) -> Word {
        var text = ""
        var escaped = false
        var star: Int?  // the index of an unescaped '*'
        while let c = peek(), !endsWord(c) {
            if let star { throw error("only a trailing * is supported (prefix*)", at: star) }
            pos += 1
            switch c {
            case "\\":
                guard let next = peek() else { throw error("nothing to escape after '\\'", at: pos - 1) }
                text.unicodeScalars.append(next)
                escaped = true
                pos += 1
            case "*":
                star = pos - 1
            case ":" where fieldAllowed && !escaped:
                if let field = QueryField(rawValue: text.lowercased()) { return .field(field) }
                text.unicodeScalars.append(c)
            default:
                text.unicodeScalars.append(c)
            }
        }
        guard let star else { return .word(text) }
        if text.isEmpty { throw error("expected a word before '*'", at: star) }
        return .prefix(text)
    }

    /// A phrase's raw text between quotes; a backslash takes the next character literally.
    mutating func readPhrase() throws(QueryError) -> String {
        let open = pos
        pos += 1
        var text = ""
        while let c = peek() {
            pos += 1
            if c == "\"" {
                if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { throw error("empty phrase", at: open) }
                return text
            }
            if c == "\\", let next = peek() {
                text.unicodeScalars.append(next)
                pos += 1
            } else {
                text.unicodeScalars.append(c)
            }
        }
        throw error("unclosed quote", at: open)
    }

    /// The digits after a word's `~`: none means 2.
    mutating func readEditDistance() throws(QueryError) -> Int {
        let start = pos
        let digits = readSuffix()
        if digits.isEmpty { return 2 }
        guard digits.unicodeScalars.allSatisfy(Self.isDigit), let n = Int(digits), n <= 2 else {
            throw error("fuzzy edit distance must be 0, 1 or 2", at: start)
        }
        return n
    }

    /// The digits after a phrase's `~`.
    mutating func readSlop() throws(QueryError) -> Int {
        let start = pos
        let digits = readSuffix()
        guard !digits.isEmpty, digits.unicodeScalars.allSatisfy(Self.isDigit) else {
            throw error("expected a number after '~'", at: start)
        }
        guard let n = Int(digits), n <= 10000 else { throw error("slop must be at most 10000", at: start) }
        return n
    }

    /// The number after `^`: digits ('.' digits)? ([eE] [+-]? digits)?, positive and finite.
    mutating func readBoost() throws(QueryError) -> Double {
        let start = pos
        let number = readSuffix()
        let scalars = number.unicodeScalars
        let negative = scalars.first == "-" && Self.isDecimal(scalars.dropFirst())
        guard Self.isDecimal(scalars[...]) || negative else { throw error("expected a number after '^'", at: start) }
        guard !negative, let value = Double(number), value > 0, value.isFinite else {
            throw error("boost must be a positive number", at: start)
        }
        return value
    }

    /// The text up to the end of the token (where a word would end), without escapes.
    mutating func readSuffix() -> String {
        var text = ""
        while let c = peek(), !endsWord(c) {
            text.unicodeScalars.append(c)
            pos += 1
        }
        return text
    }

    static func isDecimal(_ number: Substring.UnicodeScalarView) -> Bool {
        var rest = number
        func digits() -> Bool {
            let count = rest.prefix(while: isDigit).count
            rest = rest.dropFirst(count)
            return count > 0
        }
        func skip(_ options: String) -> Bool {
            guard let c = rest.first, options.unicodeScalars.contains(c) else { return false }
            rest = rest.dropFirst()
            return true
        }
        guard digits() else { return false }
        if skip("."), !digits() { return false }
        if skip("eE") {
            _ = skip("+-")
            guard digits() else { return false }
        }
        return rest.isEmpty
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

    // MARK: Scalars

    func peek() -> Unicode.Scalar? { scalar(at: pos) }

    func scalar(at i: Int) -> Unicode.Scalar? { i >= 0 && i < scalars.count ? scalars[i] : nil }

    mutating func skip(_ c: Unicode.Scalar) -> Bool {
        guard peek() == c else { return false }
        pos += 1
        return true
    }

    /// Skips whitespace, then the operator `op` if it is next.
    mutating func skip(_ op: Operator) -> Bool {
        skipWhitespace()
        guard operatorAt(pos) == op else { return false }
        pos += op.rawValue.unicodeScalars.count
        return true
    }

    mutating func skipWhitespace() {
        while let c = peek(), c.properties.isWhitespace { pos += 1 }
    }

    /// The operator written at index `i`, if it stands alone: upper case, delimited by
    /// whitespace, parentheses or the ends of the text.
    func operatorAt(_ i: Int) -> Operator? {
        func isBoundary(_ j: Int) -> Bool {
            guard let c = scalar(at: j) else { return true }
            return c.properties.isWhitespace || c == "(" || c == ")"
        }
        let op: Operator
        switch scalar(at: i) {
        case "A"?: op = .and
        case "O"?: op = .or
        case "N"?: op = .not
        default: return nil
        }
        let end = i + op.rawValue.unicodeScalars.count
        guard end <= scalars.count, scalars[i..<end].elementsEqual(op.rawValue.unicodeScalars),
            isBoundary(i - 1), isBoundary(end)
        else { return nil }
        return op
    }

    /// Whether `c` ends a word (and so cannot start one).
    func endsWord(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "\"", "(", ")", "^", "~": true
        default: c.properties.isWhitespace
        }
    }

    func startsPrimary(_ c: Unicode.Scalar) -> Bool { !endsWord(c) || c == "\"" || c == "(" }

    // MARK: Errors

    /// An error at the character holding the scalar at `index` (or just past the end).
    func error(_ message: String, at index: Int) -> QueryError {
        var column = 1
        var end = 0  // the scalar index just past the character at `column`
        for character in text {
            end += character.unicodeScalars.count
            if end > index { break }
            column += 1
        }
        return QueryError(column: column, message: message)
    }

    func error(_ message: String) -> QueryError { error(message, at: pos) }

    func expected(after: String) -> QueryError { error("expected a word, phrase or '(' after '\(after)'") }

    func unexpected() -> QueryError {
        guard let c = peek() else { return error("unexpected end of query") }
        return error("unexpected '\(c)'")
    }
}
