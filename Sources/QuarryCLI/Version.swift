#if canImport(Glibc)
import Glibc
#endif

/// The version both executables report (`--version`, the server's `/health` and MCP handshake).
package let quarryVersion = "0.1.0"

/// An environment variable's value; nil when unset or empty.
package func environment(_ name: String) -> String? {
    guard let v = getenv(name) else { return nil }
    let s = String(cString: v)
    return s.isEmpty ? nil : s
}
