#!/usr/bin/env python3
"""Phrase-query latency: Quarry against tantivy on the same corpus, in the same run.

    python3 Benchmarks/phrases.py CORPUS.jsonl [--phrases ../shared/bench/debdocs-phrases.tsv]
        [--work DIR] [--quarry .build/release/quarry] [--limit 10] [--runs 3] [--reuse]

Both engines index CORPUS (BEIR JSON lines) once: Quarry with `quarry index --format
beir`, tantivy with the shared bench's worker (en_stem on title and text). Each phrase of
the file (qid<TAB>words) is then searched as an exact phrase, top-k:
- tantivy: parse_query('"words"', ["title", "text"]), search(k, count=False) and the
  stored id of every hit, timed per query in process after one warm-up pass;
- Quarry: `quarry search --queries … --syntax query --format trec --warmup 1 --timings F`,
  each query's time from text to ranked ids in process (parse, analyse, look up, match,
  rank, fetch the ids) after one in-process warm-up pass: the peers' definition; also
  `--format jsonl --snippets 0` timed the same way (the same plus each hit's title, what
  the CLI and server return), and the whole process's wall time divided by the query count
  (start-up and index opening included), as ../shared/bench/ reports Quarry.
Latencies are the median over --runs of each statistic. Also reported: how many phrases
found anything in each engine, and the mean top-k overlap (the engines' stemmers and
stopwords differ, so this is a sanity check, not a quality measure).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BENCH = os.path.join(ROOT, "..", "shared", "bench")

TANTIVY_SEARCH = r"""
import json, sys, time
import tantivy
index_dir, phrases_path, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
phrases = [l.rstrip("\n").split("\t", 1) for l in open(phrases_path, encoding="utf-8") if "\t" in l]
index = tantivy.Index.open(index_dir)
index.reload()
searcher = index.searcher()
def run(text):
    q = index.parse_query('"' + text.replace('"', " ") + '"', ["title", "text"])
    res = searcher.search(q, k, count=False)
    return [searcher.doc(addr).get_first("id") for _score, addr in res.hits]
for _qid, text in phrases:
    run(text)
out = {}
lat = []
for qid, text in phrases:
    t0 = time.perf_counter()
    ids = run(text)
    lat.append((time.perf_counter() - t0) * 1000.0)
    out[qid] = ids
