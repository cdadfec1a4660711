/// Damaged, truncated or foreign bytes: names the file, the byte offset and what was wrong.
package struct FormatError: Error, CustomStringConvertible, Sendable, Equatable {
    package var file: String
    package var offset: Int
    package var message: String

    package init(file: String, offset: Int, message: String) {
        self.file = file
        self.offset = offset
        self.message = message
    }

    package var description: String { "\(file): byte \(offset): \(message)" }
}

/// An operating-system call failed on a path, or a file was refused before it was read
/// (not a regular file, over a size limit: `detail` says so).
package struct SystemError: Error, CustomStringConvertible, Sendable, Equatable {
    package var path: String
    package var operation: String
    package var errno: Int32
    /// What was wrong, when it says more than the errno's text.
    package var detail: String?

    package init(path: String, operation: String, errno: Int32, detail: String? = nil) {
        self.path = path
        self.operation = operation
        self.errno = errno
        self.detail = detail
    }

    package var reason: String { detail ?? systemErrorMessage(errno) }

    package var description: String { "\(path): cannot \(operation): \(reason)" }
}
