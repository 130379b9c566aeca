-- SPDX-License-Identifier: MIT
-- sql/queries/inventory/policy-setup.sql: every user's and role's documents named in words, for
-- the reports that say which statement grants what (11-admins.sql, 41-privesc-findings.sql,
-- 42-data-access.sql), on the policy sets of principal-sets-setup.sql (run first).
-- scripts/report.sh runs both once, before the first report that names them; by hand: cat
-- principal-sets-setup.sql, this file and the report into one sqlite3 run.
--
-- Needs: an inventory; the TEMP tables of principal-sets-setup.sql.
-- Makes (TEMP view):
--   pp_doc (arn, part, policy_name, policy_type, via, policy_arn, aws_managed, label, doc_id):
--     one row per resolved document of a principal; part is 'identity' or 'boundary'; doc_id the
--     document (ps_doc), whose position in the principal's set is ps_set_doc.idx. The reports list
--     a principal's documents by via, type, name and ARN. label says what the document is in
--     words ("AdministratorAccess (AWS managed, via group admin)").
-- Unresolved documents (inv_unresolved_policy) are left out, as in every decision of the inventory.
CREATE TEMP VIEW pp_doc AS
SELECT r.arn, r.policy_kind AS part, r.policy_name, r.policy_type, r.via, r.policy_arn,
       coalesce(r.policy_arn GLOB 'arn:aws*:iam::aws:policy/*', 0) AS aws_managed,
       r.policy_name || ' ('
         || CASE WHEN r.policy_kind = 'boundary' THEN 'permissions boundary'
                 WHEN r.policy_type = 'inline' THEN 'inline'
                 WHEN r.policy_arn GLOB 'arn:aws*:iam::aws:policy/*' THEN 'AWS managed'
                 ELSE 'customer managed' END
         || CASE WHEN r.via LIKE 'group:%' THEN ', via group ' || substr(r.via, 7) ELSE '' END || ')' AS label,
       r.doc_id
FROM ps_row AS r
WHERE r.doc_id IS NOT NULL;
