-- Question: which addresses sent the most bytes out of the VPC (to the internet, a gateway, peering or an
-- endpoint) in a time window, and where to. Egress records whose traffic path is not "within the VPC" (1);
-- behind a NAT gateway the original sender is pkt_srcaddr.
-- Table: vpc_flow_logs
-- Parameters:
--   :start  timestamp  start of the window, ISO 8601 (2024-05-01T10:00:00Z)
--   :end    timestamp  end of the window, ISO 8601
SELECT pkt_srcaddr AS sender,
       pkt_dstaddr AS destination,
       traffic_path,
       sum(bytes) AS bytes,
       sum(packets) AS packets,
       count(*) AS flows
FROM vpc_flow_logs
WHERE concat(year, month, day, hour) BETWEEN date_format(from_iso8601_timestamp(:start), '%Y%m%d%H')
                                         AND date_format(from_iso8601_timestamp(:end), '%Y%m%d%H')
  AND from_unixtime("end") >= from_iso8601_timestamp(:start)
  AND from_unixtime("start") <= from_iso8601_timestamp(:end)
  AND flow_direction = 'egress'
  AND action = 'ACCEPT'
  AND traffic_path IS NOT NULL AND traffic_path <> 1
GROUP BY pkt_srcaddr, pkt_dstaddr, traffic_path
ORDER BY bytes DESC, sender, destination
LIMIT 50
