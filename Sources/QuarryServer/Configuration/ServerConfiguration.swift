import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How `quarry serve` runs: where it listens, who may use it, and its limits.
public struct ServerConfiguration: Sendable {
    /// The index directory (it may not exist yet: the first write creates it).
    public var indexDirectory: String
    /// Address to listen on; anything but loopback needs a token.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 picks a free one (the address printed at start says which).
    public var port: Int = 7700
    /// Bearer token: with one, every route but `/health` needs `Authorization: Bearer TOKEN`;
    /// without one, writes are refused.
    public var token: String?
    /// Directories `POST /index` may read (each resolved to its real path at start).
    public var allowedPaths: [String] = []
    /// Largest request body accepted.
    public var maxBodyBytes: Int = 16 << 20
    /// Longest query text accepted, in characters.
    public var maxQueryLength: Int = 4096
    /// Largest `limit` and `offset` of a search.
    public var maxLimit: Int = 1000
    public var maxOffset: Int = 10_000
    /// Longest time a request may take before it is answered 503 (searches and reads).
    public var requestTimeout: Duration = .seconds(10)
    /// How often the index's generation is read to notice commits of other writers.
    public var refreshInterval: Duration = .milliseconds(200)
    /// Threads that run searches (default: one per core).
    public var searchThreads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// How long a write task waits for the writer lock held by another process.
    public var lockWait: Duration = .seconds(30)
    /// Bytes of request bodies that may wait in the task queue.
    public var maxQueuedBytes: Int = 256 << 20
    /// Origins (scheme://host[:port]) allowed to call `/mcp` besides loopback ones.
    public var allowedOrigins: [String] = []
    /// The version reported by `/health` and to MCP clients.
    public var version = "0.1.0"

    public init(indexDirectory: String) {
        self.indexDirectory = indexDirectory
    }

    /// Whether `host` is a loopback address (or `localhost`).
    public var bindsLoopbackOnly: Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" || h == "[::1]" { return true }
        let parts = h.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Checks the configuration and resolves the allowed directories to their real paths.
    public func validated() throws(ServerError) -> ServerConfiguration {
        var c = self
        guard (0...65535).contains(port) else { throw .configuration("--port must be between 0 and 65535, not \(port)") }
        if let t = token {
            guard t.count >= 8 else { throw .configuration("--token must be at least 8 characters") }
            guard t.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
                throw .configuration("--token must be printable ASCII without spaces")
            }
        }
        if !bindsLoopbackOnly && token == nil {
            throw .configuration(
                "listening on \(host) would expose the index beyond this machine without a token: give --token T (or set QUARRY_TOKEN), or keep the default --host 127.0.0.1"
            )
        }
        guard maxBodyBytes >= 1024 else { throw .configuration("--max-body-mb must be at least 1") }
        guard searchThreads >= 1 else { throw .configuration("--search-threads must be at least 1") }
        guard requestTimeout > .zero else { throw .configuration("--timeout-ms must be at least 1") }
        c.allowedPaths = try allowedPaths.map { (p: String) throws(ServerError) -> String in
            guard let real = realPath(p) else { throw .configuration("--allow-path \(p): no such directory") }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .configuration("--allow-path \(p): not a directory")
            }
            return real
        }
        return c
    }
}

/// Why the server cannot start.
public enum ServerError: Error, Sendable, CustomStringConvertible {
    /// A bad option or combination of options.
    case configuration(String)
    /// The address could not be bound, or the server failed.
    case startup(String)

    public var description: String {
        switch self {
        case .configuration(let s), .startup(let s): return s
        }
    }
}

/// The canonical absolute path of an existing file (symbolic links, `.` and `..` resolved).
func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
}
