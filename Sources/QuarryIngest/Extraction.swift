// What the extractors return beside the article, and the options they take (docs/TEXT.md).

/// Options for turning a file into an article.
public struct ExtractionOptions: Sendable, Hashable {
    /// Keep page chrome (navigation, banners, footers, sidebars, permalink marks, …) in the
    /// body. Off by default: chrome is dropped by the rules in docs/TEXT.md.
    public var keepChrome: Bool

    public init(keepChrome: Bool = false) {
        self.keepChrome = keepChrome
    }

    public static let `default` = ExtractionOptions()
}

/// A page that a documentation generator made from other pages or from code, rather than prose.
public struct GeneratedPage: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// An index of terms or modules (Sphinx `genindex`, `py-modindex`; a DocBook index).
        case index
        /// A search form with no content of its own (Sphinx `search.html`).
        case search
        /// A listing of source code (Sphinx `_modules/` pages made by viewcode).
        case sourceListing = "source listing"
    }

    public var kind: Kind
    /// What on the page showed it, e.g. `a table with class "genindextable"`.
    public var evidence: String

    public init(kind: Kind, evidence: String) {
        self.kind = kind
        self.evidence = evidence
    }

    public var description: String { "\(kind.rawValue) page (\(evidence))" }
}

/// What extraction learnt about a page beyond its article.
public struct PageInfo: Sendable, Hashable {
    /// Set when the page is generated, not prose; a walker may skip such pages.
    public var generated: GeneratedPage?
    /// Bytes of text (not counting whitespace) dropped as chrome; 0 when nothing was dropped
    /// or `keepChrome` was set.
    public var chromeBytes: Int

    public init(generated: GeneratedPage? = nil, chromeBytes: Int = 0) {
        self.generated = generated
        self.chromeBytes = chromeBytes
    }
}

/// An article with its warnings and page information.
public struct Extraction: Sendable {
    public var article: Article
    public var issues: [IngestIssue]
    public var page: PageInfo

    public init(article: Article, issues: [IngestIssue] = [], page: PageInfo = PageInfo()) {
        self.article = article
        self.issues = issues
        self.page = page
    }
}
