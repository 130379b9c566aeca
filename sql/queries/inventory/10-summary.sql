-- SPDX-License-Identifier: MIT
-- What does the inventory hold? Per account: users, groups, roles, managed policies (from the
-- export and from the catalog), inline policies, instance profiles, principals with a
-- permissions boundary, and references to policies that neither the export nor the catalog had.
-- Needs: an inventory (scripts/import-gaad.sh); not the extension.
-- Section: Inventory
-- Summary: principals = sum(users) + sum(roles)
-- Summary: boundaries = sum("with a boundary")
SELECT a.account_id AS account,
       (SELECT count(*) FROM inv_user AS x WHERE x.account_id = a.account_id) AS users,
       (SELECT count(*) FROM inv_group AS x WHERE x.account_id = a.account_id) AS "groups",
       (SELECT count(*) FROM inv_role AS x WHERE x.account_id = a.account_id) AS roles,
       (SELECT count(*) FROM inv_managed_policy AS x WHERE x.account_id = a.account_id AND NOT aws_managed) AS "customer policies",
       (SELECT count(*) FROM inv_managed_policy AS x WHERE x.account_id = a.account_id AND aws_managed AND source = 'file') AS "AWS policies",
       (SELECT count(*) FROM inv_managed_policy AS x WHERE x.account_id = a.account_id AND source = 'catalog') AS "AWS policies from the catalog",
       (SELECT count(*) FROM inv_policy_version AS x WHERE x.account_id = a.account_id) AS "policy versions",
       (SELECT count(*) FROM inv_inline_policy AS x WHERE x.account_id = a.account_id) AS "inline policies",
       (SELECT count(*) FROM inv_instance_profile AS x WHERE x.account_id = a.account_id) AS "instance profiles",
       (SELECT count(*) FROM inv_principal AS x WHERE x.account_id = a.account_id AND boundary_arn IS NOT NULL) AS "with a boundary",
       (SELECT count(*) FROM inv_unresolved_policy AS x WHERE x.account_id = a.account_id) AS "unresolved policies"
FROM inv_account AS a
ORDER BY a.account_id;
