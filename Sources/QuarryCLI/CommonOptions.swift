import ArgumentParser
import Quarry

/// `--index DIR`, shared by every command.
package struct IndexLocation: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Index directory.", valueName: "dir"))
    package var index: String = "Index"

    package init() {}
}

/// BM25 and result options shared by search modes.
package struct ScoringOptions: ParsableArguments {
    @Option(help: ArgumentHelp("BM25 term-frequency saturation.", valueName: "k1"))
    package var k1: Double = 0.9

    @Option(name: .customLong("b"), help: ArgumentHelp("BM25 length normalisation of the flat form and of passages (0–1).", valueName: "b"))
    package var b: Double = 0.4

    @Option(
        help: ArgumentHelp(
            "bm25f: title and body weighted, each normalised by its own length, combined before saturation (default); flat: title and body as one field; fields: each field scored on its own, weighted.",
            valueName: "mode"))
    package var scoring: ScoringMode = .bm25f

    @Option(
        help: ArgumentHelp(
            "Weight of the title field (under bm25f multiplied by average body length / average title length).",
            valueName: "w"))
    package var titleWeight: Double = 1

    @Option(help: ArgumentHelp("Weight of the body field.", valueName: "w"))
    package var bodyWeight: Double = 1

    @Option(
        name: .customLong("title-b"),
        help: ArgumentHelp(
            "Length normalisation of the title field (0–1; bm25f default \(BM25Parameters.bm25fTitleB), otherwise --b).", valueName: "b"))
    package var titleB: Double?

    @Option(
        name: .customLong("body-b"),
        help: ArgumentHelp(
            "Length normalisation of the body field (0–1; bm25f default \(BM25Parameters.bm25fBodyB), otherwise --b).", valueName: "b"))
    package var bodyB: Double?

    package init() {}

    package var parameters: BM25Parameters {
        BM25Parameters(k1: k1, b: b, mode: scoring, titleWeight: titleWeight, bodyWeight: bodyWeight, titleB: titleB, bodyB: bodyB)
    }

    package func validate() throws {
        guard k1 >= 0 && k1.isFinite else { throw ValidationError("--k1 must be a non-negative number") }
        for (name, value) in [("--b", b), ("--title-b", titleB ?? 0), ("--body-b", bodyB ?? 0)] {
            guard value >= 0 && value <= 1 else { throw ValidationError("\(name) must be between 0 and 1") }
        }
        for (name, value) in [("--title-weight", titleWeight), ("--body-weight", bodyWeight)] {
            guard value >= 0 && value <= 10_000 else { throw ValidationError("\(name) must be a number from 0 to 10000") }
        }
    }
}

extension ScoringMode: ExpressibleByArgument {}
extension SnippetOrder: ExpressibleByArgument {}
extension SourceFormat: ExpressibleByArgument {}
extension QuerySyntax: ExpressibleByArgument {}
extension ColorChoice: ExpressibleByArgument {}
