/// A small JSON writer that keeps keys in the order they are written (the documented
/// order of Quarry's JSON contract) and escapes strings exactly.
public struct JSONWriter {
    public private(set) var text: String = ""
    private var needsComma: [Bool] = [false]

    public init() {
        text.reserveCapacity(4096)
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func beginObject(_ key: String? = nil) {
        if let key { keyPrefix(key) } else { separator() }
        text += "{"
        needsComma.append(false)
    }

    public mutating func endObject() {
        needsComma.removeLast()
        text += "}"
    }

    public mutating func beginArray(_ key: String? = nil) {
        if let key { keyPrefix(key) } else { separator() }
        text += "["
        needsComma.append(false)
    }

    public mutating func endArray() {
        needsComma.removeLast()
        text += "]"
    }

    private mutating func keyPrefix(_ key: String) {
        separator()
        JSONWriter.appendString(key, to: &text)
        text += ":"
    }

    public mutating func field(_ key: String, _ value: String) {
        keyPrefix(key)
        JSONWriter.appendString(value, to: &text)
    }

    public mutating func field(_ key: String, _ value: String?) {
        keyPrefix(key)
        if let value { JSONWriter.appendString(value, to: &text) } else { text += "null" }
    }

    public mutating func field(_ key: String, _ value: Int) {
        keyPrefix(key)
        text += String(value)
    }

    public mutating func field(_ key: String, _ value: Bool) {
        keyPrefix(key)
        text += value ? "true" : "false"
    }

    public mutating func field(_ key: String, _ value: Double) {
        keyPrefix(key)
        text += JSONWriter.number(value)
    }

    public mutating func value(_ s: String) {
        separator()
        JSONWriter.appendString(s, to: &text)
    }

    /// A finite number in shortest round-trip form (non-finite numbers are written as null).
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    public static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
