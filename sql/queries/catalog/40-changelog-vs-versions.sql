-- SPDX-License-Identifier: MIT
-- How does the ECS change log line up with the stored versions? For each entry: the last
-- stored version created on or before the change date, and the next stored version with its
-- date ('unknown' where the source has none). A change should show up as a version created on
-- its date, or as the next version.
-- Needs: nothing beyond the catalog (no extension function is called).
SELECT c.change_date AS date, coalesce(c.policy_name, '(all)') AS policy, c.change_kind AS kind,
       CASE WHEN length(c.summary) > 60 THEN substr(c.summary, 1, 57) || '...' ELSE c.summary END AS change,
       coalesce(b.version_id || ' ' || substr(b.created_date, 1, 10), '-') AS "version on/before",
       coalesce(n.version_id || ' ' || coalesce(substr(n.created_date, 1, 10), 'unknown'), '-') AS "next version"
FROM change_log AS c
LEFT JOIN policy AS p ON p.name = c.policy_name
LEFT JOIN policy_version AS b ON b.policy_id = p.policy_id AND b.version_num =
  (SELECT max(version_num) FROM policy_version
   WHERE policy_id = p.policy_id AND created_date < date(c.change_date, '+1 day'))
LEFT JOIN policy_version AS n ON n.policy_id = p.policy_id AND n.version_num =
  (SELECT min(version_num) FROM policy_version
   WHERE policy_id = p.policy_id AND version_num > coalesce(b.version_num, 0))
ORDER BY c.change_date DESC, c.change_id;
