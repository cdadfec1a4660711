import QuarryCore

/// The bytes of a file, or `QuarryError.io`.
func readBytes(_ path: String) throws(QuarryError) -> [UInt8] {
    do {
        return try FileSystem.read(path)
    } catch let e as SystemError {
        throw QuarryError.io(path: path, operation: "read", reason: e.reason)
    } catch {
        throw QuarryError.io(path: path, operation: "read", reason: "\(error)")
    }
}

/// Collects the bad lines of one file (the first few kept) and throws them together: the
/// first bad line, and every kept problem as "line N: what" (with how many more there were).
struct ProblemList {
    let file: String
    private(set) var problems: [(line: Int, message: String)] = []
    private(set) var total = 0
    static let kept = 5

    init(file: String) {
        self.file = file
    }

    mutating func add(_ line: Int, _ message: String) {
        total += 1
        if problems.count < ProblemList.kept { problems.append((line, message)) }
    }

    func check() throws(QuarryError) {
        guard let first = problems.first else { return }
        var message = first.message
        if total > 1 {
            message += "; " + problems.dropFirst().map { "line \($0.line): \($0.message)" }.joined(separator: "; ")
            if total > problems.count {
                message += "; and \(total - problems.count) more bad line\(total - problems.count == 1 ? "" : "s")"
            }
        }
        throw QuarryError.malformedInput(file: file, line: first.line, message: message)
    }
}

/// The lines of a text file as byte ranges (a final line without a newline included; a
/// carriage return before the newline dropped), numbered from 1.
func forEachLine(_ bytes: [UInt8], _ body: (Int, ArraySlice<UInt8>) -> Void) {
    var number = 0
    bytes.withUnsafeBytes { raw in
        Lines.forEach(raw) { line, start in
            number += 1
            body(number, bytes[start..<(start + line.count)])
            return true
        }
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
