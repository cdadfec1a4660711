#if canImport(Glibc)
import Glibc
#endif

/// Terminal output: colour and progress only when the stream is a terminal (and NO_COLOR
/// is not set); plain text otherwise.
enum Terminal {
    static let stdoutIsTTY = isatty(STDOUT_FILENO) == 1
    static let stderrIsTTY = isatty(STDERR_FILENO) == 1
    static let colorAllowed = getenv("NO_COLOR") == nil && getenv("TERM").map { String(cString: $0) != "dumb" } ?? true

    /// Whether stdout gets ANSI styles.
    static var stdoutColor: Bool { stdoutIsTTY && colorAllowed }

    /// Whether stdout gets ANSI styles under `--color`: auto (a terminal, NO_COLOR unset),
    /// always, or never.
    static func stdoutColor(_ choice: ColorChoice) -> Bool {
        switch choice {
        case .auto: return stdoutColor
        case .always: return true
        case .never: return false
        }
    }
    static var stderrColor: Bool { stderrIsTTY && colorAllowed }

    enum Style: String {
        case bold = "1"
        case dim = "2"
        case highlight = "1;33"
        case red = "31"
        case yellow = "33"
        case green = "32"
        case cyan = "36"
    }

    static func styled(_ text: String, _ style: Style, enabled: Bool) -> String {
        enabled ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    static func error(_ message: String) {
        FileHandleStderr.write(styled("quarry: error:", .red, enabled: stderrColor) + " " + SafeText.line(message) + "\n")
    }

    static func warning(_ message: String) {
        FileHandleStderr.write(styled("quarry: warning:", .yellow, enabled: stderrColor) + " " + SafeText.line(message) + "\n")
    }

    static func note(_ message: String) {
        FileHandleStderr.write(styled("quarry: note:", .cyan, enabled: stderrColor) + " " + SafeText.line(message) + "\n")
    }

    /// A progress line on stderr, redrawn in place (terminal only).
    static func progress(_ line: String) {
        guard stderrIsTTY else { return }
        FileHandleStderr.write("\r\u{1B}[2K" + line)
    }

    static func clearProgress() {
        guard stderrIsTTY else { return }
        FileHandleStderr.write("\r\u{1B}[2K")
    }
}

enum FileHandleStderr {
    static func write(_ s: String) {
        var s = s
        s.withUTF8 { p in _ = Glibc.write(STDERR_FILENO, p.baseAddress, p.count) }
    }
}

/// Buffered stdout (results can be many lines).
struct Output {
    private var buffer: [UInt8] = []

    init() {
        buffer.reserveCapacity(1 << 16)
    }

    mutating func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func line(_ s: String) {
        write(s)
        buffer.append(0x0A)
    }

    /// Appends raw bytes.
    mutating func bytes(_ b: some Sequence<UInt8>) {
        buffer.append(contentsOf: b)
    }

    /// Appends a document id as a TREC run column: a run line is six fields separated by
    /// whitespace, so spaces, control characters and '%' are percent-encoded (`my file.txt`
    /// is written `my%20file.txt`, decoded as a URL path is); other ids are written as they are.
    mutating func trecID(_ id: String) {
        for b in id.utf8 {
            if b <= 0x20 || b == 0x7F || b == 0x25 {
                let hex = Array("0123456789ABCDEF".utf8)
                buffer.append(contentsOf: [0x25, hex[Int(b >> 4)], hex[Int(b & 0x0F)]])
            } else {
                buffer.append(b)
            }
        }
    }

    /// Appends a non-negative integer in decimal.
    mutating func decimal(_ value: Int) {
        if value < 10 {
            buffer.append(0x30 &+ UInt8(value))
            return
        }
        var digits: [UInt8] = []
        var v = value
        while v > 0 {
            digits.append(0x30 &+ UInt8(v % 10))
            v /= 10
        }
        buffer.append(contentsOf: digits.reversed())
    }

    /// Appends a number with six decimals (fixed point, as TREC runs write scores).
    mutating func fixed6(_ value: Double) {
        guard value.isFinite else {
            write("0.000000")
            return
        }
        var v = value
        if v < 0 {
            buffer.append(0x2D)
            v = -v
        }
        let scaled = Int((v * 1_000_000).rounded())
        decimal(scaled / 1_000_000)
        buffer.append(0x2E)
        var frac = scaled % 1_000_000
        var digits = [UInt8](repeating: 0x30, count: 6)
        for i in stride(from: 5, through: 0, by: -1) {
            digits[i] = 0x30 &+ UInt8(frac % 10)
            frac /= 10
        }
        buffer.append(contentsOf: digits)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        var done = 0
        buffer.withUnsafeBytes { p in
            guard let base = p.baseAddress else { return }
            while done < p.count {
                let n = Glibc.write(STDOUT_FILENO, base + done, p.count - done)
                if n <= 0 {
                    if errno == EINTR { continue }
                    break
                }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// "1,234,567"
func grouped(_ n: Int) -> String {
    let s = String(n.magnitude)
    var out = ""
    for (i, c) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

/// "12.3 MB"
func megabytes(_ bytes: Int) -> String {
    let mb = Double(bytes) / 1e6
    return mb < 10 ? String(format1: mb, digits: 2) + " MB" : String(format1: mb, digits: 1) + " MB"
}

extension String {
    /// A number with a fixed count of decimals (no Foundation needed).
    init(format1 value: Double, digits: Int) {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (value * scale).rounded() / scale
        var s = "\(r)"
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
            if digits == 0 { s = String(s[..<dot]) }
        }
        self = s
    }
}

/// Monotonic seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// `--color`: when output gets ANSI styles.
enum ColorChoice: String, CaseIterable {
    case auto, always, never
}
