/// Damaged, truncated or foreign bytes: names the file, the byte offset and what was wrong.
@usableFromInline package struct FormatError: Error, CustomStringConvertible, Sendable, Equatable {
    package var file: String
    package var offset: Int
    package var message: String

    package init(file: String, offset: Int, message: String) {
        self.file = file
        self.offset = offset
        self.message = message
    }

    @usableFromInline package var description: String { "\(file): byte \(offset): \(message)" }
}

/// An operating-system call failed on a path.
package struct SystemError: Error, CustomStringConvertible, Sendable, Equatable {
    package var path: String
    package var operation: String
    package var errno: Int32

    package init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    package var reason: String { systemErrorMessage(errno) }

    package var description: String { "\(path): cannot \(operation): \(reason)" }
}
