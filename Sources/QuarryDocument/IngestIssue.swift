/// A problem with one input (a file, a line of a JSONL file) that was reported and skipped
/// or worked around; the rest of the batch goes on.
public struct IngestIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case warning, error }
    public var path: String
    /// 1-based line, when the input is line-oriented.
    public var line: Int?
    /// 0-based byte offset into the file, when known.
    public var byteOffset: Int?
    public var message: String
    public var severity: Severity

    public init(path: String, line: Int? = nil, byteOffset: Int? = nil, message: String, severity: Severity = .error) {
        self.path = path
        self.line = line
        self.byteOffset = byteOffset
        self.message = message
        self.severity = severity
    }

    public var description: String {
        var s = path
        if let line { s += ":\(line)" }
        if let byteOffset { s += " (byte \(byteOffset))" }
        return s + ": " + message
    }
}
