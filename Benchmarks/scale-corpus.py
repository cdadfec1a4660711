#!/usr/bin/env python3
"""Writes N copies of a BEIR corpus as one corpus, for scale benchmarks (issue 15: 5× debdocs).

    python3 Benchmarks/scale-corpus.py CORPUS.jsonl OUT_DIR [--copies 5]

Copy k (0-based) of every document gets the id `ID~k`, so ids stay unique; titles and texts
are unchanged. Copies are interleaved document by document (all copies of document 1, then of
document 2, …), so any prefix of the output is still a uniform sample of the pages, as
debdocs.py's order is. Writes OUT_DIR/corpus.jsonl and prints the document count and size.
"""
import argparse
import json
import os
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("out_dir")
    ap.add_argument("--copies", type=int, default=5)
    args = ap.parse_args()
    if args.copies < 1:
        ap.error("--copies must be 1 or more")
    os.makedirs(args.out_dir, exist_ok=True)
    out_path = os.path.join(args.out_dir, "corpus.jsonl")
    count = 0
    with open(args.corpus, encoding="utf-8") as src, open(out_path, "w", encoding="utf-8") as out:
        for number, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                base = str(doc["_id"])
            except (ValueError, KeyError, TypeError) as e:
                print(f"{args.corpus}:{number}: not a BEIR document ({e}); skipped", file=sys.stderr)
                continue
            for k in range(args.copies):
                doc["_id"] = f"{base}~{k}"
                out.write(json.dumps(doc, ensure_ascii=False))
                out.write("\n")
                count += 1
    size = os.path.getsize(out_path)
    print(f"{out_path}: {count:,} documents, {size / 1e6:,.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
