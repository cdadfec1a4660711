// The public face of Quarry for other Swift programs: `import Quarry` gives the whole
// library API (indexing, searching, passages, the JSON contract, relevance evaluation).
//
//     let writer = try IndexWriter(directory: "Index")
//     let report = try writer.index(paths: ["Corpus"], format: .auto)
//     try writer.commit()
//
//     let searcher = try Searcher(directory: "Index")
//     for hit in try searcher.search("norepinephrine deficiency") { print(hit.rank, hit.id, hit.score) }
//     for hit in try searcher.passages("norepinephrine deficiency") { print(hit.id, hit.passage.text) }
@_exported import QuarryAnalysis
@_exported import QuarryEval
@_exported import QuarryIndex
@_exported import QuarryIngest
@_exported import QuarrySearch
