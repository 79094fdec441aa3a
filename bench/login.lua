-- wrk script for bench/tokenreview.sh's login storm: password grant (RFC 6749 §4.3) for the public client
-- `kubernetes` at /t/default/token, rotating over the seeded users bench000..bench(USERS-1), whose password
-- is bench-password-NNN. Every login costs one argon2id verify.

local requests = {}
local i = 0

function init(args)
  local users = tonumber(os.getenv("USERS") or "50")
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  for u = 0, users - 1 do
    local n = string.format("%03d", u)
    local body = "grant_type=password&client_id=kubernetes&scope=openid&username=bench" .. n
        .. "&password=bench-password-" .. n
    requests[#requests + 1] = wrk.format("POST", "/t/default/token", headers, body)
  end
  i = math.random(#requests)
end

function request()
  i = i % #requests + 1
  return requests[i]
end
