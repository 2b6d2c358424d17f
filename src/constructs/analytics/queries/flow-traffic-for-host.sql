-- Question: all traffic to or from an instance or IP address in a time window.
-- Table: vpc_flow_logs
-- Parameters:
--   :start  timestamp  start of the window, ISO 8601 (2024-05-01T10:00:00Z)
--   :end    timestamp  end of the window, ISO 8601
--   :host   string     an IP address (as seen in the VPC or behind NAT) or an instance id (i-...)
SELECT from_unixtime("start") AS flow_start,
       from_unixtime("end") AS flow_end,
       interface_id, instance_id, flow_direction, action,
       srcaddr, srcport, dstaddr, dstport, protocol,
       pkt_srcaddr, pkt_dstaddr, packets, bytes, traffic_path
FROM vpc_flow_logs
WHERE concat(year, month, day, hour) BETWEEN date_format(from_iso8601_timestamp(:start), '%Y%m%d%H')
                                         AND date_format(from_iso8601_timestamp(:end), '%Y%m%d%H')
  AND from_unixtime("end") >= from_iso8601_timestamp(:start)
  AND from_unixtime("start") <= from_iso8601_timestamp(:end)
  AND (srcaddr = :host OR dstaddr = :host OR pkt_srcaddr = :host OR pkt_dstaddr = :host OR instance_id = :host)
ORDER BY flow_start, interface_id, srcaddr, srcport
LIMIT 10000
