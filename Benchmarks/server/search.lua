-- wrk script: GET /search for each query of a qid<TAB>text file, in turn, from the first.
-- Arguments after `--`: QUERIES_FILE EXTRA_PARAMS
--   wrk -t1 -c8 -d20s --latency -s search.lua http://127.0.0.1:7700 -- queries.tsv "limit=10&syntax=words"
local paths = {}
local counter = 0

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    local text = line:match("^[^\t]*\t(.*)$")
    if text and #text > 0 then
      table.insert(paths, "/search?q=" .. encode(text) .. "&" .. (args[2] or ""))
    end
  end
  file:close()
  -- Every run starts at the first query, as the in-process batch does.
  counter = 0
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
