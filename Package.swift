// swift-tools-version:6.0
// Quarry: a full-text search engine for Linux (Swift 6 language mode, strict concurrency).
//
// Modules, each with one job; dependencies point one way only (docs/ARCHITECTURE.md):
//
//   QuarryCore        bytes, checksums, files, errors of the lowest layer
//   QuarryDocument    the document model: articles, blocks, passages      → Core
//   QuarryAnalysis    tokenizer, folding, stopwords, stemmers              → Core
//   QuarryIngest      HTML, text, Markdown, JSON Lines → articles          → Core, Document
//   QuarryIndex       segments, commits, deletions, merges, readers        → Core, Document, Analysis
//   QuarrySearch      queries, BM25, top-k, passages, highlights           → Index, Analysis, Document
//   QuarryCollection  walks sources, fingerprints them, syncs an index     → Ingest, Index
//   QuarryEval        qrels, runs, trec_eval's measures, significance      → Core, Ingest
//   Quarry            the public façade (`import Quarry`) and JSON contract → Search, Collection, Eval
//   QuarryServer      `quarry serve` (HTTP JSON API) and `quarry mcp`      → Quarry, Hummingbird, MCP
//   quarry            the command line                                     → Quarry, QuarryServer
import PackageDescription

let package = Package(
    name: "Quarry",
    products: [
        .library(name: "Quarry", targets: ["Quarry"]),
        .executable(name: "quarry", targets: ["quarry"]),
        // The servers, run by `quarry serve` and `quarry mcp` from beside `quarry`.
        .executable(name: "quarry-server", targets: ["quarry-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        // `quarry serve` and `quarry mcp` (QuarryServer).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // `swift package generate-documentation --target Quarry` (the DocC catalog).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        // Markdown → HTML for the Markdown extractor.
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        // System libraries: module maps only.
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CStemmer", path: "Sources/CStemmer",
            providers: [.apt(["libstemmer-dev"])]),
        .systemLibrary(
            name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),

        // xxHash (XXH64 checksums).
        .systemLibrary(name: "CXXHash", path: "Sources/CXXHash", providers: [.apt(["libxxhash-dev"])]),

        // glibc's malloc.h (malloc_trim, mallopt), which the Swift Glibc module does not export.
        // (Not "CSystem": swift-system, which the server's packages use, has a target of that name.)
        .systemLibrary(name: "CQuarrySystem", path: "Sources/CQuarrySystem"),

        .target(name: "QuarryCore", dependencies: ["CXXHash"]),
        .target(name: "QuarryDocument", dependencies: ["QuarryCore"]),
        .target(name: "QuarryAnalysis", dependencies: ["QuarryCore", "CStemmer"]),
        .target(
            name: "QuarryIngest",
            dependencies: ["QuarryCore", "QuarryDocument", "CLibXML2", .product(name: "Ink", package: "Ink")]),
        .target(
            name: "QuarryIndex",
            dependencies: [
                "QuarryCore", "QuarryDocument", "QuarryAnalysis", "CZstd", "CQuarrySystem",
                .product(name: "HeapModule", package: "swift-collections"),
            ]),
        .target(
            name: "QuarrySearch",
            dependencies: ["QuarryCore", "QuarryDocument", "QuarryAnalysis", "QuarryIndex"]),
        .target(
            name: "QuarryCollection",
            dependencies: ["QuarryCore", "QuarryDocument", "QuarryIngest", "QuarryIndex"]),
        .target(name: "QuarryEval", dependencies: ["QuarryCore"]),
        .target(
            name: "Quarry",
            dependencies: [
                "QuarryCore", "QuarryDocument", "QuarryAnalysis", "QuarryIndex", "QuarrySearch", "QuarryCollection", "QuarryEval",
            ]),
        // The HTTP JSON API and the MCP server over one index (imports only the façade).
        .target(
            name: "QuarryServer",
            dependencies: [
                "Quarry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        // What the two executables share: common options, exit codes, terminal output.
        .target(
            name: "QuarryCLI",
            dependencies: ["Quarry", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Every command but the servers: without the networking stack, a one-shot command
        // starts in a few milliseconds (ServerLauncher.swift has the figures).
        .executableTarget(
            name: "quarry",
            dependencies: [
                "Quarry",
                "QuarryCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "quarry-server",
            dependencies: [
                "Quarry",
                "QuarryCLI",
                "QuarryServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Release-mode micro-benchmarks of the hot paths: swift run -c release quarry-bench --help
        .executableTarget(
            name: "quarry-bench",
            dependencies: ["QuarryCore", "QuarryDocument", "QuarryAnalysis", "QuarryIngest", "QuarryIndex", "QuarrySearch"],
            path: "Benchmarks/QuarryBench"),

        // Release-mode extraction over documentation trees: swift run -c release quarry-extract-bench DIR...
        .executableTarget(
            name: "quarry-extract-bench",
            dependencies: ["QuarryCollection", "QuarryIngest", "QuarryDocument", "QuarryCore"],
            path: "Benchmarks/QuarryExtractBench"),

        // Fuzzing (scripts/fuzz): the targets, libFuzzer's driver (weak: a plain build replays
        // inputs), and the executable that runs them.
        .target(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"),
        .target(
            name: "QuarryFuzzTargets",
            dependencies: ["QuarryCore", "QuarryDocument", "QuarryAnalysis", "QuarryIngest", "QuarryIndex", "QuarrySearch"],
            path: "Fuzz/Targets"),
        .executableTarget(name: "quarry-fuzz", dependencies: ["QuarryFuzzTargets", "CFuzzerDriver"], path: "Fuzz/Driver"),

        .testTarget(name: "QuarryCoreTests", dependencies: ["QuarryCore"]),
        .testTarget(name: "QuarryDocumentTests", dependencies: ["QuarryDocument"]),
        .testTarget(name: "QuarryIngestTests", dependencies: ["QuarryIngest", "QuarryDocument", "QuarryCore"]),
        .testTarget(name: "QuarryAnalysisTests", dependencies: ["QuarryAnalysis"]),
        .testTarget(
            name: "QuarryIndexTests", dependencies: ["QuarryIndex", "QuarryDocument", "QuarryCore", "QuarryIngest"], exclude: ["Golden"]),
        .testTarget(
            name: "QuarrySearchTests",
            dependencies: [
                "QuarrySearch", "QuarryIndex", "QuarryDocument", "QuarryCore", "QuarryAnalysis", "QuarryIngest", "QuarryCollection",
            ]),
        .testTarget(
            name: "QuarryCollectionTests",
            dependencies: ["QuarryCollection", "QuarryIngest", "QuarryIndex", "QuarryDocument", "QuarryCore"],
            exclude: ["Golden"]),
        .testTarget(name: "QuarryEvalTests", dependencies: ["QuarryEval", "QuarryCore"], exclude: ["Reference"]),
        .testTarget(name: "QuarryTests", dependencies: ["Quarry"]),
        .testTarget(name: "QuarryCLITests", dependencies: ["quarry", "QuarryAnalysis"]),
        // The built `quarry serve` and `quarry mcp`, driven over HTTP and by the official
        // Python MCP client (Python/).
        .testTarget(name: "QuarryServerTests", dependencies: ["quarry", "quarry-server", "Quarry"], exclude: ["Python"]),
        .testTarget(name: "QuarryFuzzTests", dependencies: ["QuarryFuzzTargets"]),
    ]
)
