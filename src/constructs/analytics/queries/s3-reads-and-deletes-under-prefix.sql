-- Question: who read or deleted objects under a key prefix of a bucket in a time window.
-- Table: s3_access_logs
-- Parameters:
--   :start   timestamp  start of the window, ISO 8601 (2024-05-01T10:00:00Z)
--   :end     timestamp  end of the window, ISO 8601
--   :bucket  string     the bucket name
--   :prefix  string     key prefix, e.g. app/documents/ (empty for the whole bucket)
SELECT date_parse(requestdatetime, '%d/%b/%Y:%H:%i:%s +0000') AS request_time,
       requester, remoteip, operation, key, httpstatus, bytessent, versionid, useragent
FROM s3_access_logs
WHERE bucket_name = :bucket
  AND starts_with(key, :prefix)
  AND operation IN ('REST.GET.OBJECT', 'REST.HEAD.OBJECT', 'REST.COPY.OBJECT_GET', 'REST.DELETE.OBJECT',
                    'REST.POST.MULTI_OBJECT_DELETE', 'BATCH.DELETE.OBJECT')
  AND date_parse(requestdatetime, '%d/%b/%Y:%H:%i:%s +0000') BETWEEN from_iso8601_timestamp(:start) AND from_iso8601_timestamp(:end)
ORDER BY request_time, requestid
LIMIT 10000
