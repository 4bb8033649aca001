-- One client of a prepared plan of requests: wrk sends its share once, then exits.
--
--   wrk -t1 -c1 -d600s --timeout 60s -s bench/plan.lua URL -- PLAN_FILE INDEX CLIENTS START_AT
--
-- Used by bench/booking_rush.py (race_wrk), which starts one wrk process per client. PLAN_FILE
-- has one request a line: method, path, header block and body, tab-separated, the last two
-- hex-encoded (header lines "Name: value" joined by newlines). This client sends requests
-- INDEX, INDEX + CLIENTS, INDEX + 2 x CLIENTS, ... (INDEX from 1) one after the other on its
-- connection, the first at START_AT (microseconds of CLOCK_MONOTONIC, as Python's
-- time.monotonic() reads it) so that every client starts together. It records each request's
-- status and latency (from writing the request to the end of the response) and, after its last
-- response, stops and interrupts its own process (wrk would otherwise run for its whole -d).
-- done() prints one line "PLAN-RESULT {json}".
--
-- Why one process per client: gunicorn's sync worker closes the connection after each answer
-- and wrk connects again at once, also after a thread's last request; that idle connection
-- would hold a sync worker until wrk exits. A client that is done exits at once.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } plan_timespec;
int clock_gettime(int clk_id, plan_timespec *tp);
int getpid(void);
int kill(int pid, int sig);
]])
local clock = ffi.new("plan_timespec")
local CLOCK_MONOTONIC, SIGINT = 1, 2

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_nsec) / 1000
end

local function unhex(text)
  return (text:gsub("..", function(pair) return string.char(tonumber(pair, 16)) end))
end

-- Setup and done run in wrk's main Lua state: it keeps the thread to read its figures.
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

-- Running: the thread's own state.
local requests, start_at = {}, 0
local next_index, pending, started, finished, verified = 1, false, 0, false, false
statuses, latencies, first_us, last_us = {}, {}, nil, nil

function init(args)
  local plan, index, clients = args[1], tonumber(args[2]), tonumber(args[3])
  start_at = tonumber(args[4])
  local n = 0
  for line in io.lines(plan) do
    if n % clients == index - 1 then
      local method, path, headers, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
      local fields = {}
      for header in unhex(headers):gmatch("[^\n]+") do
        local name, value = header:match("^([^:]+):%s*(.*)$")
        fields[name] = value
      end
      body = unhex(body)
      requests[#requests + 1] = wrk.format(method, path, fields, body ~= "" and body or nil)
    end
    n = n + 1
  end
end

local function finish()
  if not finished then
    finished = true
    wrk.thread:stop()
    ffi.C.kill(ffi.C.getpid(), SIGINT)
  end
end

local function record(status, now)
  statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1
  latencies[#latencies + 1] = (now - started) / 1000
  last_us = now
  next_index = next_index + 1
  pending = false
  if next_index > #requests then
    finish()
  end
end

function delay()
  -- Milliseconds before the next request: only the first one waits, for the common start.
  if first_us == nil then
    return math.max(0, math.floor((start_at - now_us()) / 1000))
  end
  return 0
end

function request()
  if not verified then
    -- wrk's own first call, before the thread starts: it counts the requests in the string
    -- (pipelining) and sends nothing.
    verified = true
    return requests[1]
  end
  if pending then
    -- wrk connected again after a socket error: that request got no answer (status 0).
    record(0, now_us())
  end
  if next_index > #requests then
    -- Only after a socket error on the last request, while the process is stopping.
    finish()
    return wrk.format("GET", "/")
  end
  pending = true
  started = now_us()
  first_us = first_us or started
  return requests[next_index]
end

function response(status, headers, body)
  record(status, now_us())
end

local function encode(value)
  if type(value) == "table" then
    local parts = {}
    if #value > 0 then
      for _, item in ipairs(value) do parts[#parts + 1] = encode(item) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    for key, item in pairs(value) do
      parts[#parts + 1] = string.format("%q:%s", tostring(key), encode(item))
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif type(value) == "number" then
    return string.format("%.3f", value)
  elseif value == nil then
    return "null"
  end
  return string.format("%q", tostring(value))
end

function done(summary, latency, rates)
  local thread = threads[1]
  local result = {
    statuses = thread:get("statuses") or {},
    latencies_ms = thread:get("latencies") or {},
    first_us = thread:get("first_us"),
    last_us = thread:get("last_us"),
    errors = summary.errors,
  }
  io.write("PLAN-RESULT ", encode(result), "\n")
end
