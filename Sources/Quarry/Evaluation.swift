// Relevance evaluation, the façade's names for QuarryEval's types:
//
//     let qrels = try Qrels(contentsOf: "scifact/qrels/test.tsv")
//     let before = Evaluation(run: try Run(contentsOf: "before.trec"), qrels: qrels)
//     let after = Evaluation(run: try Run(contentsOf: "after.trec"), qrels: qrels)
//     for row in try Comparison(before, after).rows { print(row.measure, row.difference, row.pValue) }
//
// The measures are trec_eval's as ir_measures computes them (README, *Evaluation*). Reading
// and comparing throw `QuarryError` (`malformedInput` names the file and line of bad input).

import QuarryEval

/// Relevance judgments (TREC qrels or BEIR TSV): each query's graded documents.
public typealias Qrels = QuarryEval.Qrels
/// A TREC run: each query's scored documents, in trec_eval's order.
public typealias Run = QuarryEval.Run
/// The text of each query, from BEIR `queries.jsonl` or `qid<TAB>text` lines.
public typealias QuerySet = QuarryEval.QuerySet
/// nDCG@k, R@k, RR@k, AP@k or P@k.
public typealias Measure = QuarryEval.Measure
/// A run scored against qrels: each measure per query and its mean.
public typealias Evaluation = QuarryEval.Evaluation
/// Two evaluations compared: means, difference and a paired randomisation test's p-value.
public typealias Comparison = QuarryEval.Comparison
