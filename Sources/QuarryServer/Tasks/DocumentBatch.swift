import Foundation

/// A problem with one input of a write (a document of a batch, a file of a walk), reported
/// in its task; the rest of the batch goes on.
struct TaskIssue: Sendable {
    /// Where: `documents[3]`, `line 12`, or a file path.
    var input: String
    var message: String
    /// Whether the input was skipped (a warning only when false).
    var skipped: Bool = true
}

/// The documents of a `POST /documents` body, as BEIR JSON lines for the index writer.
///
/// The body is a JSON array of `{"id", "title", "text"}` objects, or JSON lines (NDJSON)
/// of such objects or of BEIR lines (`{"_id", "title", "text"}`). An array is recognised by
/// its `[`; anything else is read as lines. Each document is checked here (an id, a text,
/// strings where strings belong), so a bad one is reported with its position and skipped
/// and the others are added.
struct DocumentBatch: Sendable {
    /// `{"_id", "title", "text"}` lines, one per good document.
    var lines: [UInt8] = []
    var documents = 0
    var issues: [TaskIssue] = []

    static let maxIDBytes = 4096

    init(body: [UInt8]) throws(APIError) {
        let start = body.firstIndex { !(UInt8(ascii: " ") == $0 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        guard let start else {
            throw APIError.badRequest("the body is empty: send a JSON array of {\"id\", \"title\", \"text\"} objects, or JSON lines")
        }
        lines.reserveCapacity(body.count + body.count / 8)
        if body[start] == UInt8(ascii: "[") {
            let parsed: Any
            do {
                parsed = try JSONSerialization.jsonObject(with: Data(body))
            } catch {
                throw APIError(
                    status: .badRequest, code: "bad_json", message: "the body is not a valid JSON array: \(jsonErrorDescription(error))")
            }
            guard let array = parsed as? [Any] else {
                throw APIError(status: .badRequest, code: "bad_json", message: "the body must be a JSON array")
            }
            for (i, element) in array.enumerated() { take(element, at: "documents[\(i)]") }
        } else {
            var lineNumber = 0
            var lineStart = 0
            while lineStart <= body.count {
                let end = body[lineStart...].firstIndex(of: 0x0A) ?? body.count
                lineNumber += 1
                var line = body[lineStart..<end]
                if line.last == 0x0D { line = line.dropLast() }
                if line.contains(where: { !($0 == 0x20 || $0 == 0x09) }) {
                    do {
                        take(try JSONSerialization.jsonObject(with: Data(line)), at: "line \(lineNumber)")
                    } catch {
                        issues.append(TaskIssue(input: "line \(lineNumber)", message: "not valid JSON: \(jsonErrorDescription(error))"))
                    }
                }
                lineStart = end + 1
            }
        }
        if documents == 0 {
            let first = issues.first.map { ": \($0.input): \($0.message)" } ?? ""
            throw APIError(status: .badRequest, code: "no_documents", message: "the body holds no valid document\(first)")
        }
    }

    private mutating func take(_ element: Any, at position: String) {
        guard let object = element as? [String: Any] else {
            issues.append(TaskIssue(input: position, message: "expected an object {\"id\", \"title\", \"text\"}"))
            return
        }
        let idValue = object["id"] ?? object["_id"]
        let id: String
        switch idValue {
        case let s as String: id = s
        case nil:
            issues.append(TaskIssue(input: position, message: "missing \"id\""))
            return
        default:
            issues.append(TaskIssue(input: position, message: "\"id\" must be a string"))
            return
        }
        guard !id.isEmpty else {
            issues.append(TaskIssue(input: position, message: "\"id\" is empty"))
            return
        }
        guard id.utf8.count <= DocumentBatch.maxIDBytes else {
            issues.append(TaskIssue(input: position, message: "\"id\" is longer than \(DocumentBatch.maxIDBytes) bytes"))
            return
        }
        var title = ""
        if let t = object["title"], !(t is NSNull) {
            guard let s = t as? String else {
                issues.append(TaskIssue(input: position, message: "\"title\" must be a string"))
                return
            }
            title = s
        }
        guard let textValue = object["text"] else {
            issues.append(TaskIssue(input: position, message: "missing \"text\""))
            return
        }
        guard let text = textValue as? String else {
            issues.append(TaskIssue(input: position, message: "\"text\" must be a string"))
            return
        }
        let line = JSONValue.object([("_id", .string(id)), ("title", .string(title)), ("text", .string(text))]).text
        lines.append(contentsOf: line.utf8)
        lines.append(0x0A)
        documents += 1
    }
}
