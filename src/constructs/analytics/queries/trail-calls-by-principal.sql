-- Question: every API call made by a role, user or access key in a time window (standalone mode's trail).
-- Table: cloudtrail_logs
-- Parameters:
--   :start      timestamp  start of the window, ISO 8601 (2024-05-01T10:00:00Z)
--   :end        timestamp  end of the window, ISO 8601
--   :principal  string     an access key id (AKIA.../ASIA...), a role or user ARN, or an assumed-role session ARN
SELECT eventtime, eventsource, eventname, awsregion, sourceipaddress, useragent,
       useridentity.arn AS caller, useridentity.accesskeyid AS access_key,
       errorcode, requestparameters
FROM cloudtrail_logs
WHERE day BETWEEN date_format(from_iso8601_timestamp(:start), '%Y/%m/%d')
              AND date_format(from_iso8601_timestamp(:end), '%Y/%m/%d')
  AND from_iso8601_timestamp(eventtime) BETWEEN from_iso8601_timestamp(:start) AND from_iso8601_timestamp(:end)
  AND (useridentity.accesskeyid = :principal
       OR useridentity.arn = :principal
       OR useridentity.sessioncontext.sessionissuer.arn = :principal)
ORDER BY eventtime, eventid
LIMIT 10000
