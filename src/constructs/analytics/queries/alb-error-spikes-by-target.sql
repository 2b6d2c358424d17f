-- Question: where did 4xx and 5xx responses spike: per target and five-minute interval, the intervals with at
-- least a given number of errors (requests refused at the load balancer have target "-").
-- Table: alb_access_logs
-- Parameters:
--   :start       timestamp  start of the window, ISO 8601 (2024-05-01T10:00:00Z)
--   :end         timestamp  end of the window, ISO 8601
--   :min_errors  number     smallest count of 4xx plus 5xx in one interval to report
SELECT CASE WHEN target_ip = '' THEN '-' ELSE concat(target_ip, ':', CAST(target_port AS varchar)) END AS target,
       from_unixtime(floor(to_unixtime(from_iso8601_timestamp(time)) / 300) * 300) AS interval_start,
       count_if(elb_status_code BETWEEN 400 AND 499) AS errors_4xx,
       count_if(elb_status_code BETWEEN 500 AND 599) AS errors_5xx,
       count(*) AS requests
FROM alb_access_logs
WHERE day BETWEEN date_format(from_iso8601_timestamp(:start), '%Y/%m/%d')
              AND date_format(from_iso8601_timestamp(:end), '%Y/%m/%d')
  AND from_iso8601_timestamp(time) BETWEEN from_iso8601_timestamp(:start) AND from_iso8601_timestamp(:end)
GROUP BY 1, 2
HAVING count_if(elb_status_code >= 400) >= :min_errors
ORDER BY interval_start, target
LIMIT 10000
