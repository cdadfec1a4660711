import QuarryCore
import QuarryDocument

// Rules every extractor applies to titles (docs/TEXT.md, "Titles").

/// Title limits shared by the HTML, Markdown and plain-text extractors.
package enum TitleRules {
    /// A title longer than this many characters is cut at the last word boundary before it,
    /// and "…" is appended.
    package static let maxCharacters = 200

    /// `title` (already whitespace-normalised) cut to at most `maxCharacters` characters plus
    /// "…": at the last space before the limit when there is one in its second half, else at
    /// the limit itself (a single very long word). Trailing spaces and punctuation before
    /// the "…" are removed.
    package static func cap(_ title: String) -> String {
        guard title.count > maxCharacters else { return title }
        var cut = title.prefix(maxCharacters)
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) >= maxCharacters / 2 {
            cut = cut[..<space]
        }
        while let last = cut.last, last == " " || last == "," || last == ";" || last == ":" || last == "-" || last == "." {
            cut = cut.dropLast()
        }
        return String(cut) + "…"
    }
}
