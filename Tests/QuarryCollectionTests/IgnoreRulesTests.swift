import Testing

@testable import QuarryCollection

/// True when `rules` (one pattern per line) ignore the path.
private func ignored(_ rules: String, _ path: String, directory: Bool = false) -> Bool {
    IgnoreRules(text: rules).ignores(path, isDirectory: directory)
}

@Suite("gitignore rules")
struct IgnoreRulesTests {
    @Test("a pattern without a slash matches a name at any depth; * and ? stop at '/'")
    func names() {
        #expect(ignored("*.html", "a.html"))
        #expect(ignored("*.html", "deep/down/a.html"))
        #expect(!ignored("*.html", "a.htm"))
        #expect(!ignored("*.html", "a.html.txt"))
        #expect(ignored("?.txt", "a.txt") && !ignored("?.txt", "ab.txt") && !ignored("?.txt", ".txt"))
        #expect(ignored("notes", "notes") && ignored("notes", "a/notes", directory: true))
        // "**" next to something else than a slash is a "*": it stays within a name.
        #expect(ignored("foo**bar", "d/fooXYbar"))
        #expect(!ignored("a*b", "a/b"))
    }

    @Test("a slash first or in the middle anchors the pattern to the root")
    func anchoring() {
        #expect(ignored("/build", "build") && ignored("/build", "build", directory: true))
        #expect(!ignored("/build", "src/build"))
        #expect(ignored("doc/frotz", "doc/frotz"))
        #expect(!ignored("doc/frotz", "a/doc/frotz"))
        #expect(ignored("doc/*.html", "doc/a.html"))
        #expect(!ignored("doc/*.html", "doc/sub/a.html"))
    }

    @Test("a trailing slash matches directories only")
    func directories() {
        #expect(ignored("build/", "build", directory: true))
        #expect(ignored("build/", "src/build", directory: true))
        #expect(!ignored("build/", "build"))
        #expect(ignored("doc/frotz/", "doc/frotz", directory: true))
        #expect(!ignored("doc/frotz/", "x/doc/frotz", directory: true))
    }

    @Test("** matches leading, inner and trailing directories")
    func doubleStar() {
        for p in ["foo", "a/foo", "a/b/foo"] { #expect(ignored("**/foo", p), "\(p)") }
        #expect(ignored("**/foo/bar", "foo/bar") && ignored("**/foo/bar", "x/y/foo/bar"))
        #expect(!ignored("**/foo/bar", "foo/x/bar"))
        #expect(ignored("abc/**", "abc/x") && ignored("abc/**", "abc/x/y.html"))
        #expect(!ignored("abc/**", "abc"))
        for p in ["a/b", "a/x/b", "a/x/y/b"] { #expect(ignored("a/**/b", p), "\(p)") }
        #expect(!ignored("a/**/b", "a/xb"))
        #expect(ignored("**", "anything/at/all.html"))
    }

    @Test("character classes: sets, ranges, negation, ']' first, POSIX names; never '/'")
    func classes() {
        #expect(ignored("[abc].txt", "b.txt") && !ignored("[abc].txt", "d.txt"))
        #expect(ignored("[a-c].txt", "c.txt") && !ignored("[a-c].txt", "C.txt"))
        #expect(ignored("[!a-c].txt", "d.txt") && !ignored("[!a-c].txt", "a.txt"))
        #expect(ignored("[^a].txt", "b.txt") && !ignored("[^a].txt", "a.txt"))
        #expect(ignored("[]].txt", "].txt") && ignored("[]a].txt", "a.txt"))
        #expect(ignored("[[:digit:]]*.html", "1-intro.html") && !ignored("[[:digit:]]*.html", "intro.html"))
        #expect(ignored("[[:upper:]]*", "README") && !ignored("[[:upper:]]*", "readme"))
        #expect(!ignored("a[/]b", "a/b"))
        // An unclosed "[" is itself.
        #expect(ignored("[abc", "[abc"))
    }

    @Test("comments, blank lines, trailing spaces and escapes")
    func lineSyntax() {
        #expect(IgnoreRules(text: "# a comment\n\n   \n").isEmpty)
        #expect(ignored("\\#file", "#file"))
        #expect(!ignored("#file", "#file"))
        #expect(ignored("\\!important", "!important"))
        #expect(ignored("foo   ", "foo"))
        #expect(ignored("foo\\ ", "foo ") && !ignored("foo\\ ", "foo"))
        #expect(ignored("\\*.html", "*.html") && !ignored("\\*.html", "a.html"))
        #expect(ignored("a\\?", "a?") && !ignored("a\\?", "ab"))
        #expect(ignored("*.html\r", "x.html"))
        #expect(ignored("é*.md", "été.md"))
    }

    @Test("the last matching pattern decides; '!' takes a path back")
    func negation() {
        let rules = "*.html\n!keep.html\n"
        #expect(ignored(rules, "a.html"))
        #expect(!ignored(rules, "keep.html"))
        #expect(!ignored(rules, "sub/keep.html"))
        #expect(ignored("!keep.html\n*.html", "keep.html"))
        #expect(!ignored("!*.html", "a.html"))
    }

    @Test("include patterns: any match takes a file")
    func include() {
        let rules = IgnoreRules(text: "*.html\nguide/**/*.md")
        #expect(rules.anyMatches("x/a.html"))
        #expect(rules.anyMatches("guide/a/b.md") && rules.anyMatches("guide/b.md"))
        #expect(!rules.anyMatches("notes.md"))
    }
}
