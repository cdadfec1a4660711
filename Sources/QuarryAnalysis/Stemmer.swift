import CStemmer

/// A Snowball stemmer from libstemmer. Not thread-safe: use one per thread.
package final class Stemmer {
    package let language: String
    private let handle: OpaquePointer

    /// The algorithms libstemmer provides ("english", "russian", …, and "porter").
    package static let languages: [String] = {
        var names: [String] = []
        guard var list = sb_stemmer_list() else { return names }
        while let name = list.pointee {
            names.append(String(cString: name))
            list += 1
        }
        return names
    }()

    package init(language: String) throws(AnalysisError) {
        guard let h = sb_stemmer_new(language, "UTF_8") else {
            throw AnalysisError.unknownLanguage(language, available: Stemmer.languages)
        }
        self.language = language
        self.handle = h
    }

    deinit { sb_stemmer_delete(handle) }

    /// Stems a lowercase UTF-8 word; the result is valid until the next call.
    /// Returns nil when libstemmer cannot allocate (the caller then keeps the word).
    package func stem(_ word: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard let base = word.baseAddress, word.count > 0 else { return nil }
        guard let out = sb_stemmer_stem(handle, base.assumingMemoryBound(to: sb_symbol.self), Int32(word.count)) else {
            return nil
        }
        let n = Int(sb_stemmer_length(handle))
        return UnsafeRawBufferPointer(start: UnsafeRawPointer(out), count: n)
    }
}

/// Errors in analyzer settings.
package enum AnalysisError: Error, CustomStringConvertible, Sendable, Equatable {
    case unknownLanguage(String, available: [String])
    case badSetting(String)

    package var description: String {
        switch self {
        case .unknownLanguage(let l, let available):
            return "unknown stemmer language '\(l)'; available: none, \(available.joined(separator: ", "))"
        case .badSetting(let s):
            return s
        }
    }
}
