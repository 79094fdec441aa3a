-- wrk script for bench/tokenreview.sh's login storm: password grant (RFC 6749 §4.3) for the public client
-- `kubernetes` at /t/default/token, rotating over the seeded users bench000..bench(USERS-1), whose password
-- is bench-password-NNN. Every login costs one argon2id verify. With STORM_PASSWORDS=wrong every password is
-- wrong: the same argon2id work, but no token is stored or signed (400 invalid_grant), which separates the
-- cost of hashing from the cost of a successful login.

local requests = {}
local i = 0

function init(args)
  local users = tonumber(os.getenv("USERS") or "50")
  local password = os.getenv("STORM_PASSWORDS") == "wrong" and "wrong-password-" or "bench-password-"
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  for u = 0, users - 1 do
    local n = string.format("%03d", u)
    local body = "grant_type=password&client_id=kubernetes&scope=openid&username=bench" .. n
        .. "&password=" .. password .. n
    requests[#requests + 1] = wrk.format("POST", "/t/default/token", headers, body)
  end
  i = math.random(#requests)
end

function request()
  i = i % #requests + 1
  return requests[i]
end
