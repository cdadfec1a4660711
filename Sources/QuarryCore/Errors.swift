/// Damaged, truncated or foreign bytes: names the file, the byte offset and what was wrong.
public struct FormatError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var offset: Int
    public var message: String

    public init(file: String, offset: Int, message: String) {
        self.file = file
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(file): byte \(offset): \(message)" }
}

/// An operating-system call failed on a path.
public struct SystemError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var operation: String
    public var errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    public var reason: String { systemErrorMessage(errno) }

    public var description: String { "\(path): cannot \(operation): \(reason)" }
}
