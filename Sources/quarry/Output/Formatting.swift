#if canImport(Glibc)
import Glibc
#endif

// Number and time formatting for the text output (no Foundation in the hot paths).

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
