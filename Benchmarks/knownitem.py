#!/usr/bin/env python3
"""Known-item search on real HTML documentation trees: does a page's title, or one of its
sentences, find that page?

  python3 Benchmarks/knownitem.py ../shared/data/known-item/postgresql-15.tsv [django-3.2.tsv ...]
      [--quarry .build/release/quarry] [--index-args "..."] [--search-args "--k1 1.2"]
      [--engines quarry,tantivy,fts5,bm25s,lucene,lucene-mf] [--tree DIR]
      [--work-dir /tmp/knownitem] [--json-out out.json] [--keep]

Each TSV line is `qid<TAB>kind<TAB>expected page<TAB>query text` (../shared/data/known-item/
README.md); kind is `title` or `sentence`, and the page is a path relative to the tree's
root, which that README's table names (`--tree` overrides it for a single TSV).

quarry indexes the tree (`quarry index --index DIR [--index-args] ROOT`) and runs every query
in one batch (`quarry search --queries F --format trec --limit 10 [--search-args]`); its
document ids are paths relative to ROOT, so they compare with the expected page as they are.
Peers (`--engines`) are built and searched through ../shared/bench/benchlib.py and worker.py,
as htmldir.py runs them (lxml text, the same queries as bags of words), on the same tree in
the same run.

Scores, per kind and overall: MRR@10 (1/rank of the expected page in the top 10, else 0)
and S@1 (the page is first), taking each engine's ranking in the order its run lists it.
Build and search times are whole-process wall times (peers: a Python worker; lucene: with
the JVM and no warm-up), for orientation only: speed is measured by ../shared/bench.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "bench"))
PEERS = ["tantivy", "fts5", "xapian", "bm25s", "lucene", "lucene-mf"]
KINDS = ["title", "sentence"]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def import_benchlib():
    """../shared/bench/benchlib.py (only needed for peers)."""
    if not os.path.exists(os.path.join(BENCH, "benchlib.py")):
        sys.exit(f"knownitem.py: {BENCH}/benchlib.py not found; peers need ../shared/bench")
    sys.path.insert(0, BENCH)
    import benchlib
    return benchlib


# ---------------------------------------------------------------- inputs

def read_known_items(path):
    """[(qid, kind, page, text)], checking every line."""
    items = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 4 or parts[1] not in KINDS:
                sys.exit(f"{path}:{n}: expected qid<TAB>title|sentence<TAB>page<TAB>query text")
            items.append(tuple(parts))
    return items


def tree_of(tsv):
    """The root the known-item README's table gives for this TSV file."""
    readme = os.path.join(os.path.dirname(os.path.abspath(tsv)), "README.md")
    name = os.path.basename(tsv)
    try:
        with open(readme, encoding="utf-8") as f:
            for line in f:
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                if len(cells) >= 3 and cells[0] == name:
                    return cells[2]
    except OSError:
        pass
    return None


def html_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            if fn.lower().endswith((".html", ".htm")):
                out.append(os.path.relpath(os.path.join(dirpath, fn), root))
    return out


def write_queries(path, items):
    with open(path, "w", encoding="utf-8") as f:
        for qid, _kind, _page, text in items:
            f.write(f"{qid}\t{' '.join(text.split())}\n")


def read_run(path, root):
    """TREC run -> {qid: [docid, ...]} in the order of the file, ids relative to root."""
    run = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6:
                run.setdefault(parts[0], []).append(relative(parts[2], root))
    return run


def relative(docid, root):
    if docid.startswith("file://"):
        docid = docid[7:]
    if os.path.isabs(docid):
        rel = os.path.relpath(docid, root)
        if not rel.startswith(".."):
            return rel
    return docid[2:] if docid.startswith("./") else docid


# ---------------------------------------------------------------- scoring

