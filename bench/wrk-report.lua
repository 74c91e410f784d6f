-- wrk script of bench/run: at the end, one JSON line with the figures bench/run keeps.
--
--   wrk -t1 -c16 -d15s -H 'Authorization: Bearer KEY' -s bench/wrk-report.lua http://127.0.0.1:PORT/token/main
--
-- With WRK_ACCOUNTS=N in the environment, requests go round-robin to /token/acct1 ..
-- /token/acctN instead of the URL's path (the accounts section of bench/run).
-- non2xx is wrk's summary.errors.status: answers with a status of 400 or more.

local accounts = tonumber(os.getenv("WRK_ACCOUNTS") or "")
local next_account = 0

if accounts then
	request = function()
		next_account = next_account % accounts + 1
		return wrk.format("GET", "/token/acct" .. next_account)
	end
end

local function ms(micros)
	return string.format("%.3f", micros / 1000)
end

done = function(summary, latency, requests)
	local e = summary.errors
	local seconds = summary.duration / 1e6
	io.write(string.format(
		'{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50Ms":%s,"p99Ms":%s,"p999Ms":%s,"maxMs":%s,'
			.. '"non2xx":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d}\n',
		summary.requests, seconds, summary.requests / seconds,
		ms(latency:percentile(50)), ms(latency:percentile(99)), ms(latency:percentile(99.9)), ms(latency.max),
		e.status, e.connect, e.read, e.write, e.timeout))
end
