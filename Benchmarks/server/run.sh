#!/usr/bin/env bash
# Benchmark of `quarry serve` against the same searches in process (a script, not a test).
#
#   Benchmarks/server/run.sh [CORPUS.jsonl] [QUERIES.tsv]
#
# Defaults: the debdocs corpus (/work/debdocs/corpus.jsonl, 783,864 paragraphs; built by
# ../shared/bench/debdocs.py) and its 1,000 queries (../shared/bench/debdocs-queries.tsv).
# Needs wrk (Debian package) and a release build (made if missing). Environment:
#   INDEX=DIR        where the index is built (kept between runs; default /tmp/quarry-bench-server)
#   DURATION=20      seconds of each wrk run; COMMITS_DURATION=60 for the run under commits
#   COMMIT_EVERY=3   seconds between the other process's commits in that run
#
# It prints, for /search top-10 documents and for passages:
#   - in process: p50 / p99 of `took_ms` of `quarry search --queries` (one thread; prepare,
#     search and the JSON, as the server does), and 1000 / mean as requests/s;
#   - over HTTP with wrk (one wrk thread): requests/s, p50, p99 at 1, 8 and 64 connections;
#   - CPU milliseconds per request of both (the server's from /proc, the batch's from
#     time(1) less a one-query batch): wall times on a shared machine move with its load;
# then a run at 64 connections while another process commits every COMMIT_EVERY seconds,
# checking that every answer to a marker query is one whole commit.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-/work/debdocs/corpus.jsonl}"
queries="${2:-$root/../shared/bench/debdocs-queries.tsv}"
index="${INDEX:-/tmp/quarry-bench-server}/index"
duration="${DURATION:-20}"
commits_duration="${COMMITS_DURATION:-60}"
commit_every="${COMMIT_EVERY:-3}"
here="$root/Benchmarks/server"
quarry="$root/.build/release/quarry"
command -v wrk >/dev/null || { echo "run.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
[ -x "$quarry" ] || (cd "$root" && swift build -c release --product quarry)
work=$(mktemp -d)
server=""
writer=""
cleanup() {
    [ -n "$writer" ] && kill "$writer" 2>/dev/null || true
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; wait "$server" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ ! -f "$index/MANIFEST" ]; then
    echo "indexing $corpus into $index"
    mkdir -p "$(dirname "$index")"
    "$quarry" index --index "$index" --format beir -q "$corpus"
fi
"$quarry" stats --index "$index" | head -3
echo "machine: $(nproc) cores; $(uname -r); $(date -u +%Y-%m-%dT%H:%MZ); load average at start: $(cut -d" " -f1-3 /proc/loadavg)"

# In process: per-query took_ms; and CPU time per query (the batch's user + system time,
# less that of a batch of one query: process start and index opening), which other
# processes on the machine inflate far less than wall times.
head -1 "$queries" >"$work/one.tsv"
cputime() {  # the command's user + system seconds
    /usr/bin/time -f "%U %S" -o "$work/time.txt" "$@" >/dev/null
    awk '{print $1 + $2}' "$work/time.txt"
}
inprocess() {  # $1: extra options
    "$quarry" search --index "$index" --queries "$queries" --format jsonl --limit 10 $1 >"$work/inproc.jsonl"
    all=$(cputime "$quarry" search --index "$index" --queries "$queries" --format jsonl --limit 10 $1)
    one=$(cputime "$quarry" search --index "$index" --queries "$work/one.tsv" --format jsonl --limit 10 $1)
    python3 - "$work/inproc.jsonl" "$all" "$one" <<'PY'
import json, sys
t = sorted(json.loads(l)["took_ms"] for l in open(sys.argv[1]))
n = len(t)
cpu = (float(sys.argv[2]) - float(sys.argv[3])) * 1000 / (n - 1)
print(f"{t[n // 2]:.3f} {t[min(n - 1, int(n * 0.99))]:.3f} {1000 / (sum(t) / n):.0f} {cpu:.3f}")
PY
}
# Warm the page cache and the process the same way for both sides.
"$quarry" search --index "$index" --queries "$queries" --format trec --limit 10 >/dev/null
read -r doc_p50 doc_p99 doc_rps doc_cpu < <(inprocess "")
read -r psg_p50 psg_p99 psg_rps psg_cpu < <(inprocess "--passages")

"$quarry" serve --index "$index" --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 1 300); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^quarry: listening on //p' "$work/serve.out")
[ -n "$url" ] || { cat "$work/serve.err" >&2; exit 1; }

