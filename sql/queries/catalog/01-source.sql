-- SPDX-License-Identifier: MIT
-- Where does the data come from? The pinned npm package (name, version, sha512 integrity,
-- licence) and which catalog this is ('default': the ECS policies kept in the repository;
-- 'full': every policy in the package), with the number of policies, versions and change-log
-- entries.
-- Needs: nothing beyond the catalog (no extension function is called).
SELECT key, value FROM catalog_source
UNION ALL SELECT 'policies', count(*) FROM policy
UNION ALL SELECT 'versions', count(*) FROM policy_version
UNION ALL SELECT 'change_log entries', count(*) FROM change_log;
