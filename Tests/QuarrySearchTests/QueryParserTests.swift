import QuarryDocument
import Testing

@testable import QuarrySearch

private func t(_ word: String, _ field: QueryField? = nil) -> Query { .term(word, field: field) }
private func should(_ query: Query) -> Query.Clause { .init(.should, query) }
private func must(_ query: Query) -> Query.Clause { .init(.must, query) }
private func mustNot(_ query: Query) -> Query.Clause { .init(.mustNot, query) }

/// Parses `text`, checks that printing and re-parsing gives the same tree, and returns it.
private func parsed(_ text: String, _ op: QueryOperator = .or) throws -> Query {
    let query = try Query.parse(text, defaultOperator: op)
    #expect(try Query.parse(query.description) == query, "\(text) printed as \(query.description)")
    return query
}

private func error(_ text: String, _ op: QueryOperator = .or) -> QueryError? {
    do {
        let query = try Query.parse(text, defaultOperator: op)
        Issue.record("\(text) parsed as \(query)")
        return nil
    } catch {
        return error
    }
}

@Suite("QueryParser")
struct QueryParserTests {
    // MARK: Constructs

    @Test func words() throws {
        #expect(try parsed("rcu") == t("rcu"))
        #expect(try parsed("  rcu\t") == t("rcu"))
        #expect(try parsed("a b") == .boolean([should(t("a")), should(t("b"))]))
        #expect(try parsed("a\u{3000}b\nc") == .boolean([should(t("a")), should(t("b")), should(t("c"))]))
        // Ordinary word characters: +, - and : inside a word; lower-case operators.
        #expect(try parsed("e-mail") == t("e-mail"))
        #expect(try parsed("c++") == t("c++"))
        #expect(try parsed("12:30") == t("12:30"))
        #expect(try parsed("http://x") == t("http://x"))
        #expect(try parsed("x:") == t("x:"))
        #expect(try parsed("and or not") == .boolean([should(t("and")), should(t("or")), should(t("not"))]))
        #expect(try parsed("ANDROID") == t("ANDROID"))
    }

    @Test func unicodeWords() throws {
        #expect(try parsed("café привет 東京") == .boolean([should(t("café")), should(t("привет")), should(t("東京"))]))
        #expect(try parsed("title:Ελλάδα*") == .prefix("Ελλάδα", field: .title))
        #expect(try parsed("cafe\u{301}~1") == .fuzzy("café", maxEdits: 1))
    }

    @Test func escapes() throws {
        #expect(try parsed(#"a\ b"#) == t("a b"))
        #expect(try parsed(#"\AND \OR NO\T"#) == .boolean([should(t("AND")), should(t("OR")), should(t("NOT"))]))
        #expect(try parsed(#"\+x \-y"#) == .boolean([should(t("+x")), should(t("-y"))]))
        #expect(try parsed(#"\(\)\"\^\~\*\\"#) == t(#"()"^~*\"#))
        #expect(try parsed(#"title\:x"#) == t("title:x"))
        #expect(try parsed(#"\title:x"#) == t("title:x"))
        #expect(try parsed(#"a\**"#) == .prefix("a*"))
    }

    @Test func phrases() throws {
        #expect(try parsed(#""grace period""#) == .phrase("grace period"))
        #expect(try parsed(#""a  b""#) == .phrase("a  b"))
        #expect(try parsed(#""a b"~3"#) == .phrase("a b", slop: 3))
        #expect(try parsed(#""a b"~0"#) == .phrase("a b"))
        #expect(try parsed(#""a b"~10000"#) == .phrase("a b", slop: 10000))
        #expect(try parsed(#""say \"hi\" \\o/ \x""#) == .phrase(#"say "hi" \o/ x"#))
        #expect(try parsed(#"-"a b" c"#) == .boolean([mustNot(.phrase("a b")), should(t("c"))]))
        #expect(try parsed(#"a"b c"d"#) == .boolean([should(t("a")), should(.phrase("b c")), should(t("d"))]))
    }

    @Test func prefixAndFuzzy() throws {
        #expect(try parsed("rcu*") == .prefix("rcu"))
        #expect(try parsed("word~") == .fuzzy("word", maxEdits: 2))
        #expect(try parsed("word~0") == .fuzzy("word", maxEdits: 0))
        #expect(try parsed("word~1") == .fuzzy("word", maxEdits: 1))
        #expect(try parsed("word~ x") == .boolean([should(.fuzzy("word")), should(t("x"))]))
    }

