/// Per-query times of a batch (`quarry search --queries F --timings FILE`): what benchmark
/// harnesses read to compare in-process latency with other engines.
struct QueryClock {
    private var lines: [UInt8] = []

    init(capacity: Int) { lines.reserveCapacity(capacity * 24) }

    /// Records one query's time.
    mutating func record(_ qid: String, seconds: Double) {
        let micros = (seconds * 1e6 * 10).rounded() / 10
        lines.append(contentsOf: qid.utf8)
        lines.append(0x09)
        lines.append(contentsOf: String(micros).utf8)
        lines.append(0x0A)
    }

    /// Writes `qid<TAB>microseconds` lines, one per query in the order they ran.
    func write(to path: String) throws {
        try writeWholeFile(path, lines, what: "the timings file")
    }
}
