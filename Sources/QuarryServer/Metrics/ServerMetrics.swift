import Prometheus
import Synchronization

/// What `/metrics` shows, in Prometheus' text format: requests and their latency per route
/// (the route pattern, never the raw path, so the label set stays small), the index
/// generation and document count served, and tasks by outcome.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let generation: Gauge
    private let documents: Gauge
    private let refreshes: Counter
    private let lastGeneration = Mutex<Int?>(nil)
    /// Counters and histograms made so far, by label values (the registry would return
    /// the same ones; this saves its lock and lookup on every request).
    private let counters = Mutex<[String: Counter]>([:])
    private let histograms = Mutex<[String: DurationHistogram]>([:])

    static let buckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2.5), .seconds(5), .seconds(10),
    ]

    init() {
        generation = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "quarry", metricName: "index_generation", unitName: "",
                helpText: "Commit generation of the snapshot being served."))
        documents = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "quarry", metricName: "index_documents", unitName: "", helpText: "Live documents in the snapshot being served."))
        refreshes = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "quarry", metricName: "snapshot_refreshes", unitName: "total", helpText: "New commits picked up."))
    }

    /// One answered request.
    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = "\(route) \(method) \(status)"
        let counter = counters.withLock { c -> Counter in
            if let found = c[key] { return found }
            let made = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "quarry", subsystem: "http", metricName: "requests", unitName: "total",
                    helpText: "HTTP requests answered, by route, method and status."),
                labels: [("route", route), ("method", method), ("status", String(status))])
            c[key] = made
            return made
        }
        counter.increment()
        let histogram = histograms.withLock { h -> DurationHistogram in
            if let found = h[route] { return found }
            let made = registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(
                    namespace: "quarry", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                    helpText: "Time from a request's head to its response, by route."),
                labels: [("route", route)], buckets: ServerMetrics.buckets)
            h[route] = made
            return made
        }
        histogram.record(duration)
    }

    /// The snapshot being served.
    func snapshot(generation g: Int?, documents d: Int) {
        generation.set(to: Double(g ?? 0))
        documents.set(to: Double(d))
        let changed = lastGeneration.withLock { last -> Bool in
            defer { last = g }
            return last != nil && g != nil && last != g
        }
        if changed { refreshes.increment() }
    }

    /// A task that ended.
    func task(type: String, status: String) {
        let key = "task \(type) \(status)"
        let counter = counters.withLock { c -> Counter in
            if let found = c[key] { return found }
            let made = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "quarry", metricName: "tasks", unitName: "total",
                    helpText: "Write tasks finished, by type and outcome."),
                labels: [("type", type), ("status", status)])
            c[key] = made
            return made
        }
        counter.increment()
    }

    func text() -> String { registry.emitToString() }
}
