-- SPDX-License-Identifier: MIT
-- Which version of each ECS managed policy was in force at the end of a given day (here
-- 2023-06-01; edit the date below)? Uses the policy_version_span view. "certain" = the span
-- is exact; otherwise the listed version is the last one known to have been created by then,
-- and a later version the source has no date for (or lacks) may already have replaced it.
-- Needs: nothing beyond the catalog (no extension function is called).
WITH at(t) AS (VALUES ('2023-06-01' || 'T23:59:59Z'))
SELECT p.name AS policy,
       coalesce(s.version_id, '-') AS version,
       CASE WHEN p.created_date > at.t THEN 'not created yet'
            WHEN s.version_id IS NULL THEN 'unknown'
            WHEN s.exact THEN 'certain'
            ELSE 'maybe (later versions undated)' END AS "in force?",
       coalesce(substr(s.valid_from, 1, 10), '') AS since,
       coalesce(substr(s.valid_until, 1, 10), '') AS "until"
FROM at, policy AS p
JOIN policy_set_member AS m ON m.policy_id = p.policy_id AND m.set_name = 'ecs'
LEFT JOIN policy_version_span AS s ON s.policy_id = p.policy_id
  AND s.valid_from <= at.t AND (s.valid_until IS NULL OR s.valid_until > at.t)
  AND s.version_num = (SELECT max(version_num) FROM policy_version_span AS x
                       WHERE x.policy_id = p.policy_id AND x.valid_from <= at.t)
ORDER BY p.name;
