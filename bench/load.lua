-- wrk script for the portal's scenarios. One connection per thread (wrk -tN -cN), each thread a
-- logged-in session of its own that follows the navigation token from response to response.
--   wrk ... -s bench/load.lua <url> -- <scenario> <sessions file>
-- The sessions file has one line per thread: cookie<TAB>csrf token<TAB>navigation token.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local function urlencode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function form(fields)
  local parts = {}
  for _, pair in ipairs(fields) do
    table.insert(parts, urlencode(pair[1]) .. "=" .. urlencode(pair[2]))
  end
  return table.concat(parts, "&")
end

local BUYER_NAME = "buyer 00001"  -- bench/measure.py BUYER_NAME

-- The B01 walk: each entry is a path and its fields (besides the tokens).
local flow = {
  {"/buyers/register", {}},
  {"/procedure/intro", {{"action", "next"}}},
  {"/procedure/input", {{"action", "next"}, {"name_en", "LOAD TEST BUYER LTD"}, {"country", "304"},
                        {"address", "1 Main Street"}, {"city", "Boston"}}},
  {"/procedure/input", {{"action", "next"}, {"office_type", "head"}, {"industry", "商社"}, {"established", "1990"}}},
  {"/procedure/input", {{"action", "next"}, {"desired_class", "E"}, {"report_mode", "request"}, {"fee_ack", "y"},
                        {"fiscal_end", "FISCAL_END"}}},
  {"/procedure/input", {{"action", "next"}, {"product", "01"}, {"planned_amount", "100,000"},
                        {"planned_currency", "USD"}, {"payment_terms", "その他"}, {"usance", "90"}}},
  {"/procedure/confirm", {{"action", "submit"}}},
}

function init(args)
  scenario = args[1]
  fiscal_end = args[3] or "2026-03-31"
  date_from = args[4] or "2026-01-01"
  date_to = args[5] or "2026-12-31"
  local n = 0
  for line in io.lines(args[2]) do
    n = n + 1
    if n == id then
      cookie, csrf, token = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)")
    end
  end
  -- where the scenario is: advanced by response(), never by request(), which wrk may call once
  -- more than it sends
  step = 1
  bad = 0
end

local function post(path, fields, htmx, target)
  local headers = {["Cookie"] = cookie, ["Content-Type"] = "application/x-www-form-urlencoded"}
  table.insert(fields, {"csrf_token", csrf})
  if htmx then
    headers["HX-Request"] = "true"
    headers["HX-Target"] = target or "screen"
    headers["X-CSRFToken"] = csrf
    table.insert(fields, {"_nav_live", token})
  else
    table.insert(fields, {"_nav", token})
  end
  return wrk.format("POST", path, headers, form(fields))
end

function request()
  if scenario == "ceiling" then
    return wrk.format("GET", "/")
  elseif scenario == "login_page" then
    return wrk.format("GET", "/login")
  elseif scenario == "user_page" then
    -- without JavaScript a screen is a POST answered 303, then the GET of the app's address
    if step % 2 == 1 then return post("/home", {}, false) end
    return wrk.format("GET", "/", {["Cookie"] = cookie})
  elseif scenario == "floor" then
    return post("/page", {}, true)
  elseif scenario == "notices_page2" then
    return post("/notices", {{"page", "2"}}, true, "notice-list")
  elseif scenario == "status_open" then
    return post("/status/", {}, true)
  elseif scenario == "status_first" then
    return post("/status/page", {{"page", "1"}}, true, "application-list")
  elseif scenario == "status_filtered" then
    return post("/status/search", {{"date_from", date_from}, {"date_to", date_to}, {"procedure", "B02"},
                                   {"statuses", "submitted"}, {"statuses", "reviewing"}, {"statuses", "returned"},
                                   {"order", "new"}}, true, "application-list")
  elseif scenario == "buyer_search" then
    -- 5-1 by part of a name: 10 buyers at every scale (BENCH BUYER 000010 … 000019)
    return post("/inquiry/buyers/search", {{"code", ""}, {"name", BUYER_NAME}, {"country", ""}}, true)
  elseif scenario == "estimate" then
    -- 6-3 case 4 (bench/measure.py ESTIMATE): the result with its chart, on the estimate's screen
    return post("/estimate/calculate", {{"action", "estimate"}, {"product", "04"}, {"scope", "post"},
                                        {"country", "304"}, {"rating_mode", "select"}, {"rating", "EM"},
                                        {"currency", "USD"}, {"amount", "250,000.00"}, {"advance", "12,345.67"},
                                        {"usance", "120"}, {"post_political", "97.5"}, {"post_commercial", "50"},
                                        {"commodity", "一般"}}, true)
  elseif scenario == "buyer_registration" then
    local entry = flow[(step - 1) % #flow + 1]
    local fields = {}
    for _, pair in ipairs(entry[2]) do
      table.insert(fields, {pair[1], pair[2] == "FISCAL_END" and fiscal_end or pair[2]})
    end
    return post(entry[1], fields, true)
  end
end

function response(status, headers, body)
  local found = body:match('id="nav%-token" name="_nav_live" value="([^"]+)"')
  if found then token = found end
  if scenario == "ceiling" or scenario == "login_page" then
    if status ~= 200 then bad = bad + 1 end
    return
  end
  local expected = (scenario == "user_page" and step % 2 == 1) and 303 or 200
  local notice = body:find('class="message message--warning"', 1, true)
  if status ~= expected or notice then
    bad = bad + 1
  end
  step = step + 1
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + (thread:get("bad") or 0)
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, "bad": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, bad_total))
end
