#!/usr/bin/env python3
"""Per-query search latency by query class: Quarry against the shared bench's peers, the
peers' definition of a query's time for every engine, in one run (issue 15).

    python3 Benchmarks/latency.py CORPUS.jsonl [--fractions 0.1,0.3,1.0]
        [--engines quarry,tantivy,lucene] [--queries ../shared/bench/debdocs-queries.tsv]
        [--quarry .build/release/quarry] [--work DIR] [--runs 3] [--limit 10]

For each fraction F, the first round(F × N) documents of CORPUS (the prefix that
`speed.py --fractions` uses) are indexed by every engine: Quarry with `quarry index --format
beir`, peers with the shared bench's `worker.py build` (2 threads). Then, --runs times in
turn, every engine searches all queries top-k in one process each, after a warm-up pass in
that process:
- peers: `worker.py search` (in process, the search call and the ids; Lucene's JVM keeps
  warming up for $LUCENE_WARMUP_S seconds, 5 by default, as in speed.py);
- quarry: `quarry search --queries F --format trec --warmup 1 --timings T`, each query's
  microseconds from text to ranked ids (parse, analyse, look up, score, fetch the ids);
- quarry+titles: the same with `--format jsonl --snippets 0`: ranked ids and each hit's
  title, what the CLI and the server return.
A query's latency is its median over the runs. The tables give p50 / p95 / p99 (ms) of all
queries and of each class (t1 t2 t3 t5: 1/2/3/5 terms; ph: phrases, run as bags of words
as in speed.py), and Quarry's ratio to each peer.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BENCH = os.path.join(ROOT, "..", "shared", "bench")
CLASSES = ["all", "t1", "t2", "t3", "t5", "ph"]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def query_class(qid: str) -> str:
    return qid.split("-", 1)[0] if "-" in qid else "all"


def write_prefix(corpus: str, out: str, n: int) -> None:
    with open(corpus, "rb") as src, open(out, "wb") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)


def build(engine: str, corpus: str, index: str, args, bl) -> float:
    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    if engine == "quarry":
        cmd = [args.quarry, "index", "--index", index, "--format", "beir", "--quiet", corpus]
    else:
        py, note = bl.peer_python(engine, None)
        if py is None:
            raise RuntimeError(note)
        cmd = [py, os.path.join(BENCH, "worker.py"), "build", engine, index, "beir", corpus, "--threads", "2"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def search(engine: str, index: str, args, bl) -> dict:
    """One search pass in a fresh process: {qid: ms}."""
    run = os.path.join(args.work, "run.trec")
    if engine.startswith("quarry"):
        timings = os.path.join(args.work, "timings.tsv")
        fmt = ["--format", "jsonl", "--snippets", "0"] if engine == "quarry+titles" else ["--format", "trec"]
        subprocess.run([args.quarry, "search", "--index", index, "--queries", args.queries, *fmt,
                        "--limit", str(args.limit), "--warmup", "1", "--timings", timings],
                       check=True, stdout=subprocess.DEVNULL)
        out = {}
        for line in open(timings, encoding="utf-8"):
            qid, _, us = line.rstrip("\n").partition("\t")
            if us:
                out[qid] = float(us) / 1000.0
        return out
    py, _ = bl.peer_python(engine, None)
    p = subprocess.run([py, os.path.join(BENCH, "worker.py"), "search", engine, index, args.queries, run,
                        "--limit", str(args.limit), "--warmup", "1"], check=True, capture_output=True, text=True)
    lat = bl.last_json_line(p.stdout)["lat_ms"]
    qids = [q for q, _ in bl.read_queries_tsv(args.queries)]
    return dict(zip(qids, lat))


def stats(per_query: dict, bl) -> dict:
    by = {"all": list(per_query.values())}
    for q, ms in per_query.items():
        by.setdefault(query_class(q), []).append(ms)
    return {c: tuple(bl.percentile(v, p) for p in (50, 95, 99)) for c, v in by.items()}


def report(frac: float, docs: int, builds: dict, table: dict) -> None:
    engines = list(table)
    print(f"\n### {docs:,} documents (fraction {frac}), p50 / p95 / p99 ms\n")
    print("| engine | build s | " + " | ".join(CLASSES) + " |")
    print("|---|---|" + "---|" * len(CLASSES))
    for e in engines:
        b = f"{builds[e]:.1f}" if e in builds else ""
        cells = [" / ".join(f"{x:.3f}" for x in table[e][c]) if c in table[e] else "" for c in CLASSES]
        print(f"| {e} | {b} | " + " | ".join(cells) + " |")
    for q in [e for e in engines if e.startswith("quarry")]:
        for peer in [e for e in engines if not e.startswith("quarry")]:
            cells = [" / ".join(f"{a / b:.2f}" if b > 0 else "-" for a, b in zip(table[q][c], table[peer][c]))
                     if c in table[q] and c in table[peer] else "" for c in CLASSES]
            print(f"| {q} ÷ {peer} | " + (f"{builds[q] / builds[peer]:.2f}" if q in builds and peer in builds else "")
                  + " | " + " | ".join(cells) + " |")
    sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--fractions", default="1.0")
    ap.add_argument("--engines", default="quarry,tantivy,lucene")
    ap.add_argument("--queries", default=os.path.join(BENCH, "debdocs-queries.tsv"))
    ap.add_argument("--quarry", default=os.path.join(ROOT, ".build/release/quarry"))
    ap.add_argument("--work", default="/tmp/quarry-latency")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--limit", type=int, default=10)
    args = ap.parse_args()
    if not os.path.isdir(BENCH):
        sys.exit(f"{BENCH}: the shared bench is not there (its worker builds and searches the peers)")
    sys.path.insert(0, BENCH)
    import benchlib as bl  # noqa: E402

    args.queries = os.path.abspath(args.queries)
    args.quarry = os.path.abspath(args.quarry)
    os.makedirs(args.work, exist_ok=True)
    engines = args.engines.split(",")
    searched = [e for e in engines] + (["quarry+titles"] if "quarry" in engines else [])
    n_all = sum(1 for _ in open(args.corpus, "rb"))
    for frac in [float(f) for f in args.fractions.split(",")]:
        n = bl.prefix_count(n_all, frac)
        corpus = args.corpus
        if n < n_all:
            corpus = os.path.join(args.work, f"corpus-{n}.jsonl")
            write_prefix(args.corpus, corpus, n)
        builds, indexes = {}, {}
        for e in engines:
            indexes[e] = os.path.join(args.work, f"index-{e}")
            log(f"[{frac}] building {e} ...")
            builds[e] = build(e, corpus, indexes[e], args, bl)
        indexes["quarry+titles"] = indexes.get("quarry")
        passes = {e: [] for e in searched}
        for r in range(args.runs):
            for e in searched:
                log(f"[{frac}] run {r + 1}: searching {e} ...")
                passes[e].append(search(e, indexes[e], args, bl))
        table = {}
        for e in searched:
            qids = passes[e][0].keys()
            table[e] = stats({q: statistics.median(p[q] for p in passes[e]) for q in qids}, bl)
        report(frac, n, builds, table)
        if corpus != args.corpus:
            os.unlink(corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
