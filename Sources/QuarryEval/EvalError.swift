import QuarryCore

/// What was wrong with a qrels or run file, or with an evaluation request.
public enum EvalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Lines of a file that could not be read: the first few (line numbers from 1) and how
    /// many there were in all.
    case malformed(file: String, problems: [LineProblem], total: Int)
    /// A file that could not be read (missing, a directory, no permission).
    case unreadable(file: String, reason: String)
    /// A measure name that is not one of nDCG@k, R@k, RR@k, AP@k, P@k.
    case unknownMeasure(String)
    /// Two evaluations that cannot be compared (other queries or other measures).
    case mismatch(String)

    public struct LineProblem: Sendable, Equatable {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    public var description: String {
        switch self {
        case let .malformed(file, problems, total):
            var lines = problems.map { "\(file):\($0.line): \($0.message)" }
            if total > problems.count { lines.append("(\(total - problems.count) more bad line\(total - problems.count == 1 ? "" : "s") in \(file))") }
            return lines.joined(separator: "\n")
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .unknownMeasure(name):
            return "unknown measure '\(name)': use nDCG@k, R@k, RR@k (MRR@k), AP@k (MAP@k) or P@k, with a cutoff k of 1 or more"
        case let .mismatch(message):
            return message
        }
    }
}

/// The bytes of a file, or `EvalError.unreadable`.
func readBytes(_ path: String) throws(EvalError) -> [UInt8] {
    do {
        return try FileSystem.read(path)
    } catch let e as SystemError {
        throw EvalError.unreadable(file: path, reason: e.reason)
    } catch {
        throw EvalError.unreadable(file: path, reason: "\(error)")
    }
}

/// Collects the bad lines of one file (the first few kept) and throws them together.
struct ProblemList {
    let file: String
    private(set) var problems: [EvalError.LineProblem] = []
    private(set) var total = 0
    static let kept = 5

    init(file: String) {
        self.file = file
    }

    mutating func add(_ line: Int, _ message: String) {
        total += 1
        if problems.count < ProblemList.kept { problems.append(EvalError.LineProblem(line: line, message: message)) }
    }

    func check() throws(EvalError) {
        if total > 0 { throw EvalError.malformed(file: file, problems: problems, total: total) }
    }
}

/// The lines of a text file as byte ranges (a final line without a newline included; a
/// carriage return before the newline dropped), numbered from 1.
func forEachLine(_ bytes: [UInt8], _ body: (Int, ArraySlice<UInt8>) -> Void) {
    var start = 0
    var number = 0
    let n = bytes.count
    while start < n {
        var end = start
        while end < n && bytes[end] != 0x0A { end += 1 }
        number += 1
        var stop = end
        if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
        body(number, bytes[start..<stop])
        start = end + 1
    }
}

/// Fields separated by runs of spaces and tabs.
func whitespaceFields(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    var fields: [ArraySlice<UInt8>] = []
    var i = line.startIndex
    while i < line.endIndex {
        while i < line.endIndex && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
        if i == line.endIndex { break }
        let s = i
        while i < line.endIndex && line[i] != 0x20 && line[i] != 0x09 { i += 1 }
        fields.append(line[s..<i])
    }
    return fields
}

/// Fields separated by single tabs (empty fields kept).
func tabFields(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    line.split(separator: 0x09, omittingEmptySubsequences: false)
}

func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
}

func text(_ field: ArraySlice<UInt8>) -> String {
    String(decoding: field, as: UTF8.self)
}

/// Query ids in a readable order: whole numbers first, by value, then the rest by their bytes.
func queryOrder(_ a: String, _ b: String) -> Bool {
    let x = Int(a), y = Int(b)
    switch (x, y) {
    case let (x?, y?): return x != y ? x < y : a.utf8.lexicographicallyPrecedes(b.utf8)
    case (.some, nil): return true
    case (nil, .some): return false
    case (nil, nil): return a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
