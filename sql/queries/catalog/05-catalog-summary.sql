-- SPDX-License-Identifier: MIT
-- What does the catalog hold? One row per ECS-related policy (set 'ecs'): its kind, whether it
-- can be attached to users, groups and roles, how many versions are stored out of how many AWS
-- created, the default version, and when the policy was created and last updated.
-- Needs: nothing beyond the catalog (no extension function is called).
SELECT p.name AS policy, p.kind, CASE p.attachable WHEN 1 THEN 'yes' ELSE 'no' END AS attachable,
       (SELECT count(*) FROM policy_version AS v WHERE v.policy_id = p.policy_id) || '/' || p.versions_reported AS "stored/created",
       p.default_version_id AS "default", substr(p.created_date, 1, 10) AS created,
       substr(p.last_updated_date, 1, 10) AS "last updated"
FROM policy AS p JOIN policy_set_member AS m ON m.policy_id = p.policy_id AND m.set_name = 'ecs'
ORDER BY p.name;
