#!/usr/bin/env python3
"""Drives Quarry's MCP server with the official MCP Python SDK (the `mcp` package), a client
nobody on this project wrote: over stdio (`quarry mcp`, as desktop agents launch it) and over
streamable HTTP (`/mcp` of `quarry serve`). Checks initialize, the tool list and its
annotations, every tool (structured results validated by the SDK against the tools'
output schemas), offsets against stored text, tool errors, the Origin check, and many
concurrent HTTP requests that all use JSON-RPC id 1 (which hangs the SDK's shared stateless
transport: swift-sdk issue 254).

    mcp_client_check.py --quarry .build/debug/quarry --index DIR --url http://127.0.0.1:PORT/mcp

Exit status 0 when every check passed; the first failed check is printed otherwise.
"""
import argparse
import asyncio
import http.client
import json
import sys
import threading
import urllib.parse

from mcp import Client, StdioServerParameters

EXPECTED_TOOLS = ["get_document", "index_stats", "search", "search_passages"]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def exercise(client, label, documents):
    tools = (await client.list_tools()).tools
    check(sorted(t.name for t in tools) == EXPECTED_TOOLS, f"{label}: tools {[t.name for t in tools]}")
    for t in tools:
        a = t.annotations
        check(a is not None and a.read_only_hint is True and a.destructive_hint is False, f"{label}: {t.name} is not annotated read-only")
        check(t.output_schema is not None and t.output_schema.get("type") == "object", f"{label}: {t.name} has no output schema")

    r = await client.call_tool("search", {"query": "kumquat grove", "limit": 3})
    check(not r.is_error, f"{label}: search failed: {r.content}")
    s = r.structured_content
    check(s["schema"] == "quarry.search/1" and s["mode"] == "documents", f"{label}: search result {s}")
    check(s["results"] and s["results"][0]["id"] == "fruit/kumquat", f"{label}: best document {s['results'][:1]}")
    check(r.content and "fruit/kumquat" in r.content[0].text, f"{label}: text rendering {r.content}")

    r = await client.call_tool("search_passages", {"query": "café naïve", "limit": 3})
    check(not r.is_error, f"{label}: search_passages failed: {r.content}")
    hits = r.structured_content["results"]
    check(hits, f"{label}: no passages")
    for h in hits:
        p = h["passage"]
        d = await client.call_tool("get_document", {"id": h["id"], "start": p["start"], "end": p["end"]})
        check(not d.is_error, f"{label}: get_document failed: {d.content}")
        slice_ = d.structured_content
        check(slice_["text"] == p["text"], f"{label}: passage text differs from the stored text at its offsets")
        check((slice_["char_start"], slice_["char_end"]) == (p["char_start"], p["char_end"]), f"{label}: char offsets differ")
        whole = (await client.call_tool("get_document", {"id": h["id"]})).structured_content
        body = whole["text"]
        check(body[p["char_start"]:p["char_end"]] == p["text"], f"{label}: char offsets do not cut the passage out of the text")
        check(body.encode()[p["start"]:p["end"]].decode() == p["text"], f"{label}: byte offsets do not cut the passage out of the text")
        for hl in p["highlights"]:
            word = body[hl["char_start"]:hl["char_end"]].lower()
            check(word.startswith("caf") or word.startswith("na"), f"{label}: highlight {word!r}")

    r = await client.call_tool("index_stats", {})
    check(not r.is_error and r.structured_content["documents"] == documents, f"{label}: index_stats {r.structured_content}")

    r = await client.call_tool("search", {"query": 'kernel "grace period', "limit": 3})
    check(r.is_error and "column 8" in r.content[0].text, f"{label}: a malformed query is not a tool error with its column: {r.content}")
    r = await client.call_tool("get_document", {"id": "no/such/doc"})
    check(r.is_error and "unknown_document" in r.content[0].text, f"{label}: unknown document: {r.content}")
    r = await client.call_tool("search", {"query": "x", "limitt": 3})
    check(r.is_error and "limitt" in r.content[0].text, f"{label}: unknown argument: {r.content}")
    kumquat = (await client.call_tool("get_document", {"id": "fruit/kumquat"})).structured_content["text"]
    inside = kumquat.encode().index("Ü".encode()) + 1
    r = await client.call_tool("get_document", {"id": "fruit/kumquat", "start": inside})
    check(r.is_error and "inside a character" in r.content[0].text, f"{label}: a start inside a character: {r.content}")
    print(f"ok: {label}: initialize, tools/list, every tool, offsets, tool errors")


def post(url, body, headers, timeout=30):
    u = urllib.parse.urlparse(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        c.request("POST", u.path, body=json.dumps(body), headers=headers)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def same_id_concurrency(url, rounds=5, width=8):
    """Many requests at once, every one with JSON-RPC id 1, each must get its own answer."""
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
               "MCP-Protocol-Version": "2025-06-18"}
    queries = ["kumquat", "csrf token", "grace period", "zebra quartz", "kernel scheduler", "café", "norepinephrine", "w7 w9"]
    for round_ in range(rounds):
        barrier = threading.Barrier(width)
        answers = [None] * width

        def call(i):
            q = queries[i % len(queries)]
            barrier.wait()
            body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                    "params": {"name": "search_passages" if i % 2 else "search", "arguments": {"query": q, "limit": 3}}}
            try:
                answers[i] = (q, post(url, body, headers))
            except Exception as e:  # a timeout here is the hang of issue 254
                answers[i] = (q, e)

        threads = [threading.Thread(target=call, args=(i,)) for i in range(width)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        for q, a in answers:
            check(not isinstance(a, Exception), f"same id: a request got no answer: {a!r}")
            status, raw = a
            check(status == 200, f"same id: status {status}: {raw[:200]!r}")
            message = json.loads(raw)
            check(message.get("id") == 1 and "result" in message, f"same id: {str(message)[:200]}")
            check(message["result"]["structuredContent"]["query"] == q, "same id: an answer went to another request")
    print(f"ok: {rounds * width} concurrent HTTP requests with JSON-RPC id 1 each got their own answer")


def origin_check(url):
    base = {"Content-Type": "application/json", "Accept": "application/json"}
    body = {"jsonrpc": "2.0", "id": 7, "method": "tools/list"}
    status, _ = post(url, body, {**base, "Origin": "http://evil.example"})
    check(status == 403, f"a foreign Origin got {status}")
    status, _ = post(url, body, {**base, "Origin": "http://localhost:3000"})
    check(status == 200, f"a loopback Origin got {status}")
    status, _ = post(url, body, base)
    check(status == 200, f"no Origin got {status}")
    print("ok: Origin checked on /mcp")


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quarry", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--documents", type=int, required=True)
    args = ap.parse_args()

    stdio = StdioServerParameters(command=args.quarry, args=["mcp", "--index", args.index])
    async with Client(stdio, mode="legacy") as client:
        check(client.server_info.name == "quarry", f"stdio: server info {client.server_info}")
        await exercise(client, "stdio", args.documents)
    # "auto" first asks for server/discover (2026 protocol) and falls back to initialize.
    for mode in ("legacy", "auto"):
        async with Client(args.url, mode=mode) as client:
            await exercise(client, f"http ({mode})", args.documents)
    same_id_concurrency(args.url)
    origin_check(args.url)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
