-- wrk script for bench/tokenreview.sh: POSTs the TokenReview a kube-apiserver sends to the webhook, with the
-- cluster's credential, rotating over valid tokens. Reads TOKENS_FILE (one secret a line) and
-- CREDENTIAL_FILE from the environment. Each wrk thread starts at a different place in the list.

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
