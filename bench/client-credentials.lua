-- wrk script for bench/token-endpoint.sh: the client_credentials grant (RFC 6749 §4.4) for the confidential
-- client `bench-ci` (client_secret_basic, CLIENT_SECRET from the environment) with scope openid, so every
-- answer carries an RS256 ID token for the client's robot.

local request_bytes

function init(args)
  local basic = os.getenv("CLIENT_BASIC")
  request_bytes = wrk.format("POST", "/t/default/token", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = "Basic " .. basic,
  }, "grant_type=client_credentials&scope=openid")
end

function request()
  return request_bytes
end