    @Test func boosts() throws {
        #expect(try parsed("a^2") == .boosted(t("a"), 2))
        #expect(try parsed("a^2.0") == .boosted(t("a"), 2))
        #expect(try parsed("a^0.5") == .boosted(t("a"), 0.5))
        #expect(try parsed("a^1e-05") == .boosted(t("a"), 1e-05))
        #expect(try parsed("a^1.5e+20") == .boosted(t("a"), 1.5e20))
        #expect(try parsed("a^1E3") == .boosted(t("a"), 1000))
        #expect(try parsed("a~1^2") == .boosted(.fuzzy("a", maxEdits: 1), 2))
        #expect(try parsed("a*^2") == .boosted(.prefix("a"), 2))
        #expect(try parsed(#""a b"~2^3"#) == .boosted(.phrase("a b", slop: 2), 3))
        #expect(try parsed("(a b)^2") == .boosted(.boolean([should(t("a")), should(t("b"))]), 2))
        #expect(try parsed("(a^2)^3") == .boosted(.boosted(t("a"), 2), 3))
        #expect(try parsed("+a^2 b") == .boolean([must(.boosted(t("a"), 2)), should(t("b"))]))
    }

    @Test func fields() throws {
        #expect(try parsed("title:x") == t("x", .title))
        #expect(try parsed("BODY:x") == t("x", .body))
        #expect(try parsed(#"title:"a b"~1"#) == .phrase("a b", slop: 1, field: .title))
        #expect(try parsed("body:x~1") == .fuzzy("x", maxEdits: 1, field: .body))
        #expect(try parsed("+title:x") == .boolean([must(t("x", .title))]))
        #expect(
            try parsed(#"title:(a "b c" d*)"#)
                == .boolean([should(t("a", .title)), should(.phrase("b c", field: .title)), should(.prefix("d", field: .title))]))
        #expect(try parsed("title:(a title:b)") == .boolean([should(t("a", .title)), should(t("b", .title))]))
        #expect(try parsed("title:(a)^2") == .boosted(t("a", .title), 2))
        // After a field prefix: no second field, and +, - and operators are word characters.
        #expect(try parsed("title:body:x") == t("body:x", .title))
        #expect(try parsed("title:-x") == t("-x", .title))
        #expect(try parsed("title:AND") == t("AND", .title))
    }

    @Test func groups() throws {
        #expect(try parsed("(a)") == t("a"))
        #expect(try parsed("((a b))") == .boolean([should(t("a")), should(t("b"))]))
        #expect(try parsed("(+a)") == .boolean([must(t("a"))]))
        #expect(try parsed("a (b c)") == .boolean([should(t("a")), should(.boolean([should(t("b")), should(t("c"))]))]))
        #expect(try parsed("-(a b) c") == .boolean([mustNot(.boolean([should(t("a")), should(t("b"))])), should(t("c"))]))
        #expect(try parsed("(a)(b)") == .boolean([should(t("a")), should(t("b"))]))
        let deep = String(repeating: "(", count: 64) + "a" + String(repeating: ")", count: 64)
        #expect(try parsed(deep) == t("a"))
    }

    @Test func modifiers() throws {
        #expect(try parsed("+a b -c") == .boolean([must(t("a")), should(t("b")), mustNot(t("c"))]))
        #expect(try parsed("+a") == .boolean([must(t("a"))]))
        #expect(try parsed("NOT a b") == .boolean([mustNot(t("a")), should(t("b"))]))
        #expect(try parsed("NOT(a) b") == .boolean([mustNot(t("a")), should(t("b"))]))
        #expect(try parsed("(a)-b") == .boolean([should(t("a")), mustNot(t("b"))]))
        #expect(try parsed("+AND x") == .boolean([must(t("AND")), should(t("x"))]))
    }

