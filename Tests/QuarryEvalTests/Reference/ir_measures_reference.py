#!/usr/bin/env python3
"""Reference figures from ir_measures, for Quarry's evaluation tests.

  python3 ir_measures_reference.py QRELS RUN [MEASURE ...]    (default: nDCG@10 R@100 RR@10 AP@1000 P@10)

QRELS is TREC (`qid 0 docid grade`) or BEIR TSV (`query-id<TAB>corpus-id<TAB>score`, a header
line allowed); RUN is a TREC run. Prints one JSON object:
  {"per_query": {MEASURE: {qid: value}}, "mean": {MEASURE: value},
   "rr_msmarco": {MEASURE: {qid: value}}}
Every measure comes from ir_measures' default pipeline (pytrec_eval, i.e. trec_eval, for
nDCG, R, AP and P), over the queries of the qrels. RR@k is the exception: ir_measures computes
RR@k with MS MARCO's script, which breaks score ties by document id ascending, while
trec_eval (and pytrec_eval's RR without a cutoff) breaks them by document id descending.
So RR@k here is ir_measures' RR (pytrec_eval) on the run cut to its first k documents in
trec_eval's order; ir_measures' own RR@k is reported as rr_msmarco (equal when no tie
straddles the first relevant document).
"""
import json
import sys

import ir_measures


def read_qrels(path):
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\r\n") for l in f if l.strip()]
    out = []
    first = lines[0].split("\t") if lines else []
    if len(first) == 3:  # BEIR TSV
        for i, l in enumerate(lines):
            q, d, g = [x.strip() for x in l.split("\t")]
            if i == 0 and not g.lstrip("+-").isdigit():
                continue
            out.append(ir_measures.Qrel(q, d, int(g)))
        return out
    return list(ir_measures.read_trec_qrels(path))


def main():
    qrels_path, run_path = sys.argv[1], sys.argv[2]
    names = sys.argv[3:] or ["nDCG@10", "R@100", "RR@10", "AP@1000", "P@10"]
    qrels = read_qrels(qrels_path)
    run = list(ir_measures.read_trec_run(run_path))
    qids = sorted({q.query_id for q in qrels})
    per_query, mean, msmarco = {}, {}, {}

    plain = [ir_measures.parse_measure(n) for n in names if not n.upper().startswith("RR@")]
    if plain:
        res = ir_measures.calc(plain, qrels, run)
        for m, n in zip(plain, [n for n in names if not n.upper().startswith("RR@")]):
            per_query[n] = {q: 0.0 for q in qids}
            mean[n] = res.aggregated[m]
        lookup = {str(m): n for m, n in zip(plain, [n for n in names if not n.upper().startswith("RR@")])}
        for metric in res.per_query:
            per_query[lookup[str(metric.measure)]][metric.query_id] = metric.value

    # The run as pytrec_eval sees it: one score per (query, document), the last line's.
    by_query = {}
    for sd in run:
        by_query.setdefault(sd.query_id, {})[sd.doc_id] = sd.score
    for n in names:
        if not n.upper().startswith("RR@"):
            continue
        k = int(n.split("@")[1])
        cut = []
        for q, docs in by_query.items():
            ranked = sorted(docs.items(), key=lambda x: (x[1], x[0]), reverse=True)[:k]
            cut += [ir_measures.ScoredDoc(q, d, s) for d, s in ranked]
        res = ir_measures.calc([ir_measures.RR], qrels, cut)
        per_query[n] = {q: 0.0 for q in qids}
        for metric in res.per_query:
            per_query[n][metric.query_id] = metric.value
        mean[n] = res.aggregated[ir_measures.RR]
        res = ir_measures.calc([ir_measures.parse_measure(n)], qrels, run)
        msmarco[n] = {q: 0.0 for q in qids}
        for metric in res.per_query:
            msmarco[n][metric.query_id] = metric.value
    json.dump({"per_query": per_query, "mean": mean, "rr_msmarco": msmarco}, sys.stdout)


if __name__ == "__main__":
    main()
