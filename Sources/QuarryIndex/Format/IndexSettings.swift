import QuarryAnalysis
import QuarryDocument

/// Settings an index is built with; the same are used for every later update and search.
public struct IndexSettings: Sendable, Equatable {
    public var analyzer: AnalyzerSettings
    public var passages: PassageSettings

    public init(analyzer: AnalyzerSettings = .default, passages: PassageSettings = .default) {
        self.analyzer = analyzer
        self.passages = passages
    }

    public static let `default` = IndexSettings()
}
