/// A small JSON writer that keeps keys in the order they are written (the documented
/// order of Quarry's JSON contract) and escapes strings exactly.
package struct JSONWriter {
    package private(set) var text: String = ""
    private var needsComma: [Bool] = [false]

    package init() {
        text.reserveCapacity(4096)
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    package mutating func beginObject(_ key: String? = nil) {
        if let key { keyPrefix(key) } else { separator() }
        text += "{"
        needsComma.append(false)
    }

    package mutating func endObject() {
        needsComma.removeLast()
        text += "}"
    }

    package mutating func beginArray(_ key: String? = nil) {
        if let key { keyPrefix(key) } else { separator() }
        text += "["
        needsComma.append(false)
    }

    package mutating func endArray() {
        needsComma.removeLast()
        text += "]"
    }

    private mutating func keyPrefix(_ key: String) {
        separator()
        JSONWriter.appendString(key, to: &text)
        text += ":"
    }

    package mutating func field(_ key: String, _ value: String) {
        keyPrefix(key)
        JSONWriter.appendString(value, to: &text)
    }

    package mutating func field(_ key: String, _ value: String?) {
        keyPrefix(key)
        if let value { JSONWriter.appendString(value, to: &text) } else { text += "null" }
    }

    package mutating func field(_ key: String, _ value: Int) {
        keyPrefix(key)
        text += String(value)
    }

    package mutating func field(_ key: String, _ value: Bool) {
        keyPrefix(key)
        text += value ? "true" : "false"
    }

    package mutating func field(_ key: String, _ value: Double) {
        keyPrefix(key)
        text += JSONWriter.number(value)
    }

    package mutating func value(_ s: String) {
        separator()
        JSONWriter.appendString(s, to: &text)
    }

    /// A finite number in shortest round-trip form (non-finite numbers are written as null).
    package static func number(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    package static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // C0 as JSON requires; DEL and C1 too, so that JSON shown on a terminal is safe.
                if u.value < 0x20 || (u.value >= 0x7F && u.value <= 0x9F) || u.value == 0x2028 || u.value == 0x2029 {
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