    @Test func operators() throws {
        let abc = [t("a"), t("b"), t("c")]
        #expect(try parsed("a OR b OR c") == .boolean(abc.map(should)))
        #expect(try parsed("a AND b AND c") == .boolean(abc.map(must)))
        #expect(try parsed("a OR b AND c") == .boolean([should(t("a")), should(.boolean([must(t("b")), must(t("c"))]))]))
        #expect(try parsed("a AND b OR c") == .boolean([should(.boolean([must(t("a")), must(t("b"))])), should(t("c"))]))
        #expect(try parsed("a AND NOT b") == .boolean([must(t("a")), mustNot(t("b"))]))
        #expect(try parsed("+a OR -b") == .boolean([must(t("a")), mustNot(t("b"))]))
        #expect(try parsed("a OR (b OR c)") == .boolean([should(t("a")), should(.boolean([should(t("b")), should(t("c"))]))]))
        #expect(try parsed("a AND(b)") == .boolean([must(t("a")), must(t("b"))]))
        // Precedence: juxtaposition < OR < AND.
        let bcd = Query.boolean([should(t("b")), should(.boolean([must(t("c")), must(t("d"))]))])
        #expect(try parsed("a b OR c AND d") == .boolean([should(t("a")), should(bcd)]))
        #expect(try parsed("a b OR c AND d", .and) == .boolean([must(t("a")), must(bcd)]))
    }

