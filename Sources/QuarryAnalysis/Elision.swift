/// Elided articles and pronouns that languages write joined to the next word with an
/// apostrophe ("l’adrénaline", "dell’acqua"): the tokenizer drops them, so the word after
/// the apostrophe is the word indexed, searched and highlighted.
///
/// Public only so that its `@inlinable` members inline into other modules of the package
/// (Swift 6.3 does not inline them across modules for package types; see `DocumentView`).
public struct Elisions: Sendable, Equatable {
    /// Lowercase ASCII prefixes (without the apostrophe).
    @usableFromInline let prefixes: Set<[UInt8]>
    @usableFromInline let longest: Int

    init(_ words: [String]) {
        prefixes = Set(words.map { Array($0.utf8) })
        longest = words.map(\.utf8.count).max() ?? 0
    }

    /// The elisions of a stemmer language, if it uses them.
    package static func forLanguage(_ language: String) -> Elisions? {
        switch language {
        case "french":
            return Elisions(["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"])
        case "italian":
            return Elisions([
                "c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl",
                "degl", "negl", "sugl", "un", "m", "t", "s", "v", "d", "quest", "quell", "nessun",
            ])
        case "catalan":
            return Elisions(["d", "l", "m", "n", "s", "t"])
        case "irish":
            return Elisions(["d", "m", "b"])
        default:
            return nil
        }
    }

    /// If the word starts with an elided article and an apostrophe (' or ’), the offset of
    /// the rest of the word.
    @inlinable
    package func strip(_ text: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var i = start
        var prefix: [UInt8] = []
        while i < end && i - start <= longest {
            let b = text[i]
            if b == 0x27 {  // '
                return prefixes.contains(prefix) && i + 1 < end ? i + 1 : nil
            }
            if b == 0xE2 && i + 2 < end && text[i + 1] == 0x80 && text[i + 2] == 0x99 {  // ’
                return prefixes.contains(prefix) && i + 3 < end ? i + 3 : nil
            }
            guard (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) else { return nil }
            prefix.append(b | 0x20)
            i += 1
        }
        return nil
    }
}
