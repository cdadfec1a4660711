/// A passage: a byte range of the body. A passage never crosses a block boundary, except
/// that a heading is kept with the start of the passage it introduces.
public struct PassageSpan: Sendable, Equatable, Codable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}
