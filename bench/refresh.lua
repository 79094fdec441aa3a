-- wrk script for bench/token-endpoint.sh: the refresh_token grant (RFC 6749 §6) for the public client
-- `bench-cli`, the way kubelogin refreshes, with rotation honoured: every refresh token is used once.
--
-- REFRESH_FILE holds one refresh token (of its own family) a line. Each wrk thread takes its share of them
-- as a pool; a request takes a token out of the pool, and its response puts back the successor it carries
-- (parsed from the JSON), so no token is ever sent twice and each family keeps rotating. With at least as many
-- tokens per thread as connections, a request always finds one; a failed refresh loses its family (counted by
-- wrk as non-2xx), and once a thread's pool is empty it sends a request that fails.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  threads[#threads + 1] = thread
end

local pool = {}
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function init(args)
  local file = assert(io.open(os.getenv("REFRESH_FILE"), "r"))
  local nthreads = tonumber(os.getenv("THREADS") or "2")
  local line = 0
  for token in file:lines() do
    if line % nthreads == (id - 1) then pool[#pool + 1] = token end
    line = line + 1
  end
  file:close()
end

function request()
  local token = table.remove(pool)
  if token == nil then token = "lyrt_none" end
  return wrk.format("POST", "/t/default/token", headers,
      "grant_type=refresh_token&client_id=bench-cli&refresh_token=" .. token)
end

function response(status, headers, body)
  local next = string.match(body, '"refresh_token":"([^"]+)"')
  if next ~= nil then pool[#pool + 1] = next end
end