# CPU seconds the server has used (utime + stime, in clock ticks of 1/100 s).
server_cpu() { awk '{print ($14 + $15) / 100}' "/proc/$server/stat"; }
# wrk: "Requests/sec", the 50% and 99% lines of --latency, errors, and the server's CPU
# milliseconds per request.
bench() {  # $1 connections, $2 params, $3 script, $4 duration
    cpu_before=$(server_cpu)
    wrk -t1 -c"$1" -d"$4"s --timeout 30s --latency -s "$here/$3" "$url" -- "$queries" "$2" >"$work/wrk.txt" 2>&1 || true
    cpu_after=$(server_cpu)
    python3 - "$work/wrk.txt" "$cpu_before" "$cpu_after" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
cpu = float(sys.argv[3]) - float(sys.argv[2])
total = re.search(r"(\d+) requests in", t)
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", t, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = re.search(r"Requests/sec:\s+([\d.]+)", t)
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
per = cpu * 1000 / int(total.group(1)) if total and int(total.group(1)) else float("nan")
print(f"{float(rps.group(1)) if rps else 0:.0f} {ms('50%'):.3f} {ms('99%'):.3f} {errors} {per:.3f}")
extra = [l for l in t.splitlines() if l.startswith("marker answers")]
if extra: print(extra[0], file=sys.stderr)
PY
}
# Warm-up pass over HTTP.
bench 8 "limit=10&syntax=words" search.lua 5 >/dev/null
echo
echo "| searches | where | connections | requests/s | p50 ms | p99 ms | errors | CPU ms per request |"
echo "|---|---|---|---|---|---|---|---|"
echo "| documents top-10 | in process | (1 thread) | $doc_rps | $doc_p50 | $doc_p99 | 0 | $doc_cpu |"
for c in 1 8 64; do
    read -r rps p50 p99 errors cpu < <(bench "$c" "limit=10&syntax=words" search.lua "$duration")
    echo "| documents top-10 | HTTP | $c | $rps | $p50 | $p99 | $errors | $cpu |"
done
echo "| passages top-10 | in process | (1 thread) | $psg_rps | $psg_p50 | $psg_p99 | 0 | $psg_cpu |"
for c in 1 8 64; do
    read -r rps p50 p99 errors cpu < <(bench "$c" "limit=10&syntax=words&mode=passages" search.lua "$duration")
    echo "| passages top-10 | HTTP | $c | $rps | $p50 | $p99 | $errors | $cpu |"
done

# Under commits: another process rewrites five marker documents every few seconds.
marker() {  # $1 epoch
    for i in 0 1 2 3 4; do
        printf '{"_id": "snapmarker/%d", "title": "snapepoch%d", "text": "snapmarker document %d of epoch %d"}\n' "$i" "$1" "$i" "$1"
    done
}
marker 0 | "$quarry" index --index "$index" --stdin -q
sleep 1
(
    e=1
    while true; do
        sleep "$commit_every"
        marker "$e" | "$quarry" index --index "$index" --stdin -q || echo "writer: commit $e failed" >&2
        echo "$e" >"$work/epochs"
        e=$((e + 1))
    done
) &
writer=$!
generation_before=$("$quarry" stats --index "$index" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])')
read -r rps p50 p99 errors cpu < <(bench 64 "" mixed.lua "$commits_duration" 2>"$work/marker.txt")
kill "$writer"; wait "$writer" 2>/dev/null || true; writer=""
generation_after=$("$quarry" stats --index "$index" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])')
echo
echo "under commits ($commits_duration s, 64 connections, a commit every $commit_every s; generations $generation_before → $generation_after):"
echo "  requests/s $rps, p50 $p50 ms, p99 $p99 ms, errors $errors, server CPU $cpu ms per request"
echo "  $(cat "$work/marker.txt")"
kill -TERM "$server"
wait "$server" && echo "server: exit 0 after SIGTERM"
server=""
echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg)"
