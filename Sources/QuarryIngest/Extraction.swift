import QuarryCore
import QuarryDocument

// What the extractors return beside the article, and the options they take (docs/TEXT.md).

/// Options for turning a file into an article.
package struct ExtractionOptions: Sendable, Hashable {
    /// Keep page chrome (navigation, banners, footers, sidebars, permalink marks, …) in the
    /// body. Off by default: chrome is dropped by the rules in docs/TEXT.md.
    package var keepChrome: Bool

    package init(keepChrome: Bool = false) {
        self.keepChrome = keepChrome
    }

    package static let `default` = ExtractionOptions()
}

/// A page that a documentation generator made from other pages or from code, rather than prose.
package struct GeneratedPage: Sendable, Hashable, CustomStringConvertible {
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// An index of terms or modules (Sphinx `genindex`, `py-modindex`; a DocBook index).
        case index
        /// A search form with no content of its own (Sphinx `search.html`).
        case search
        /// A listing of source code (Sphinx `_modules/` pages made by viewcode).
        case sourceListing = "source listing"
    }

    package var kind: Kind
    /// What on the page showed it, e.g. `a table with class "genindextable"`.
    package var evidence: String

    package init(kind: Kind, evidence: String) {
        self.kind = kind
        self.evidence = evidence
    }

    package var description: String { "\(kind.rawValue) page (\(evidence))" }
}

/// What extraction learnt about a page beyond its article.
package struct PageInfo: Sendable, Hashable {
    /// Set when the page is generated, not prose; a walker may skip such pages.
    package var generated: GeneratedPage?
    /// Bytes of text (not counting whitespace) dropped as chrome; 0 when nothing was dropped
    /// or `keepChrome` was set.
    package var chromeBytes: Int

    package init(generated: GeneratedPage? = nil, chromeBytes: Int = 0) {
        self.generated = generated
        self.chromeBytes = chromeBytes
    }
}

/// An article with its warnings and page information.
package struct Extraction: Sendable {
    package var article: Article
    package var issues: [IngestIssue]
    package var page: PageInfo

    package init(article: Article, issues: [IngestIssue] = [], page: PageInfo = PageInfo()) {
        self.article = article
        self.issues = issues
        self.page = page
    }
}
