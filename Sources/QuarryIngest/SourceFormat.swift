import QuarryCore
import QuarryDocument

/// The kind of an input file.
public enum SourceFormat: String, Sendable, CaseIterable, Codable {
    /// Decide by file extension.
    case auto
    case html
    case text
    /// BEIR-style JSON Lines: one `{"_id", "title", "text"}` object per line.
    case beir

    /// Extensions that `auto` recognises (lowercase, without the dot).
    package static let htmlExtensions: Set<String> = ["html", "htm", "xhtml"]
    package static let textExtensions: Set<String> = ["txt", "text", "md"]
    package static let beirExtensions: Set<String> = ["jsonl"]

    /// The format of a file under `auto` (nil when the extension is not recognised).
    package static func detect(path: String) -> SourceFormat? {
        guard let dot = path.lastIndex(of: "."), path[dot...].contains("/") == false else { return nil }
        let ext = path[path.index(after: dot)...].lowercased()
        if htmlExtensions.contains(ext) { return .html }
        if textExtensions.contains(ext) { return .text }
        if beirExtensions.contains(ext) { return .beir }
        return nil
    }

    /// Whether a file found while walking a directory is taken, for a requested format.
    package func accepts(path: String) -> SourceFormat? {
        guard let detected = SourceFormat.detect(path: path) else { return nil }
        switch self {
        case .auto: return detected
        case .html: return detected == .html ? .html : nil
        case .text: return detected == .text ? .text : nil
        case .beir: return detected == .beir || path.lowercased().hasSuffix(".json") ? .beir : nil
        }
    }
}
