import Foundation
import Hummingbird

/// Who may do what: the bearer token, writes, the directories `POST /index` may read, and
/// the browser origins that may call `/mcp`.
struct AccessPolicy: Sendable {
    let token: String?
    /// Real paths of the `--allow-path` directories.
    let allowedPaths: [String]
    let allowedOrigins: [String]

    /// Checks `Authorization: Bearer …` when a token is configured.
    func authorize(_ request: Request) throws(APIError) {
        guard let token else { return }
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("this server needs a token: send Authorization: Bearer TOKEN")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("the Authorization header must be 'Bearer TOKEN'")
        }
        guard constantTimeEqual(Array(parts[1].utf8), Array(token.utf8)) else {
            throw APIError.unauthorized("the token is not valid")
        }
    }

    /// Writes need a configured token (and `authorize` has checked it).
    func authorizeWrite() throws(APIError) {
        guard token != nil else {
            throw APIError.forbidden(
                "writes_disabled", "this server takes no writes: start it with --token T (or QUARRY_TOKEN) and send Authorization: Bearer T"
            )
        }
    }

    /// The real path of a directory or file named in a request, if it lies inside an
    /// allowed directory; an error naming the field otherwise. Nothing is opened here but
    /// the path's components (to resolve links); the walk that follows starts from the
    /// resolved path.
    func resolve(_ path: String, field: String) throws(APIError) -> String {
        guard !allowedPaths.isEmpty else {
            throw APIError.forbidden("path_not_allowed", "this server indexes no directories: start it with --allow-path DIR")
        }
        guard !path.isEmpty, !path.unicodeScalars.contains(where: { $0.value == 0 }) else {
            throw APIError.badRequest("\(field) must be a non-empty path", field: field)
        }
        // Relative paths are read against the first allowed directory.
        let full = path.hasPrefix("/") ? path : allowedPaths[0] + "/" + path
        guard let real = realPath(full) else {
            // Do not tell whether something exists outside the allowed directories.
            let lexical = (full as NSString).standardizingPath
            guard allowedPaths.contains(where: { inside(lexical, $0) }) else {
                throw outside(field)
            }
            throw APIError.badRequest("\(field): no such file or directory: \(path)", field: field)
        }
        guard allowedPaths.contains(where: { inside(real, $0) }) else { throw outside(field) }
        return real
    }

    private func outside(_ field: String) -> APIError {
        var e = APIError.forbidden(
            "path_not_allowed", "\(field) is outside the directories this server may index (\(allowedPaths.joined(separator: ", ")))")
        e.field = field
        return e
    }

    private func inside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// A browser's `Origin` must be a loopback origin or one allowed with `--allow-origin`
    /// (requests without one, from programs, pass): a web page must not drive the MCP
    /// endpoint of a local server (DNS rebinding).
    func checkOrigin(_ request: Request) throws(APIError) {
        guard let origin = request.headers[.origin] else { return }
        if allowedOrigins.contains(origin) { return }
        if let url = URL(string: origin), let host = url.host?.lowercased(),
            ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host), url.scheme == "http" || url.scheme == "https"
        {
            return
        }
        throw APIError.forbidden(
            "origin_not_allowed",
            "requests from the origin \(origin) are not allowed (start the server with --allow-origin \(origin) to allow it)")
    }
}

/// Compares secrets in time that does not depend on where they differ.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var diff = UInt8(a.count == b.count ? 0 : 1)
    for i in 0..<max(a.count, b.count) {
        diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
    }
    return diff == 0
}
