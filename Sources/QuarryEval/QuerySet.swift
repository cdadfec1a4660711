import QuarryCore

/// The text of each query of an evaluation, by query id, as a query file gives it: BEIR's
/// `queries.jsonl` (one JSON object a line with `_id` and `text`; other members ignored) or
/// `qid<TAB>text` lines (blank lines and lines starting with `#` skipped). A file whose first
/// non-blank byte is `{` is JSON Lines. A repeated id keeps its last line.
public struct QuerySet: Sendable, Equatable {
    public enum Format: String, Sendable {
        case jsonl
        case tsv
    }

    public private(set) var texts: [String: String]
    public private(set) var format: Format

    public init(_ texts: [String: String]) {
        self.texts = texts
        format = .tsv
    }

    public init(contentsOf path: String) throws(QuarryError) {
        try self.init(parsing: try readBytes(path), file: path)
    }

    /// Reads the bytes of a query file (`file` names it in errors).
    public init(parsing bytes: [UInt8], file: String) throws(QuarryError) {
        let json = bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } == UInt8(ascii: "{")
        var problems = ProblemList(file: file)
        var texts: [String: String] = [:]
        forEachLine(bytes) { number, line in
            if isBlank(line) { return }
            if json {
                var id: String?, text: String?
                let failure = line.withUnsafeBytes { buffer -> JSONLineError? in
                    var parser = JSONLineParser(buffer)
                    do throws(JSONLineError) {
                        try parser.parseObject(
                            keep: { name in
                                name.elementsEqual("_id".utf8) ? 0 : name.elementsEqual("text".utf8) ? 1 : nil
                            },
                            value: { slot, value in
                                let s = String(decoding: value, as: UTF8.self)
                                if slot == 0 { id = s } else { text = s }
                            })
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure {
                    problems.add(number, failure.description)
                } else if let id, !id.isEmpty {
                    if let text { texts[id] = text } else { problems.add(number, "no \"text\" member") }
                } else {
                    problems.add(number, "no \"_id\" member")
                }
            } else {
                if line.first == UInt8(ascii: "#") { return }
                guard let tab = line.firstIndex(of: 0x09) else {
                    problems.add(number, "expected 'qid<TAB>query text'")
                    return
                }
                texts[String(decoding: line[..<tab], as: UTF8.self)] = String(decoding: line[(tab + 1)...], as: UTF8.self)
            }
        }
        try problems.check()
        self.texts = texts
        format = json ? .jsonl : .tsv
    }
}
