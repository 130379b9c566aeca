-- What does the inventory hold? Per account: users, groups, roles, managed policies (from the
-- export and from the catalog), inline policies, instance profiles, principals with a
-- permissions boundary, and references to policies that neither the export nor the catalog had.
-- Needs: an inventory (scripts/import-gaad.sh); not the extension.
SELECT a.account_id AS account,
       (SELECT count(*) FROM inv_user AS x WHERE x.account_id = a.account_id) AS users,
       (SELECT count(*) FROM inv_group AS x WHERE x.account_id = a.account_id) AS groups_,
       (SELECT count(*) FROM inv_role AS x WHERE x.account_id = a.account_id) AS roles,
       (SELECT count(*) FROM inv_managed_policy AS x WHERE x.account_id = a.account_id AND NOT aws_managed) AS customer_policies,
       (SELECT count(*) FROM inv_managed_policy AS x WHERE x.account_id = a.account_id AND aws_managed AND source = 'file') AS aws_policies,
       (SELECT count(*) FROM inv_managed_policy AS x WHERE x.account_id = a.account_id AND source = 'catalog') AS from_catalog,
       (SELECT count(*) FROM inv_policy_version AS x WHERE x.account_id = a.account_id) AS policy_versions,
       (SELECT count(*) FROM inv_inline_policy AS x WHERE x.account_id = a.account_id) AS inline_policies,
       (SELECT count(*) FROM inv_instance_profile AS x WHERE x.account_id = a.account_id) AS instance_profiles,
       (SELECT count(*) FROM inv_principal AS x WHERE x.account_id = a.account_id AND boundary_arn IS NOT NULL) AS with_boundary,
       (SELECT count(*) FROM inv_unresolved_policy AS x WHERE x.account_id = a.account_id) AS unresolved
FROM inv_account AS a
ORDER BY a.account_id;
