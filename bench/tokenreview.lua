-- wrk script for bench/tokenreview.sh: POSTs the TokenReview a kube-apiserver sends to the webhook, with the
-- cluster's credential, rotating over valid tokens. Reads TOKENS_FILE (one secret a line) and
-- CREDENTIAL_FILE from the environment. Each wrk thread starts at a different place in the list.
-- PACE_MS, when set, makes each connection wait that many milliseconds after an answer before its next
-- request (wrk's delay()), so the load is a steady rate below saturation, as a kube-apiserver's is, rather
-- than as many reviews as two cores can take; wrk's latencies never include the wait.

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if #line > 0 then out[#out + 1] = line end
  end
  return out
end

local requests = {}
local i = 0

function init(args)
  local tokens = lines(os.getenv("TOKENS_FILE"))
  local credential = lines(os.getenv("CREDENTIAL_FILE"))[1]
  local headers = {
    ["Authorization"] = "Bearer " .. credential,
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json, */*",
  }
  for _, token in ipairs(tokens) do
    local body = '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"' .. token
        .. '","audiences":["https://kubernetes.default.svc"]}}'
    requests[#requests + 1] = wrk.format("POST", "/t/default/tokenreview?timeout=30s", headers, body)
  end
  i = math.random(#requests)
end

function request()
  i = i % #requests + 1
  return requests[i]
end

-- PACE_MS may also be a comma-separated cycle such as "1,1,1,0" (three waits of 1 ms, then none: 0.75 ms on
-- average), since wrk counts delays in whole milliseconds.
local pace = {}
for ms in string.gmatch(os.getenv("PACE_MS") or "", "[^,]+") do pace[#pace + 1] = tonumber(ms) end
if #pace > 0 then
  local n = 0
  function delay()
    n = n % #pace + 1
    return pace[n]
  end
end
