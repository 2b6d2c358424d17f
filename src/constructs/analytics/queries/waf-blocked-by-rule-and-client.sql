-- Question: which requests AWS WAF blocked in a time window, by terminating rule and client IP.
-- Table: waf_logs
-- Parameters:
--   :start  timestamp  start of the window, ISO 8601 (2024-05-01T10:00:00Z)
--   :end    timestamp  end of the window, ISO 8601
SELECT terminatingruleid AS rule,
       httprequest.clientip AS client_ip,
       httprequest.country AS country,
       count(*) AS requests,
       min(from_unixtime("timestamp" / 1000)) AS first_seen,
       max(from_unixtime("timestamp" / 1000)) AS last_seen
FROM waf_logs
WHERE log_time BETWEEN date_format(from_iso8601_timestamp(:start), '%Y/%m/%d/%H/%i')
                   AND date_format(from_iso8601_timestamp(:end), '%Y/%m/%d/%H/%i')
  AND from_unixtime("timestamp" / 1000) BETWEEN from_iso8601_timestamp(:start) AND from_iso8601_timestamp(:end)
  AND action = 'BLOCK'
GROUP BY terminatingruleid, httprequest.clientip, httprequest.country
ORDER BY requests DESC, rule, client_ip
LIMIT 1000
