-- SPDX-License-Identifier: MIT
-- Which referenced policies are unknown? Managed policies attached or set as a boundary that
-- neither the export nor the catalog held: decisions leave them out (an unknown identity policy
-- grants nothing; an unknown boundary counts as no boundary). Import with catalog-full.db
-- (make catalog-full) to resolve every AWS-managed policy.
-- Needs: an inventory; not the extension.
-- Section: Data quality
-- Summary: unresolved policies = count(*)
SELECT account_id AS account, policy_arn AS policy, used_as AS "used as" FROM inv_unresolved_policy ORDER BY 1, 2, 3;
