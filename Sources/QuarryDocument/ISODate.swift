/// Dates as Quarry keeps them: whole seconds since 1970-01-01T00:00:00Z (UTC, leap seconds
/// not counted), read from and written as ISO 8601 text.
///
/// Read (`parse`): a calendar date `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`, `YYYYMMDD`),
/// optionally followed by `T` (or a space) and a time `hh:mm`, `hh:mm:ss` or
/// `hh:mm:ss.fraction` (the fraction is dropped), optionally followed (after a space or
/// not) by a zone: `Z`, `±hh:mm`, `±hhmm` or `±hh`. A date or time without a zone is taken as UTC; a missing
/// month or day is the first. Years 0000–9999. Surrounding spaces are ignored; anything
/// else (`May 3, 2024`, `2024-13-01`, `2024-02-30`, `24:00`) is not a date (nil).
///
/// Written (`format`): `YYYY-MM-DDThh:mm:ssZ` (years outside 0–9999 with a sign).
public enum ISODate {
    /// Seconds since 1970 (UTC) of an ISO 8601 date or date-time; nil when the text is not one.
    public static func parse(_ text: some StringProtocol) -> Int64? {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D { bytes.removeLast() }
        var i = 0
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        return bytes.withUnsafeBufferPointer { parse(UnsafeBufferPointer(rebasing: $0[i...])) }
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func take(_ c: UInt8) -> Bool {
            if i < b.count && b[i] == c {
                i += 1
                return true
            }
            return false
        }
        guard let year = digits(4) else { return nil }
        var month = 1, day = 1
        if take(0x2D) {  // -
            guard let m = digits(2) else { return nil }
            month = m
            if take(0x2D) {
                guard let d = digits(2) else { return nil }
                day = d
            }
        } else if i < b.count, let m = digits(2) {  // YYYYMMDD
            guard let d = digits(2) else { return nil }
            month = m
            day = d
        }
        guard month >= 1 && month <= 12, day >= 1 && day <= daysIn(month: month, year: year) else { return nil }
        var seconds = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
        guard i < b.count else { return seconds }
        guard b[i] == 0x54 || b[i] == 0x74 || b[i] == 0x20 else { return nil }  // T t space
        i += 1
        guard let hour = digits(2), take(0x3A), let minute = digits(2) else { return nil }
        var second = 0
        if take(0x3A) {
            guard let s = digits(2) else { return nil }
            second = s
            if take(0x2E) || take(0x2C) {  // . or , fraction
                let start = i
                while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
                guard i > start else { return nil }
            }
        }
        // A leap second (:60) is counted as the last second of its minute.
        guard hour <= 23, minute <= 59, second <= 60 else { return nil }
        seconds += Int64(hour * 3600 + minute * 60 + min(second, 59))
        while i < b.count && b[i] == 0x20 { i += 1 }  // "10:00:00 +02:00", as YAML writes it
        guard i < b.count else { return seconds }
        if take(0x5A) || take(0x7A) { return i == b.count ? seconds : nil }  // Z z
        guard b[i] == 0x2B || b[i] == 0x2D || b[i] == 0xE2 else { return nil }
        var sign: Int64 = 1
        if b[i] == 0xE2 {  // U+2212 MINUS SIGN (E2 88 92), as some pages write it
            guard i + 2 < b.count, b[i + 1] == 0x88, b[i + 2] == 0x92 else { return nil }
            sign = -1
            i += 3
        } else {
            sign = b[i] == 0x2D ? -1 : 1
            i += 1
        }
        guard let zh = digits(2), zh <= 23 else { return nil }
        var zm = 0
        if i < b.count {
            _ = take(0x3A)
            guard let m = digits(2), m <= 59 else { return nil }
            zm = m
        }
        guard i == b.count else { return nil }
        // Local time = UTC + offset, so UTC = local − offset.
        return seconds - sign * Int64(zh * 3600 + zm * 60)
    }

    /// `YYYY-MM-DDThh:mm:ssZ` for seconds since 1970 (UTC).
    public static func format(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let rest = Int(seconds - days * 86_400)
        let (y, m, d) = civilFromDays(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var year = String(abs(y))
        while year.count < 4 { year = "0" + year }
        if y < 0 { year = "-" + year } else if y > 9999 { year = "+" + year }
        return "\(year)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01.
    static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }
}
