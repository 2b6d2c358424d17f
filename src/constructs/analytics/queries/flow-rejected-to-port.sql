-- Question: which sources were refused on a port (the database port) in a time window, and how often.
-- Table: vpc_flow_logs
-- Parameters:
--   :start  timestamp  start of the window, ISO 8601 (2024-05-01T10:00:00Z)
--   :end    timestamp  end of the window, ISO 8601
--   :port   number     destination port, e.g. the database port (5432)
SELECT srcaddr, dstaddr, dstport, instance_id,
       count(*) AS flows,
       sum(packets) AS packets,
       min(from_unixtime("start")) AS first_seen,
       max(from_unixtime("end")) AS last_seen
FROM vpc_flow_logs
WHERE concat(year, month, day, hour) BETWEEN date_format(from_iso8601_timestamp(:start), '%Y%m%d%H')
                                         AND date_format(from_iso8601_timestamp(:end), '%Y%m%d%H')
  AND from_unixtime("end") >= from_iso8601_timestamp(:start)
  AND from_unixtime("start") <= from_iso8601_timestamp(:end)
  AND action = 'REJECT'
  AND dstport = :port
GROUP BY srcaddr, dstaddr, dstport, instance_id
ORDER BY flows DESC, srcaddr, dstaddr
LIMIT 1000
