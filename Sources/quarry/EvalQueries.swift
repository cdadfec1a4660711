import Quarry
import QuarryCore

/// The query file of `quarry eval --index`: BEIR `queries.jsonl` (one object a line with
/// `_id` and `text`) or `qid<TAB>text` lines (blank lines and `#` comments skipped). A file
/// whose first non-blank byte is `{` is JSON Lines.
enum EvalQueries {
    /// Query text by id (a repeated id keeps its last line).
    static func read(_ path: String) throws -> [String: String] {
        let bytes = try FileSystem.read(path)
        let json = bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } == UInt8(ascii: "{")
        var result: [String: String] = [:]
        var problems: [EvalError.LineProblem] = []
        var bad = 0
        func problem(_ line: Int, _ message: String) {
            bad += 1
            if problems.count < 5 { problems.append(.init(line: line, message: message)) }
        }
        var number = 0
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            var line = raw
            if line.last == 0x0D { line = line.dropLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if json {
                var id: String?, text: String?
                let failure = line.withUnsafeBytes { buffer -> JSONLineError? in
                    var parser = JSONLineParser(buffer)
                    do throws(JSONLineError) {
                        try parser.parseObject(keep: { name in
                            name.elementsEqual("_id".utf8) ? 0 : name.elementsEqual("text".utf8) ? 1 : nil
                        }, value: { slot, value in
                            let s = String(decoding: value, as: UTF8.self)
                            if slot == 0 { id = s } else { text = s }
                        })
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure {
                    problem(number, failure.description)
                    continue
                }
                guard let id, !id.isEmpty else { problem(number, "no \"_id\" member"); continue }
                guard let text else { problem(number, "no \"text\" member"); continue }
                result[id] = text
            } else {
                if line.first == UInt8(ascii: "#") { continue }
                guard let tab = line.firstIndex(of: 0x09) else { problem(number, "expected 'qid<TAB>query text'"); continue }
                result[String(decoding: line[..<tab], as: UTF8.self)] = String(decoding: line[(tab + 1)...], as: UTF8.self)
            }
        }
        if bad > 0 { throw EvalError.malformed(file: path, problems: problems, total: bad) }
        return result
    }
}
