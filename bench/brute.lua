-- wrk script for bench/tokenreview.sh's brute-force mode: TokenReviews of made-up tokens (correct format and
-- checksum, random secret; BRUTE_FILE, one a line, each sent once per pass) with the cluster's credential,
-- i.e. a guesser holding the webhook credential. Counts answers that authenticated (must stay 0) and prints
-- that count when wrk ends.

local requests = {}
local i = 0
local authenticated = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local credential
  for line in io.lines(os.getenv("CREDENTIAL_FILE")) do
    if #line > 0 then credential = line break end
  end
  local headers = {
    ["Authorization"] = "Bearer " .. credential,
    ["Content-Type"] = "application/json",
  }
  for token in io.lines(os.getenv("BRUTE_FILE")) do
    if #token > 0 then
      requests[#requests + 1] = wrk.format("POST", "/t/default/tokenreview?timeout=30s", headers,
          '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"' .. token .. '"}}')
    end
  end
  i = math.random(#requests)
end

function request()
  i = i % #requests + 1
  return requests[i]
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"authenticated":true', 1, true) then
    authenticated = authenticated + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("authenticated") or 0)
  end
  io.write(string.format("brute: answers that authenticated or were not 200: %d\n", total))
end
