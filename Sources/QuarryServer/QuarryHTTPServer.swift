import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// `quarry serve`: the HTTP JSON API (and `/mcp`) over one index.
///
/// One process serves one index. Reads run on a fixed pool of search threads over the
/// current snapshot, which a poller replaces within `refreshInterval` of any commit;
/// writes are tasks run one at a time, each holding the writer lock only while it runs.
/// SIGTERM or SIGINT stops accepting connections, lets requests in flight and the running
/// task finish (its commit is published and the lock released), and returns.
public enum QuarryHTTPServer {
    /// Runs until SIGTERM or SIGINT. `announce` is called once with the address listened on
    /// (`http://127.0.0.1:7700`), `log` with notes for the operator.
    public static func run(
        _ configuration: ServerConfiguration, announce: @escaping @Sendable (String) -> Void,
        log: @escaping @Sendable (String) -> Void
    ) async throws {
        let config = try configuration.validated()
        let state = ServerState(configuration: config)
        defer { state.pool.stop() }
        state.metrics.snapshot(generation: state.store.refresh(), documents: state.store.open?.documentCount ?? 0)
        if state.store.open == nil {
            log("no index at \(config.indexDirectory) yet: searches answer 503 until documents are added or quarry index builds it")
        }
        var logger = Logger(label: "quarry.serve")
        logger.logLevel = .warning
        let host = config.host
        let app = Application(
            responder: APIResponder(state: state),
            configuration: ApplicationConfiguration(address: .hostname(host, port: config.port), serverName: "quarry/\(config.version)"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
                announce("http://\(shown):\(port)")
            },
            logger: logger)
        let refresher = SnapshotRefresher(store: state.store, interval: config.refreshInterval) { generation, documents in
            state.metrics.snapshot(generation: generation, documents: documents)
        }
        let worker = TaskWorker(queue: state.tasks, store: state.store, metrics: state.metrics, lockWait: config.lockWait, log: log)
        var group = ServiceGroupConfiguration(
            services: [.init(service: refresher), .init(service: worker), .init(service: app)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A request that never ends must not keep the process alive: past these, the
        // services are cancelled, then the group gives up on them and the process exits.
        group.maximumGracefulShutdownDuration = .seconds(120)
        group.maximumCancellationDuration = .seconds(10)
        try await ServiceGroup(configuration: group).run()
    }
}