def score(items, run, k=10):
    """{kind or 'all': {'queries', 'mrr10', 's1', 'found10'}}."""
    acc = {kind: [] for kind in KINDS + ["all"]}
    for qid, kind, page, _text in items:
        ranked = run.get(qid, [])[:k]
        rank = ranked.index(page) + 1 if page in ranked else None
        for key in (kind, "all"):
            acc[key].append(rank)
    out = {}
    for key, ranks in acc.items():
        n = len(ranks)
        out[key] = {"queries": n,
                    "mrr10": sum(1 / r for r in ranks if r) / n if n else 0.0,
                    "s1": sum(1 for r in ranks if r == 1) / n if n else 0.0,
                    "found10": sum(1 for r in ranks if r) / n if n else 0.0}
    return out


# ---------------------------------------------------------------- engines

def run_quarry(args, root, work, queries_tsv):
    quarry = os.path.abspath(args.quarry)
    if not (os.path.isfile(quarry) and os.access(quarry, os.X_OK)):
        return {"skipped": f"quarry binary not found at {quarry} (swift build -c release, or --quarry PATH)"}
    idx = os.path.join(work, "index-quarry")
    shutil.rmtree(idx, ignore_errors=True)
    cmd = [quarry, "index", "--index", idx] + shlex.split(args.index_args) + [root]
    log("[quarry] " + " ".join(shlex.quote(c) for c in cmd))
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    build = time.perf_counter() - t0
    if p.returncode != 0:
        return {"error": f"quarry index exited {p.returncode}: {p.stderr.strip()[-600:]}"}
    run_path = os.path.join(work, "run-quarry.trec")
    cmd = [quarry, "search", "--index", idx, "--queries", queries_tsv, "--format", "trec",
           "--limit", str(args.limit)] + shlex.split(args.search_args)
    log("[quarry] " + " ".join(shlex.quote(c) for c in cmd))
    t0 = time.perf_counter()
    with open(run_path, "w") as out:
        p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
    search = time.perf_counter() - t0
    if p.returncode != 0:
        return {"error": f"quarry search exited {p.returncode}: {p.stderr.strip()[-600:]}"}
    if not args.keep:
        shutil.rmtree(idx, ignore_errors=True)
    return {"build_s": build, "search_s": search, "run_file": run_path,
            "index_args": args.index_args, "search_args": args.search_args}


def run_peer(bl, engine, args, root, work, queries_tsv):
    py, note = bl.peer_python(engine)
    if py is None:
        return {"skipped": note}
    idx = os.path.join(work, f"index-{engine}")
    bl.fresh_dir(idx)
    log(f"[{engine}] extracting + indexing {root} ...")
    m = bl.run_measured([py, bl.WORKER, "build", engine, idx, "html", root, "--threads", "2"])
    if m["rc"] != 0:
        return {"error": "build failed: " + m["stderr"].strip()[-600:]}
    info = bl.last_json_line(m["stdout"])
    run_path = os.path.join(work, f"run-{engine}.trec")
    log(f"[{engine}] searching ...")
    env = dict(os.environ, LUCENE_WARMUP_S="0")  # no timing here: no JIT warm-up either
    s = bl.run_measured([py, bl.WORKER, "search", engine, idx, queries_tsv, run_path,
                         "--limit", str(args.limit), "--warmup", "0"], env=env)
    if s["rc"] != 0:
        return {"error": "search failed: " + s["stderr"].strip()[-600:]}
    if not args.keep:
        shutil.rmtree(idx, ignore_errors=True)
    return {"build_s": m["wall_s"], "search_s": s["wall_s"], "run_file": run_path,
            "docs": info.get("docs"), "extractor": info.get("extractor")}


# ---------------------------------------------------------------- main

def table(headers, rows):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    def line(cells):
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))


