/// How bodies are cut into passages. Recorded in the index.
public struct PassageSettings: Sendable, Equatable, Codable {
    /// Target passage length in words: sentences are packed into a passage until the next
    /// one would pass this.
    public var targetWords: Int
    /// Words of the previous passage (whole sentences) repeated at the start of the next one
    /// within the same block; 0 for none.
    public var overlapWords: Int

    public init(targetWords: Int = 60, overlapWords: Int = 0) {
        self.targetWords = targetWords
        self.overlapWords = overlapWords
    }

    public static let `default` = PassageSettings()

    /// A sentence longer than this is cut at word boundaries.
    package var maxWords: Int { max(targetWords * 2, 8) }

    package func validate() throws(PassageSettingsError) {
        guard targetWords >= 5 && targetWords <= 10_000 else {
            throw PassageSettingsError(message: "passage length must be between 5 and 10000 words, not \(targetWords)")
        }
        guard overlapWords >= 0 && overlapWords < targetWords else {
            throw PassageSettingsError(
                message: "passage overlap must be at least 0 and less than the passage length (\(targetWords)), not \(overlapWords)")
        }
    }
}

package struct PassageSettingsError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
