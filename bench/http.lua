-- wrk script of bench/http.py: each request is the next line of the file named by the
-- TARGETS environment variable, "METHOD<TAB>PATH<TAB>COOKIE<TAB>BODY", each thread starting
-- at its own line. "{uuid}" in PATH or BODY becomes a fresh one-time key per request (a
-- report form's submission key). done() prints one JSON line with rps, p50 and p99 in ms.

local lines = {}
local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

local function split(line)
  local parts = {}
  for part in string.gmatch(line .. "\t", "([^\t]*)\t") do table.insert(parts, part) end
  return parts
end

function init(args)
  for line in io.lines(os.getenv("TARGETS")) do
    table.insert(lines, split(line))
  end
  local id = thread_id or 0  -- set by setup() in this thread's Lua state
  math.randomseed(os.time() + id * 7919)
  counter = id * math.floor(#lines / 4)
end

local function uuid()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (string.gsub(template, "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  counter = counter + 1
  local target = lines[(counter % #lines) + 1]
  local key = uuid()
  local path = string.gsub(target[2], "{uuid}", key)
  local body = string.gsub(target[4] or "", "{uuid}", key)
  local headers = {}
  if target[3] ~= "" then headers["Cookie"] = target[3] end
  if target[1] == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  else
    body = nil
  end
  return wrk.format(target[1], path, headers, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local non_2xx_3xx = summary.errors.status
  io.write(string.format(
    '{"rps": %.1f, "p50_ms": %.1f, "p99_ms": %.1f, "requests": %d, "bad_status": %d, "socket_errors": %d}\n',
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, non_2xx_3xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