    @Test func defaultAnd() throws {
        #expect(try parsed("a", .and) == t("a"))
        #expect(try parsed("a b", .and) == .boolean([must(t("a")), must(t("b"))]))
        #expect(try parsed("a -b", .and) == .boolean([must(t("a")), mustNot(t("b"))]))
        #expect(try parsed("a OR b", .and) == .boolean([should(t("a")), should(t("b"))]))
        #expect(
            try parsed("a b OR c", .and)
                == .boolean([must(t("a")), must(.boolean([should(t("b")), should(t("c"))]))]))
        #expect(
            try parsed("x (a b)", .and)
                == .boolean([must(t("x")), must(.boolean([must(t("a")), must(t("b"))]))]))
    }

    // MARK: Printing

    @Test func printing() {
        #expect(t("AND").description == #"\AND"#)
        #expect(t("-x").description == #"\-x"#)
        #expect(t("a-b").description == "a-b")
        #expect(t(#"a b:c*"#).description == #"a\ b\:c\*"#)
        #expect(Query.prefix("ab", field: .body).description == "body:ab*")
        #expect(Query.fuzzy("ab", maxEdits: 2).description == "ab~2")
        #expect(Query.phrase(#"say "hi" \o/"#, slop: 2, field: .title).description == #"title:"say \"hi\" \\o/"~2"#)
        #expect(Query.phrase("a b").description == #""a b""#)
        #expect(Query.boosted(t("a"), 2).description == "a^2.0")
        #expect(Query.boosted(.boosted(t("a"), 2), 1e-05).description == "(a^2.0)^1e-05")
        let q = Query.boolean([
            must(.phrase("a b")), should(.boosted(.boolean([should(t("c")), mustNot(t("d"))]), 0.5)),
            mustNot(.boolean([must(t("e"))])),
        ])
        #expect(q.description == #"+"a b" (c -d)^0.5 -(+e)"#)
    }

    // MARK: Errors

    @Test(arguments: [
        ("", 1, "empty query"),
        (" \t ", 1, "empty query"),
        (#"foo "bar"#, 5, "unclosed quote"),
        (#"a "b\""#, 3, "unclosed quote"),
        (#"a """#, 3, "empty phrase"),
        (#"" ""#, 1, "empty phrase"),
        ("a (b c", 3, "unclosed '('"),
        ("(", 1, "unclosed '('"),
        ("a)", 2, "unmatched ')'"),
        (") a", 1, "unmatched ')'"),
        ("()", 1, "empty group"),
        ("a ( )", 3, "empty group"),
        ("-a", 1, "a query cannot only exclude; add something to search for"),
        ("NOT a", 1, "a query cannot only exclude; add something to search for"),
        ("-a -b", 1, "a query cannot only exclude; add something to search for"),
        ("x (-a -b)", 4, "a query cannot only exclude; add something to search for"),
        ("x -a OR -b", 3, "a query cannot only exclude; add something to search for"),
        ("optim*ize", 6, "only a trailing * is supported (prefix*)"),
        ("a**", 2, "only a trailing * is supported (prefix*)"),
        ("*a", 1, "only a trailing * is supported (prefix*)"),
        ("*", 1, "expected a word before '*'"),
        ("a *", 3, "expected a word before '*'"),
        ("word~3", 6, "fuzzy edit distance must be 0, 1 or 2"),
        ("word~x", 6, "fuzzy edit distance must be 0, 1 or 2"),
        ("word~99999999999999999999999", 6, "fuzzy edit distance must be 0, 1 or 2"),
        ("ab*~", 4, "a prefix query cannot be fuzzy"),
        (#""a b"~"#, 7, "expected a number after '~'"),
        (#""a b"~x"#, 7, "expected a number after '~'"),
        (#""a b"~10001"#, 7, "slop must be at most 10000"),
        (#""a b"~99999999999999999999999"#, 7, "slop must be at most 10000"),
        ("a^0", 3, "boost must be a positive number"),
        ("a^0.0", 3, "boost must be a positive number"),
        ("a^-1", 3, "boost must be a positive number"),
        ("a^1e999", 3, "boost must be a positive number"),
        ("a^", 3, "expected a number after '^'"),
        ("a^ b", 3, "expected a number after '^'"),
        ("a^x", 3, "expected a number after '^'"),
        ("a^2b", 3, "expected a number after '^'"),
        ("a^.5", 3, "expected a number after '^'"),
        ("a^2.", 3, "expected a number after '^'"),
        ("a^1e", 3, "expected a number after '^'"),
        ("a^2^3", 4, "unexpected '^'"),
        ("a^2~1", 4, "unexpected '~'"),
        ("a~1~1", 4, "unexpected '~'"),
        ("(a)~2", 4, "unexpected '~'"),
        ("a ^2", 3, "unexpected '^'"),
        ("~", 1, "unexpected '~'"),
        ("title:", 7, "expected a word, phrase or '(' after 'title:'"),
        ("title: x", 7, "expected a word, phrase or '(' after 'title:'"),
        ("Body:)", 6, "expected a word, phrase or '(' after 'body:'"),
        ("title:(body:x)", 8, "conflicting fields: 'body' inside 'title:'"),
        ("body:(a (title:x))", 10, "conflicting fields: 'title' inside 'body:'"),
        ("AND a", 1, "'AND' needs a clause before it"),
        ("a (OR b)", 4, "'OR' needs a clause before it"),
        ("a OR", 5, "expected a word, phrase or '(' after 'OR'"),
        ("a OR OR b", 6, "expected a word, phrase or '(' after 'OR'"),
        ("a AND OR b", 7, "expected a word, phrase or '(' after 'AND'"),
        ("(a AND)", 7, "expected a word, phrase or '(' after 'AND'"),
        ("NOT NOT x", 5, "expected a word, phrase or '(' after 'NOT'"),
        ("NOT -x", 5, "expected a word, phrase or '(' after 'NOT'"),
        ("x NOT", 6, "expected a word, phrase or '(' after 'NOT'"),
        ("+-x", 2, "expected a word, phrase or '(' after '+'"),
        ("+ x", 2, "expected a word, phrase or '(' after '+'"),
        ("x -", 4, "expected a word, phrase or '(' after '-'"),
        ("(a -)", 5, "expected a word, phrase or '(' after '-'"),
        ("x +^2", 4, "expected a word, phrase or '(' after '+'"),
        (#"a\"#, 2, #"nothing to escape after '\'"#),
        // Columns count characters (grapheme clusters), not scalars or bytes.
        (#"é "x"#, 3, "unclosed quote"),
        ("cafe\u{301} 👨‍👩‍👧 (x", 8, "unclosed '('"),
        ("東京*駅", 3, "only a trailing * is supported (prefix*)"),
    ])
    func errors(text: String, column: Int, message: String) {
        #expect(error(text) == QueryError(column: column, message: message), "\(text)")
    }

    @Test func nestingLimit() {
        let deep = String(repeating: "(", count: 65) + "a" + String(repeating: ")", count: 65)
        #expect(error(deep) == QueryError(column: 65, message: "too deeply nested (at most 64 levels)"))
        // Unbalanced garbage far beyond the limit fails cleanly, without deep recursion.
        #expect(error(String(repeating: "(", count: 100_000))?.column == 65)
        #expect(error(String(repeating: "NOT ", count: 10_000) + "x")?.column == 5)
    }

    @Test func onlyExcludeWithDefaultAnd() {
        #expect(error("-a", .and) == QueryError(column: 1, message: "a query cannot only exclude; add something to search for"))
    }

    @Test func errorDescription() {
        #expect(QueryError(column: 5, message: "unclosed quote").description == "query error at column 5: unclosed quote")
    }
}
