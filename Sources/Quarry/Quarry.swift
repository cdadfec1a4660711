// The public face of Quarry for other Swift programs. `import Quarry` gives:
//
// - `Index`: open or create an index, its statistics, a full check;
// - `IndexWriter`: sync files and directories, add and delete documents, commit;
// - `Searcher`: ranked documents and passages with snippets, stored documents, explanations,
//   over one snapshot of the index, safe to share between threads;
// - the query tree (`Query`), options, results, `QuarryError`, and `JSONContract`;
// - relevance evaluation: `Qrels`, `Run`, `Measure`, `Evaluation`, `Comparison` (Evaluation.swift).
//
// The machinery (formats, postings, scoring internals) lives in the other modules of the
// package with `package` access; the value types below are theirs, named here.

import QuarryAnalysis
import QuarryCollection
import QuarryDocument
import QuarryIndex
import QuarryIngest
import QuarrySearch

// MARK: Documents

/// A document to index: id, path, title and body text with its block structure.
public typealias Article = QuarryDocument.Article
/// A block of an article's body (a paragraph, heading, list item, table cell or
/// preformatted text), as a UTF-8 byte range.
public typealias TextBlock = QuarryDocument.TextBlock
/// What a block was in its source.
public typealias BlockKind = QuarryDocument.BlockKind
/// A passage of a stored body, as a UTF-8 byte range.
public typealias PassageSpan = QuarryDocument.PassageSpan
/// A problem with one input (a file, a line), reported and skipped.
public typealias IngestIssue = QuarryDocument.IngestIssue
/// A document as the index stores it: text, blocks and passages.
public typealias StoredDocument = QuarryIndex.StoredDocument
/// Dates as seconds since 1970 (UTC), read from and written as ISO 8601 text.
public typealias ISODate = QuarryDocument.ISODate

// MARK: Indexes

/// What an index is built with: analysis and passages. Fixed until a rebuild.
public typealias IndexSettings = QuarryIndex.IndexSettings
/// Analysis: stemmer language, stopwords, diacritic folding.
public typealias AnalyzerSettings = QuarryAnalysis.AnalyzerSettings
/// How bodies are cut into passages.
public typealias PassageSettings = QuarryDocument.PassageSettings
/// Threads, RAM budget and compression of an indexing run.
public typealias WriterOptions = QuarryIndex.WriterOptions
/// Progress of an indexing run.
public typealias IndexingProgress = QuarryIndex.IndexingProgress
/// The kind of an input file.
public typealias SourceFormat = QuarryIngest.SourceFormat
/// What a sync (or an add) did.
public typealias SyncReport = QuarryCollection.SyncReport
/// What a walk left out, by reason (hidden, excluded, generated, …).
public typealias WalkCounts = QuarryCollection.WalkCounts
/// The outcome of `Index.check()`.
public typealias CheckReport = QuarryIndex.CheckReport
/// One problem `Index.check()` found.
public typealias CheckProblem = QuarryIndex.CheckProblem

// MARK: Queries and results

/// A query as a tree (docs/QUERY.md).
public typealias Query = QuarrySearch.Query
/// A field a query clause can be limited to.
public typealias QueryField = QuarrySearch.QueryField
/// How a clause of a boolean query takes part in matching.
public typealias Occur = QuarrySearch.Occur
/// The operator between free words of query text.
public typealias QueryOperator = QuarrySearch.QueryOperator
/// How query text is read: the query language or a bag of words.
public typealias QuerySyntax = QuarrySearch.QuerySyntax
/// How a query is read and scored (fixed when it is prepared).
public typealias QueryOptions = QuarrySearch.QueryOptions
/// BM25 parameters and the scoring of fields.
public typealias BM25Parameters = QuarrySearch.BM25Parameters
/// How title and body are scored.
public typealias ScoringMode = QuarrySearch.ScoringMode
/// A query resolved against one searcher's snapshot, ready to run.
public typealias PreparedQuery = QuarrySearch.PreparedQuery
/// Something a search wants its caller to know about how it read the query.
public typealias QueryNotice = QuarrySearch.QueryNotice
/// What a search returns: the page of results and what each carries.
public typealias SearchOptions = QuarrySearch.SearchOptions
/// How snippets are ordered.
public typealias SnippetOrder = QuarrySearch.SnippetOrder
/// A ranked document with its title, highlights and best passages.
public typealias DocumentResult = QuarrySearch.DocumentResult
/// A ranked passage.
public typealias PassageHit = QuarrySearch.PassageHit
/// A passage of a result, with offsets and highlights.
public typealias PassageResult = QuarrySearch.PassageResult
/// The cropped part of a snippet (`SearchOptions.snippetWords`), with exact offsets.
public typealias SnippetCrop = QuarrySearch.SnippetCrop
/// A query word as it appears in stored text, with exact offsets.
public typealias TextHighlight = QuarrySearch.TextHighlight
/// How a score was computed.
public typealias ScoreExplanation = QuarrySearch.ScoreExplanation
/// One part of a score (a term or phrase in a field).
public typealias ScorePart = QuarrySearch.ScorePart
/// One field of a BM25F part: its weighted, length-normalised frequency.
public typealias FieldPart = QuarrySearch.FieldPart
/// A term of a part, with its document frequency and idf.
public typealias ExplainedTerm = QuarrySearch.ExplainedTerm
/// A document id and its score (the fast result form).
public typealias ScoredID = QuarrySearch.ScoredID
