// swift-tools-version:6.0
// Quarry: a full-text search engine for Linux (Swift 6 language mode, strict concurrency).
//
// Dependency direction (never backwards):
//   QuarryCore → QuarryIngest → QuarryAnalysis → QuarryIndex → QuarrySearch → Quarry → quarry (CLI)
// (QuarryAnalysis does not import QuarryIngest; QuarryIndex uses both.)
import PackageDescription

let package = Package(
    name: "Quarry",
    products: [
        .library(name: "Quarry", targets: ["Quarry"]),
        .executable(name: "quarry", targets: ["quarry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
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

        // glibc's malloc.h (malloc_trim), which the Swift Glibc module does not export.
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),

        .target(name: "QuarryCore"),
        .target(name: "QuarryIngest", dependencies: ["QuarryCore", "CLibXML2", .product(name: "Ink", package: "Ink")]),
        .target(name: "QuarryAnalysis", dependencies: ["QuarryCore", "CStemmer"]),
        .target(name: "QuarryIndex", dependencies: ["QuarryCore", "QuarryIngest", "QuarryAnalysis", "CZstd", "CSystem"]),
        .target(name: "QuarrySearch", dependencies: ["QuarryIndex"]),
        .target(name: "Quarry", dependencies: ["QuarrySearch"]),
        .executableTarget(
            name: "quarry",
            dependencies: [
                "Quarry",
                "QuarryCore",
                "CSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Release-mode micro-benchmarks of the hot paths: swift run -c release quarry-bench --help
        .executableTarget(
            name: "quarry-bench",
            dependencies: ["Quarry", "QuarryCore", "QuarryIndex", "QuarryAnalysis"],
            path: "Benchmarks/QuarryBench"),

        // Release-mode extraction over documentation trees: swift run -c release quarry-extract-bench DIR...
        .executableTarget(
            name: "quarry-extract-bench",
            dependencies: ["QuarryIngest", "QuarryCore"],
            path: "Benchmarks/QuarryExtractBench"),

        .testTarget(name: "QuarryCoreTests", dependencies: ["QuarryCore"]),
        .testTarget(name: "QuarryIngestTests", dependencies: ["QuarryIngest", "QuarryCore"]),
        .testTarget(name: "QuarryAnalysisTests", dependencies: ["QuarryAnalysis"]),
        .testTarget(name: "QuarryIndexTests", dependencies: ["QuarryIndex", "QuarryCore"], exclude: ["Golden"]),
        .testTarget(name: "QuarrySearchTests", dependencies: ["QuarrySearch", "QuarryCore"]),
        .testTarget(name: "QuarryCLITests", dependencies: ["quarry", "QuarryAnalysis"]),
    ]
)
