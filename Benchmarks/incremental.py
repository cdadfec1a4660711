#!/usr/bin/env python3
"""Incremental reindexing cost: a full build of an HTML tree against re-runs after touching or
changing 1% of its files (issue 15).

    python3 Benchmarks/incremental.py [TREE] [--quarry .build/release/quarry] [--share 0.01]
        [--runs 3] [--work DIR]

TREE defaults to /usr/share/doc/linux-doc-6.1/html. The tree is copied to the work folder
(the original is never touched). Then, each --runs times: a full build (`quarry index --index
IX COPY`, fresh index), a re-run with nothing changed, a re-run after `touch`ing SHARE of the
.html files (same contents, new times: sizes and times differ, contents are hashed, nothing is
re-parsed), and a re-run after appending a word to SHARE of them (those files are re-parsed
and replaced; the word goes into the page's main text, so the last run's word must find
every changed file). Files are chosen with a fixed seed. Prints the median wall time of each step
and its share of the median full build.
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd: list) -> float:
    started = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()[-500:]}")
    return elapsed


def change(path: str, word: str) -> None:
    """Adds `word` as a paragraph at the start of the page's main element (`role="main"` or
    `<main>`), else after `<body>`: text outside the main element is chrome, which Quarry drops,
    so a word appended to the first `</p>` of the file could land in a footer (index pages
    with no paragraph of their own) and never be indexed."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        html = f.read()
    start = max(html.find('role="main"'), html.find("<main"))
    if start < 0:
        start = html.find("<body")
    at = html.find(">", start) + 1 if start >= 0 else 0
    html = html[:at] + f"<p>{word}</p>" + html[at:]
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(html)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tree", nargs="?", default="/usr/share/doc/linux-doc-6.1/html")
    ap.add_argument("--quarry", default=os.path.join(ROOT, ".build/release/quarry"))
    ap.add_argument("--share", type=float, default=0.01)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    if not os.path.isdir(args.tree):
        sys.exit(f"{args.tree}: not a folder (install linux-doc-6.1 or name another tree)")
    work = args.work or tempfile.mkdtemp(prefix="quarry-incremental-")
    copy = os.path.join(work, "tree")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(args.tree, copy, symlinks=True)
    pages = sorted(os.path.join(d, f) for d, _, fs in os.walk(copy) for f in fs if f.endswith(".html"))
    chosen = random.Random(20261203).sample(pages, max(1, round(len(pages) * args.share)))
    print(f"{args.tree}: {len(pages):,} .html files; {len(chosen)} touched or changed per run ({args.share:.0%})")
    index = os.path.join(work, "index")
    steps = {"full build": [], "nothing changed": [], "touched": [], "changed": []}
    for run in range(args.runs):
        shutil.rmtree(index, ignore_errors=True)
        cmd = [args.quarry, "index", "--index", index, "-q", copy]
        steps["full build"].append(timed(cmd))
        steps["nothing changed"].append(timed(cmd))
        for p in chosen:
            os.utime(p, None)
        steps["touched"].append(timed(cmd))
        for p in chosen:
            change(p, f"incrementalmarker{run}")
        steps["changed"].append(timed(cmd))
    full = statistics.median(steps["full build"])
    print(f"{'step':<16} {'median s':>9} {'share of full':>14}   runs")
    for name, times in steps.items():
        m = statistics.median(times)
        print(f"{name:<16} {m:9.3f} {m / full:14.1%}   " + " ".join(f"{t:.3f}" for t in times))
    check = subprocess.run([args.quarry, "search", "--index", index, "--format", "trec", "--queries", "/dev/stdin", "--limit", "1000"],
                           input=f"q\tincrementalmarker{args.runs - 1}\n", capture_output=True, text=True)
    found = len([l for l in check.stdout.splitlines() if l.strip()])
    print(f"changed files found by their new word: {found} of {len(chosen)}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
