import ArgumentParser
import Quarry

/// `--index DIR`, shared by every command.
struct IndexLocation: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Index directory.", valueName: "dir"))
    var index: String = "Index"
}

/// BM25 and result options shared by search modes.
struct ScoringOptions: ParsableArguments {
    @Option(help: ArgumentHelp("BM25 term-frequency saturation.", valueName: "k1"))
    var k1: Double = 0.9

    @Option(name: .customLong("b"), help: ArgumentHelp("BM25 length normalisation (0–1).", valueName: "b"))
    var b: Double = 0.4

    @Option(help: ArgumentHelp("flat: title and body as one field (default); fields: each field scored on its own, weighted.", valueName: "mode"))
    var scoring: ScoringMode = .flat

    @Option(help: ArgumentHelp("Weight of the title field (with --scoring fields).", valueName: "w"))
    var titleWeight: Double = 1

    @Option(help: ArgumentHelp("Weight of the body field (with --scoring fields).", valueName: "w"))
    var bodyWeight: Double = 1

    var parameters: BM25Parameters {
        BM25Parameters(k1: k1, b: b, mode: scoring, titleWeight: titleWeight, bodyWeight: bodyWeight)
    }

    func validate() throws {
        guard k1 >= 0 && k1.isFinite else { throw ValidationError("--k1 must be a non-negative number") }
        guard b >= 0 && b <= 1 else { throw ValidationError("--b must be between 0 and 1") }
        guard titleWeight >= 0 && titleWeight <= 10_000 && bodyWeight >= 0 && bodyWeight <= 10_000 else {
            throw ValidationError("--title-weight and --body-weight must be numbers from 0 to 10000")
        }
    }
}

extension ScoringMode: ExpressibleByArgument {}
extension SnippetOrder: ExpressibleByArgument {}
extension SourceFormat: ExpressibleByArgument {}
extension QuerySyntax: ExpressibleByArgument {}
