import Foundation

/// The named fields of a request, from a URL query string (`?q=csrf&limit=5`) or a JSON
/// object body, read with their types checked and their ranges enforced. Every error names
/// the field and says what was expected. Fields nobody asked for are an error too
/// (`unknownFieldsError`): a misspelt `limt` should not be silently ignored.
struct RequestFields {
    private enum Source {
        case query([String: String])
        case json([String: Any])
    }

    private let source: Source
    private var used: Set<String> = []

    /// Fields from a query string: `+` is a space, `%XX` a byte of UTF-8; a name given twice
    /// keeps its last value.
    init(query: String?) throws(APIError) {
        var fields: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try RequestFields.decode(parts[0], what: "a parameter name")
            let value = parts.count > 1 ? try RequestFields.decode(parts[1], what: "the value of '\(name)'") : ""
            fields[name] = value
        }
        source = .query(fields)
    }

    /// Fields from a JSON object body.
    init(jsonBody body: [UInt8]) throws(APIError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw APIError(status: .badRequest, code: "bad_json", message: "the body is not valid JSON: \(jsonErrorDescription(error))")
        }
        guard let dict = object as? [String: Any] else {
            throw APIError(status: .badRequest, code: "bad_json", message: "the body must be a JSON object")
        }
        source = .json(dict)
    }

    private static func decode(_ s: Substring, what: String) throws(APIError) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        guard let d = spaced.removingPercentEncoding else {
            throw APIError.badRequest("\(what) is not valid percent-encoded UTF-8")
        }
        return d
    }

    private var names: [String] {
        switch source {
        case .query(let f): return Array(f.keys)
        case .json(let f): return Array(f.keys)
        }
    }

    /// Whether the request gave the field.
    func has(_ name: String) -> Bool {
        switch source {
        case .query(let f): return f[name] != nil
        case .json(let f): return f[name] != nil
        }
    }

    /// An error naming the fields that were given but not read, or nil.
    func unknownFieldsError(known: [String]) -> APIError? {
        let unknown = names.filter { !used.contains($0) }.sorted()
        guard let first = unknown.first else { return nil }
        return .badRequest(
            "unknown parameter '\(first)'\(unknown.count > 1 ? " (and \(unknown.dropFirst().joined(separator: ", ")))" : ""); known parameters: \(known.joined(separator: ", "))",
            field: first)
    }

    mutating func string(_ name: String, maxLength: Int? = nil) throws(APIError) -> String? {
        used.insert(name)
        let value: String
        switch source {
        case .query(let f):
            guard let v = f[name] else { return nil }
            value = v
        case .json(let f):
            guard let raw = f[name] else { return nil }
            guard let v = raw as? String else { throw .badRequest("\(name) must be a string", field: name) }
            value = v
        }
        if let maxLength, value.count > maxLength {
            throw .badRequest("\(name) is \(value.count) characters long; at most \(maxLength) are accepted", field: name)
        }
        return value
    }

    mutating func int(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        used.insert(name)
        let value: Int
        switch source {
        case .query(let f):
            guard let v = f[name] else { return nil }
            guard let i = Int(v) else {
                throw .badRequest(
                    "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound), not '\(v.prefix(40))'", field: name)
            }
            value = i
        case .json(let f):
            guard let raw = f[name] else { return nil }
            guard let n = raw as? NSNumber, !isBool(n), let i = Int(exactly: n.doubleValue), Double(i) == n.doubleValue else {
                throw .badRequest("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)", field: name)
            }
            value = i
        }
        guard range.contains(value) else {
            throw .badRequest("\(name) must be from \(range.lowerBound) to \(range.upperBound), not \(value)", field: name)
        }
        return value
    }

    mutating func double(_ name: String, in range: ClosedRange<Double>) throws(APIError) -> Double? {
        used.insert(name)
        let value: Double
        switch source {
        case .query(let f):
            guard let v = f[name] else { return nil }
            guard let d = Double(v), d.isFinite else {
                throw .badRequest(
                    "\(name) must be a number from \(range.lowerBound) to \(range.upperBound), not '\(v.prefix(40))'", field: name)
            }
            value = d
        case .json(let f):
            guard let raw = f[name] else { return nil }
            guard let n = raw as? NSNumber, !isBool(n), n.doubleValue.isFinite else {
                throw .badRequest("\(name) must be a number from \(range.lowerBound) to \(range.upperBound)", field: name)
            }
            value = n.doubleValue
        }
        guard range.contains(value) else {
            throw .badRequest("\(name) must be from \(range.lowerBound) to \(range.upperBound), not \(value)", field: name)
        }
        return value
    }

    /// A boolean: JSON true/false; in a query string `true` or `false`.
    mutating func bool(_ name: String) throws(APIError) -> Bool? {
        used.insert(name)
        switch source {
        case .query(let f):
            guard let v = f[name] else { return nil }
            switch v {
            case "true": return true
            case "false": return false
            default: throw .badRequest("\(name) must be true or false, not '\(v.prefix(40))'", field: name)
            }
        case .json(let f):
            guard let raw = f[name] else { return nil }
            guard let n = raw as? NSNumber, isBool(n) else { throw .badRequest("\(name) must be true or false", field: name) }
            return n.boolValue
        }
    }

    /// One of a fixed set of words.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws(APIError) -> T?
    where T.RawValue == String {
        guard let v = try string(name) else { return nil }
        guard let c = T(rawValue: v) else {
            throw .badRequest(
                "\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(v.prefix(40))'", field: name)
        }
        return c
    }

    /// A JSON array of strings (JSON bodies only).
    mutating func strings(_ name: String, maxCount: Int) throws(APIError) -> [String]? {
        used.insert(name)
        guard case .json(let f) = source else { return nil }
        guard let raw = f[name] else { return nil }
        guard let array = raw as? [Any] else { throw .badRequest("\(name) must be an array of strings", field: name) }
        guard array.count <= maxCount else {
            throw .badRequest("\(name) has \(array.count) entries; at most \(maxCount) are accepted", field: name)
        }
        var result: [String] = []
        for (i, item) in array.enumerated() {
            guard let s = item as? String else { throw .badRequest("\(name)[\(i)] must be a string", field: name) }
            result.append(s)
        }
        return result
    }
}

/// Whether an NSNumber from JSONSerialization was a JSON true/false (a boolean, whose
/// Objective-C type is `c`; JSON numbers come back as `i`, `q` or `d`).
func isBool(_ n: NSNumber) -> Bool {
    String(cString: n.objCType) == "c"
}

/// A JSONSerialization error as one sentence (its position, without Foundation's wrapping).
func jsonErrorDescription(_ error: any Error) -> String {
    let ns = error as NSError
    if let d = ns.userInfo[NSDebugDescriptionErrorKey] as? String { return d }
    return ns.localizedDescription
}
