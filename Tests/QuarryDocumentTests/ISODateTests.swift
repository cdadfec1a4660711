import Testing

@testable import QuarryDocument

@Suite("ISO 8601 dates")
struct ISODateTests {
    @Test(
        "dates, date-times, fractions and zones read as seconds since 1970 UTC",
        arguments: [
            ("1970-01-01", Int64(0)),
            ("2024-05-03", 1_714_694_400),
            ("2024-05", 1_714_521_600),
            ("2024", 1_704_067_200),
            ("20240503", 1_714_694_400),
            ("2024-05-03T10:00:00Z", 1_714_730_400),
            ("2024-05-03t10:00:00z", 1_714_730_400),
            ("2024-05-03 10:00", 1_714_730_400),
            ("2024-05-03T10:00:00.999Z", 1_714_730_400),
            ("2024-05-03T12:00:00+02:00", 1_714_730_400),
            ("2024-05-03T12:00:00 +02:00", 1_714_730_400),
            ("2024-05-03T12:00+0200", 1_714_730_400),
            ("2024-05-03T05:00-05", 1_714_730_400),
            ("2024-05-03T05:00\u{2212}05:00", 1_714_730_400),
            ("  2024-05-03T10:00:00Z\n", 1_714_730_400),
            ("2016-12-31T23:59:60Z", 1_483_228_799),
            ("2000-02-29", 951_782_400),
            ("1969-12-31T23:59:59Z", -1),
            ("0001-01-01", -62_135_596_800),
        ])
    func parses(text: String, seconds: Int64) {
        #expect(ISODate.parse(text) == seconds, "\(text)")
    }

    @Test(
        "anything else is not a date",
        arguments: [
            "", "May 3, 2024", "2024-13-01", "2023-02-29", "2024-02-30", "2024-05-03T24:00", "2024-05-03T10:60",
            "2024-05-03T10", "2024-05-03T10:00:00+25:00", "2024-05-03X", "2024-5-3", "24-05-03", "2024-05-03T10:00:00Zjunk",
            "1714694400", "2024-05-03T10:00:00.Z",
        ])
    func rejects(text: String) {
        #expect(ISODate.parse(text) == nil, "\(text)")
    }

    @Test("formatting is UTC with seconds, and reads back")
    func formats() {
        #expect(ISODate.format(0) == "1970-01-01T00:00:00Z")
        #expect(ISODate.format(1_714_730_400) == "2024-05-03T10:00:00Z")
        #expect(ISODate.format(-1) == "1969-12-31T23:59:59Z")
        #expect(ISODate.format(-62_135_596_800) == "0001-01-01T00:00:00Z")
        var g = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let s = Int64.random(in: -62_135_596_800...253_402_300_799, using: &g)
            #expect(ISODate.parse(ISODate.format(s)) == s, "\(s)")
        }
    }
}