def evaluate_tree(tsv, args, bl):
    items = read_known_items(tsv)
    root = args.tree or tree_of(tsv)
    if not root or not os.path.isdir(root):
        sys.exit(f"knownitem.py: the tree of {tsv} ({root or 'not in README.md'}) is not there; "
                 "install its Debian package or pass --tree DIR")
    root = os.path.abspath(root)
    name = re.sub(r"\.tsv$", "", os.path.basename(tsv))
    work = os.path.abspath(os.path.join(args.work_dir, name))
    os.makedirs(work, exist_ok=True)
    pages = html_files(root)
    missing = sorted({page for _q, _k, page, _t in items} - set(pages))
    if missing:
        log(f"note: {len(missing)} expected pages are not under {root} (e.g. {missing[0]}); they score 0")
    queries_tsv = os.path.join(work, "queries.tsv")
    write_queries(queries_tsv, items)
    counts = {kind: sum(1 for it in items if it[1] == kind) for kind in KINDS}
    log(f"{name}: {root}, {len(pages)} HTML pages, {len(items)} queries "
        f"({counts['title']} title, {counts['sentence']} sentence); work dir {work}")

    results = []
    for engine in args.engines:
        res = run_quarry(args, root, work, queries_tsv) if engine == "quarry" else run_peer(bl, engine, args, root, work, queries_tsv)
        res["engine"] = engine
        if "run_file" in res:
            res["scores"] = score(items, read_run(res["run_file"], root), args.limit)
        for key in ("skipped", "error"):
            if key in res:
                log(f"[{engine}] {key}: {res[key]}")
        results.append(res)

    print(f"\n{name}: {root} ({len(pages):,} HTML pages), {len(items):,} known-item queries "
          f"({counts['title']:,} title, {counts['sentence']:,} sentence), top {args.limit}")
    headers = ["engine", "title MRR@10", "title S@1", "sentence MRR@10", "sentence S@1",
               "all MRR@10", "all S@1", "all in top 10", "build s", "search s"]
    rows = []
    for r in results:
        label = r["engine"] + (f" ({r['search_args']})" if r["engine"] == "quarry" and r.get("search_args") else "")
        if "scores" not in r:
            rows.append([label, "skipped" if "skipped" in r else "ERROR"] + ["-"] * (len(headers) - 2))
            continue
        s = r["scores"]
        rows.append([label, f"{s['title']['mrr10']:.4f}", f"{s['title']['s1']:.4f}",
                     f"{s['sentence']['mrr10']:.4f}", f"{s['sentence']['s1']:.4f}",
                     f"{s['all']['mrr10']:.4f}", f"{s['all']['s1']:.4f}", f"{s['all']['found10']:.4f}",
                     f"{r['build_s']:.2f}", f"{r['search_s']:.2f}"])
    table(headers, rows)
    return {"tsv": os.path.abspath(tsv), "tree": root, "pages": len(pages), "queries": len(items),
            "queries_by_kind": counts, "missing_pages": len(missing), "limit": args.limit, "results": results}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tsv", nargs="+", help="known-item query files (../shared/data/known-item/*.tsv)")
    ap.add_argument("--quarry", default=".build/release/quarry", help="quarry binary")
    ap.add_argument("--index-args", default="", help="extra options of `quarry index`, as one string")
    ap.add_argument("--search-args", default="", help='extra options of `quarry search`, e.g. "--k1 1.2"')
    ap.add_argument("--engines", default="quarry",
                    help="comma-separated: quarry and peers " + ",".join(PEERS) + " (through ../shared/bench)")
    ap.add_argument("--tree", help="the HTML tree's root (default: from the TSV's README.md; one TSV only)")
    ap.add_argument("--limit", type=int, default=10, help="results per query (default 10)")
    ap.add_argument("--work-dir", default="/tmp/knownitem", help="indexes, queries and runs (default /tmp/knownitem)")
    ap.add_argument("--keep", action="store_true", help="keep the indexes")
    ap.add_argument("--json-out", help="write every figure to this JSON file")
    args = ap.parse_args()
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in args.engines:
        if e != "quarry" and e not in PEERS:
            ap.error(f"unknown engine {e!r}: use quarry, " + ", ".join(PEERS))
    if args.tree and len(args.tsv) > 1:
        ap.error("--tree names the tree of one TSV file")
    bl = import_benchlib() if any(e != "quarry" for e in args.engines) else None

    trees = [evaluate_tree(tsv, args, bl) for tsv in args.tsv]
    if args.json_out:
        out = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "engines": args.engines,
               "quarry": os.path.abspath(args.quarry), "cpus": os.cpu_count(), "trees": trees}
        with open(args.json_out, "w") as f:
            json.dump(out, f, indent=2)
        print(f"\nJSON written to {args.json_out}")


if __name__ == "__main__":
    main()
