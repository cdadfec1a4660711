#if canImport(Glibc)
import Glibc
#endif

/// Terminal output: colour and progress only when the stream is a terminal (and NO_COLOR
/// is not set); plain text otherwise.
package enum Terminal {
    package static let stdoutIsTTY = isatty(STDOUT_FILENO) == 1
    package static let stderrIsTTY = isatty(STDERR_FILENO) == 1
    package static let colorAllowed = getenv("NO_COLOR") == nil && getenv("TERM").map { String(cString: $0) != "dumb" } ?? true

    /// Whether stdout gets ANSI styles.
    package static var stdoutColor: Bool { stdoutIsTTY && colorAllowed }

    /// Whether stdout gets ANSI styles under `--color`: auto (a terminal, NO_COLOR unset),
    /// always, or never.
    package static func stdoutColor(_ choice: ColorChoice) -> Bool {
        switch choice {
        case .auto: return stdoutColor
        case .always: return true
        case .never: return false
        }
    }
    package static var stderrColor: Bool { stderrIsTTY && colorAllowed }

    package enum Style: String {
        case bold = "1"
        case dim = "2"
        case highlight = "1;33"
        case red = "31"
        case yellow = "33"
        case green = "32"
        case cyan = "36"
    }

    package static func styled(_ text: String, _ style: Style, enabled: Bool) -> String {
        enabled ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    package static func error(_ message: String) {
        FileHandleStderr.write(styled("quarry: error:", .red, enabled: stderrColor) + " " + SafeText.line(message) + "\n")
    }

    package static func warning(_ message: String) {
        FileHandleStderr.write(styled("quarry: warning:", .yellow, enabled: stderrColor) + " " + SafeText.line(message) + "\n")
    }

    package static func note(_ message: String) {
        FileHandleStderr.write(styled("quarry: note:", .cyan, enabled: stderrColor) + " " + SafeText.line(message) + "\n")
    }

    /// A progress line on stderr, redrawn in place (terminal only).
    package static func progress(_ line: String) {
        guard stderrIsTTY else { return }
        FileHandleStderr.write("\r\u{1B}[2K" + line)
    }

    package static func clearProgress() {
        guard stderrIsTTY else { return }
        FileHandleStderr.write("\r\u{1B}[2K")
    }
}

/// Unbuffered writes to stderr (messages must appear before a crash or an exit).
package enum FileHandleStderr {
    package static func write(_ s: String) {
        var s = s
        s.withUTF8 { p in _ = Glibc.write(STDERR_FILENO, p.baseAddress, p.count) }
    }
}

/// `--color`: when output gets ANSI styles.
package enum ColorChoice: String, CaseIterable {
    case auto, always, never
}
