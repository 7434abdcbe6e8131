-- wrk script for the simulator capacity check: streaming chat requests of TOKENS output tokens.
-- wrk -t1 -c64 -d10s -s wrk-chat-stream.lua http://127.0.0.1:PORT -- 128
local tokens = 128
function init(args)
  if args[1] ~= nil then tokens = tonumber(args[1]) end
  wrk.method = "POST"
  wrk.path = "/v1/chat/completions"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"model":"sim-llm","messages":[{"role":"user","content":"Say something"}],' ..
             '"max_tokens":' .. tokens .. ',"ignore_eos":true,"stream":true}'
end
local bad = 0
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  io.write(string.format("requests/s: %.0f  content tokens/s: %.0f  non-2xx: %d  socket errors: %d\n",
    summary.requests / (summary.duration / 1e6), tokens * summary.requests / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
