#if canImport(Glibc)
import Glibc
#endif

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