print(json.dumps({"lat_ms": lat, "hits": out}))
"""


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def build(args, phrases):
    q_index = os.path.join(args.work, "quarry")
    t_index = os.path.join(args.work, "tantivy")
    times = {}
    if not (args.reuse and os.path.isdir(q_index)):
        subprocess.run(["rm", "-rf", q_index], check=True)
        t0 = time.perf_counter()
        subprocess.run([args.quarry, "index", "--index", q_index, "--format", "beir", "--quiet", args.corpus], check=True)
        times["quarry"] = time.perf_counter() - t0
    if not (args.reuse and os.path.isdir(t_index)):
        subprocess.run(["rm", "-rf", t_index], check=True)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, os.path.join(BENCH, "worker.py"), "build", "tantivy", t_index, "beir", args.corpus,
                        "--threads", "2"], check=True, stdout=subprocess.DEVNULL)
        times["tantivy"] = time.perf_counter() - t0
    return q_index, t_index, times


def quarry_run(args, index, queries_tsv):
    """Ids only, timed per query by --timings after a warm-up pass: (wall s, ms list, hits)."""
    timings = os.path.join(args.work, "timings.tsv")
    cmd = [args.quarry, "search", "--index", index, "--queries", queries_tsv, "--syntax", "query", "--format", "trec",
           "--limit", str(args.limit), "--warmup", "1", "--timings", timings]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    hits = {}
    for line in out.splitlines():
        qid, _q0, doc = line.split(" ")[:3]
        hits.setdefault(qid, []).append(doc)
    lat = [float(l.split("\t")[1]) / 1000.0 for l in open(timings, encoding="utf-8") if "\t" in l]
    return wall, lat, hits


def quarry_titles_run(args, index, queries_tsv):
    """Ids and titles (JSON lines without snippets), timed the same way: ms list."""
    timings = os.path.join(args.work, "timings-titles.tsv")
    cmd = [args.quarry, "search", "--index", index, "--queries", queries_tsv, "--syntax", "query", "--format", "jsonl",
           "--snippets", "0", "--limit", str(args.limit), "--warmup", "1", "--timings", timings]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    return [float(l.split("\t")[1]) / 1000.0 for l in open(timings, encoding="utf-8") if "\t" in l]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--phrases", default=os.path.join(BENCH, "debdocs-phrases.tsv"))
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "quarry-phrases"))
    ap.add_argument("--quarry", default=os.path.join(ROOT, ".build", "release", "quarry"))
    ap.add_argument("--limit", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--reuse", action="store_true", help="reuse indexes already built under --work")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)

    phrases = [l.rstrip("\n").split("\t", 1) for l in open(args.phrases, encoding="utf-8") if "\t" in l]
    queries_tsv = os.path.join(args.work, "phrases-quoted.tsv")
    with open(queries_tsv, "w", encoding="utf-8") as f:
        for qid, text in phrases:
            f.write(f'{qid}\t"{text.replace(chr(34), " ")}"\n')
    q_index, t_index, build_s = build(args, phrases)
    tantivy_script = os.path.join(args.work, "tantivy_phrases.py")
    with open(tantivy_script, "w") as f:
        f.write(TANTIVY_SEARCH)

    quarry_run(args, q_index, queries_tsv)  # warm-up: page cache
    q_p50, q_p95, q_mean, q_proc, t_p50, t_p95, t_mean = ([] for _ in range(7))
    qt_p50, qt_p95, qt_mean = [], [], []
    q_hits = t_hits = {}
    for _ in range(args.runs):
        wall, lat, q_hits = quarry_run(args, q_index, queries_tsv)
        q_p50.append(pct(lat, 50)); q_p95.append(pct(lat, 95)); q_mean.append(statistics.mean(lat))
        q_proc.append(wall * 1000.0 / len(phrases))
        lat = quarry_titles_run(args, q_index, queries_tsv)
        qt_p50.append(pct(lat, 50)); qt_p95.append(pct(lat, 95)); qt_mean.append(statistics.mean(lat))
        out = subprocess.run([sys.executable, tantivy_script, t_index, args.phrases, str(args.limit)],
                             check=True, capture_output=True, text=True).stdout
        t = json.loads(out)
        t_hits = t["hits"]
        t_p50.append(pct(t["lat_ms"], 50)); t_p95.append(pct(t["lat_ms"], 95)); t_mean.append(statistics.mean(t["lat_ms"]))

    med = statistics.median
    overlaps = []
    for qid, _ in phrases:
        a, b = set(q_hits.get(qid, [])), set(t_hits.get(qid, []))
        overlaps.append(1.0 if not a and not b else len(a & b) / max(len(a), len(b)))
    print(f"phrases: {len(phrases)} from {args.phrases}; top-{args.limit}; median of {args.runs} runs")
    if build_s:
        print("build s: " + ", ".join(f"{k} {v:.1f}" for k, v in build_s.items()))
    print()
    print("| engine | p50 ms | p95 ms | mean ms | phrases with hits |")
    print("|---|---|---|---|---|")
    print(f"| quarry (in process, ids: --timings) | {med(q_p50):.3f} | {med(q_p95):.3f} | {med(q_mean):.3f} | {sum(1 for v in q_hits.values() if v)} |")
    print(f"| quarry (in process, ids and titles: --format jsonl --timings) | {med(qt_p50):.3f} | {med(qt_p95):.3f} | {med(qt_mean):.3f} | |")
    print(f"| quarry (process wall / query) | {med(q_proc):.3f} | {med(q_proc):.3f} | {med(q_proc):.3f} | |")
    print(f"| tantivy (in process) | {med(t_p50):.3f} | {med(t_p95):.3f} | {med(t_mean):.3f} | {sum(1 for v in t_hits.values() if v)} |")
    print()
    print(f"ratios quarry/tantivy (in process): p50 {med(q_p50) / med(t_p50):.2f}, p95 {med(q_p95) / med(t_p95):.2f}, "
          f"mean {med(q_mean) / med(t_mean):.2f}; process wall per query / tantivy mean: {med(q_proc) / med(t_mean):.2f}")
    print(f"mean top-{args.limit} overlap with tantivy: {statistics.mean(overlaps):.2f}")


if __name__ == "__main__":
    main()
