-- SPDX-License-Identifier: MIT
-- sql/queries/inventory/policy-setup.sql: every user's and role's policies as one decision
-- object, with each document named, for the reports that say which statement grants what
-- (11-admins.sql, 41-privesc-findings.sql). scripts/report.sh runs it once, before the first
-- report that names it; by hand: cat this file and the report into one sqlite3 run.
--
-- Needs: an inventory; the extension for the reports that use it.
-- Makes (TEMP tables):
--   pp_doc (arn, part, idx, policy_name, policy_type, via, policy_arn, aws_managed, label, document):
--     one row per resolved document of a principal; part is 'identity' or 'boundary', idx its
--     position within the part (0-based), which is the document_index of iam_explain() on the
--     principal's object. label says what the document is in words ("AdministratorAccess
--     (AWS managed, via group admin)").
--   pp_obj (account_id, kind, name, arn, ctx, obj): one row per user and role; obj is
--     {"identity": [documents in idx order], "boundary": document or null}, the policy argument of
--     iam_decision() and iam_explain(); ctx the principal's own context keys (inv_principal_context).
-- Unresolved documents (inv_unresolved_policy) are left out, as in every decision of the inventory.
CREATE TEMP TABLE pp_doc AS
SELECT e.principal_arn AS arn, e.policy_kind AS part,
       row_number() OVER (PARTITION BY e.principal_arn, e.policy_kind
                          ORDER BY e.via, e.policy_type, e.policy_name, e.policy_arn) - 1 AS idx,
       e.policy_name, e.policy_type, e.via, e.policy_arn,
       coalesce(e.policy_arn GLOB 'arn:aws*:iam::aws:policy/*', 0) AS aws_managed,
       e.policy_name || ' ('
         || CASE WHEN e.policy_kind = 'boundary' THEN 'permissions boundary'
                 WHEN e.policy_type = 'inline' THEN 'inline'
                 WHEN e.policy_arn GLOB 'arn:aws*:iam::aws:policy/*' THEN 'AWS managed'
                 ELSE 'customer managed' END
         || CASE WHEN e.via LIKE 'group:%' THEN ', via group ' || substr(e.via, 7) ELSE '' END || ')' AS label,
       e.document
FROM inv_effective_policy AS e
WHERE e.document IS NOT NULL;
CREATE INDEX temp.pp_doc_key ON pp_doc (arn, part, idx);

CREATE TEMP TABLE pp_obj AS
SELECT c.account_id, c.kind, c.name, c.arn, c.ctx,
       json_object('identity', json(coalesce((SELECT json_group_array(json(d.document))
                                              FROM (SELECT document FROM pp_doc AS x
                                                    WHERE x.arn = c.arn AND x.part = 'identity' ORDER BY x.idx) AS d),
                                             '[]')),
                   'boundary', json((SELECT x.document FROM pp_doc AS x WHERE x.arn = c.arn AND x.part = 'boundary'))) AS obj
FROM inv_principal_context AS c;
CREATE INDEX temp.pp_obj_arn ON pp_obj (arn);
