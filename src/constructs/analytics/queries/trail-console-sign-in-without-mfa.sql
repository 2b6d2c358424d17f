-- Question: which console sign-ins succeeded without MFA in a time window (standalone mode's trail).
-- Table: cloudtrail_logs
-- Parameters:
--   :start  timestamp  start of the window, ISO 8601 (2024-05-01T10:00:00Z)
--   :end    timestamp  end of the window, ISO 8601
SELECT eventtime, useridentity.type AS identity_type, useridentity.arn AS who, sourceipaddress, useragent, awsregion
FROM cloudtrail_logs
WHERE day BETWEEN date_format(from_iso8601_timestamp(:start), '%Y/%m/%d')
              AND date_format(from_iso8601_timestamp(:end), '%Y/%m/%d')
  AND from_iso8601_timestamp(eventtime) BETWEEN from_iso8601_timestamp(:start) AND from_iso8601_timestamp(:end)
  AND eventname = 'ConsoleLogin'
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
  AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'
ORDER BY eventtime, eventid
LIMIT 10000
