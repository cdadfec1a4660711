-- wrk script for the run under commits: the benchmark queries, and every tenth request the
-- marker query, whose answer must be one whole commit: the five marker documents, all of
-- one epoch (the writer rewrites them together, with a new epoch, at every commit).
-- Arguments after `--`: QUERIES_FILE. Prints the counts at the end.
local paths = {}
local counter = 0
local threads = {}
checked = 0
wrong = 0
failed = 0

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    local text = line:match("^[^\t]*\t(.*)$")
    if text and #text > 0 then
      table.insert(paths, "/search?q=" .. encode(text) .. "&limit=10&syntax=words")
    end
  end
  file:close()
  -- Every run starts at the first query, as the in-process batch does.
  counter = 0
end

function request()
  counter = counter + 1
  if counter % 10 == 0 then
    return wrk.format("GET", "/search?q=snapmarker&limit=10&snippets=0")
  end
  return wrk.format("GET", paths[counter % #paths + 1])
end

function response(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
    return
  end
  if body:find('"query":"snapmarker"', 1, true) then
    checked = checked + 1
    local epochs = {}
    local distinct = 0
    local results = 0
    for e in body:gmatch('"title":"snapepoch(%d+)"') do
      results = results + 1
      if not epochs[e] then
        epochs[e] = true
        distinct = distinct + 1
      end
    end
    if results ~= 5 or distinct ~= 1 then
      wrong = wrong + 1
    end
  end
end

function done(summary, latency, requests)
  local c, w, f = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("checked")
    w = w + t:get("wrong")
    f = f + t:get("failed")
  end
  io.write(string.format("marker answers checked: %d, wrong snapshots: %d, non-200 answers: %d\n", c, w, f))
end
