-- SPDX-License-Identifier: MIT
-- Which referenced policies are unknown? Managed policies attached or set as a boundary that
-- neither the export nor the catalog held: decisions leave them out (an unknown identity policy
-- grants nothing; an unknown boundary counts as no boundary). An import with the full catalog
-- of AWS managed policies resolves every AWS managed one.
-- Needs: an inventory; not the extension. The full catalog: make catalog-full, then
-- scripts/import-gaad.sh --catalog catalog-full.db.
-- Section: Data quality
-- Summary: unresolved policies = count(*)
SELECT account_id AS account, policy_arn AS policy, used_as AS "used as" FROM inv_unresolved_policy ORDER BY 1, 2, 3;
