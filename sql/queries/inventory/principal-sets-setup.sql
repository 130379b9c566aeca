-- SPDX-License-Identifier: MIT
-- sql/queries/inventory/principal-sets-setup.sql: every user and role grouped by its effective
-- policy set, so that the reports that decide requests (20-who-can, 40-privesc,
-- 55-who-can-assume) decide each distinct set once and join the answer back to its principals.
-- scripts/report.sh runs it once, before the first report that names it, in the session that
-- runs them all; by hand: cat this file and the report into one sqlite3 run.
--
-- Needs: the extension.
-- Makes (TEMP tables):
--   ps_doc (doc_id, document)             each distinct document once
--   ps_row (arn, policy_kind, policy_name, via, policy_type, policy_arn, doc_id)
--                                         inv_effective_policy with document ids (NULL: unresolved)
--   ps_set (set_id, key, policy)          each distinct effective policy set (identity documents and
--                                         boundary, by content): policy is its object form
--                                         {"identity": [...], "boundary": ...} for iam_decision
--   ps_set_doc (set_id, policy_kind, doc_id, idx)
--                                         the documents of a set; idx is an identity document's
--                                         position in ps_set.policy (document_index of iam_explain)
--   ps_principal (arn, account_id, kind, name, ctx, set_id, caller)
--                                         every user and role: its own context keys (as
--                                         inv_principal_context), its set, and the caller of a
--                                         whole request (as inv_principal_request)
--   ps_class (set_id, account_id, kind, rep, members)
--                                         principals of one set, account and kind: a request whose
--                                         resource and context depend on nothing else but the
--                                         principal's account gets one decision for all of them,
--                                         taken for the representative rep
--   ps_set_reader (set_id, not_action, action_json)
--                                         the statements of a set that read the principal's own
--                                         keys (aws:username, aws:userid, aws:PrincipalArn,
--                                         aws:PrincipalTag/..., any aws:Principal... key) or any
--                                         policy variable ${...}, in Resource or Condition: for an
--                                         action they cover, the set is decided per principal
--   ps_set_assume (set_id)                sets with an Allow statement that covers sts:AssumeRole
--   ps_question_specific (set_id, question), ps_step_specific (set_id, rule, step)
--                                         the sets decided per principal for a question of
--                                         inv_question, a step of privesc_rule_step
--
-- Why one decision per class is the decision of each member: the members have the same
-- documents (by content; order and duplicates do not change a decision), the same account (the
-- reports put the principal's account into resource and context) and the same kind (so the same
-- aws:PrincipalType); their contexts differ only in their own keys, which only the statements of
-- ps_set_reader read. A report decides per principal every set with such a statement covering
-- the action asked. Document positions in explanations (identity[1]) are those of ps_set.policy.

CREATE TEMP TABLE ps_doc (doc_id INTEGER PRIMARY KEY, document TEXT NOT NULL UNIQUE);
INSERT INTO ps_doc (document) SELECT DISTINCT document FROM inv_effective_policy WHERE document IS NOT NULL;

CREATE TEMP TABLE ps_row AS
SELECT e.principal_arn AS arn, e.policy_kind, e.policy_name, e.via, e.policy_type, e.policy_arn, d.doc_id
FROM inv_effective_policy AS e LEFT JOIN ps_doc AS d ON d.document = e.document;
CREATE INDEX temp.ps_row_arn ON ps_row (arn, policy_kind, doc_id);

-- The key of a set: its identity documents' ids (distinct, sorted), '|', its boundary's id. An
-- unresolved document counts for nothing (as in the decisions of the other views).
CREATE TEMP TABLE ps_principal AS
SELECT c.arn, c.account_id, c.kind, c.name, c.ctx,
       coalesce((SELECT group_concat(doc_id, ',') FROM
                   (SELECT DISTINCT r.doc_id FROM ps_row AS r
                    WHERE r.arn = c.arn AND r.policy_kind = 'identity' AND r.doc_id IS NOT NULL ORDER BY 1)), '')
         || '|' || coalesce((SELECT min(r.doc_id) FROM ps_row AS r WHERE r.arn = c.arn AND r.policy_kind = 'boundary'), '')
         AS key,
       CAST(NULL AS INTEGER) AS set_id,
       CASE c.kind WHEN 'user' THEN c.arn
                   ELSE 'arn:aws:sts::' || c.account_id || ':assumed-role/' || c.name || '/sqlite-iam' END AS caller
FROM inv_principal_context AS c;

CREATE TEMP TABLE ps_set (set_id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, policy TEXT);
INSERT INTO ps_set (key) SELECT DISTINCT key FROM ps_principal ORDER BY 1;
UPDATE ps_principal SET set_id = (SELECT s.set_id FROM ps_set AS s WHERE s.key = ps_principal.key);
CREATE UNIQUE INDEX temp.ps_principal_arn ON ps_principal (arn);
CREATE INDEX temp.ps_principal_class ON ps_principal (set_id, account_id, kind);
CREATE INDEX temp.ps_principal_name ON ps_principal (account_id, name);

CREATE TEMP TABLE ps_set_doc AS
SELECT s.set_id, 'identity' AS policy_kind, CAST(j.value AS INTEGER) AS doc_id, j.key AS idx
FROM ps_set AS s, json_each('[' || substr(s.key, 1, instr(s.key, '|') - 1) || ']') AS j
UNION ALL
SELECT set_id, 'boundary', CAST(substr(key, instr(key, '|') + 1) AS INTEGER), 0
FROM ps_set WHERE substr(key, instr(key, '|') + 1) <> '';
CREATE INDEX temp.ps_set_doc_set ON ps_set_doc (set_id, policy_kind, doc_id);

UPDATE ps_set SET policy = json_object(
  'identity', (SELECT json_group_array(json(document)) FROM
                 (SELECT d.document FROM ps_set_doc AS x JOIN ps_doc AS d ON d.doc_id = x.doc_id
                  WHERE x.set_id = ps_set.set_id AND x.policy_kind = 'identity' ORDER BY x.idx)),
  'boundary', (SELECT json(d.document) FROM ps_set_doc AS x JOIN ps_doc AS d ON d.doc_id = x.doc_id
               WHERE x.set_id = ps_set.set_id AND x.policy_kind = 'boundary'));

CREATE TEMP TABLE ps_class AS
SELECT set_id, account_id, kind, min(arn) AS rep, count(*) AS members
FROM ps_principal GROUP BY set_id, account_id, kind;
CREATE INDEX temp.ps_class_account ON ps_class (account_id);

-- The statements of each document (materialised first: in a join whose WHERE has an OR over its
-- columns, iam_statements() can fail to plan with "missing policy argument" in this version).
CREATE TEMP TABLE ps_doc_stmt AS
WITH s AS MATERIALIZED (
  SELECT d.doc_id, x.effect, x.not_action, x.action_json, x.resource_json, x.condition_json
  FROM ps_doc AS d, iam_statements(d.document) AS x)
SELECT doc_id, effect, not_action, action_json,
       lower(coalesce(resource_json, '') || ' ' || coalesce(condition_json, '')) AS reads
FROM s;

CREATE TEMP TABLE ps_set_reader AS
SELECT DISTINCT x.set_id, s.not_action, s.action_json
FROM ps_doc_stmt AS s JOIN ps_set_doc AS x ON x.doc_id = s.doc_id
WHERE s.reads LIKE '%${%' OR s.reads LIKE '%aws:principal%' OR s.reads LIKE '%aws:username%'
   OR s.reads LIKE '%aws:userid%';
CREATE INDEX temp.ps_set_reader_set ON ps_set_reader (set_id);

CREATE TEMP TABLE ps_set_assume AS
SELECT DISTINCT x.set_id
FROM ps_doc_stmt AS s JOIN ps_set_doc AS x ON x.doc_id = s.doc_id AND x.policy_kind = 'identity'
WHERE s.effect = 'Allow'
  AND (s.not_action = 0) = EXISTS (SELECT 1 FROM json_each(s.action_json) AS j
                                   WHERE iam_action_matches(j.value, 'sts:AssumeRole'));
CREATE UNIQUE INDEX temp.ps_set_assume_set ON ps_set_assume (set_id);

-- The questions (inv_question) and privilege-escalation steps (privesc_rule_step) for which a set
-- is decided per principal: a statement of it that reads the principal's own keys covers the
-- action asked.
CREATE TEMP TABLE ps_question_specific AS
SELECT DISTINCT r.set_id, q.name AS question
FROM ps_set_reader AS r, inv_question AS q
WHERE (r.not_action = 0) = EXISTS (SELECT 1 FROM json_each(r.action_json) AS j WHERE iam_action_matches(j.value, q.action));
CREATE UNIQUE INDEX temp.ps_question_specific_key ON ps_question_specific (question, set_id);

CREATE TEMP TABLE ps_step_specific AS
SELECT DISTINCT r.set_id, s.rule, s.step
FROM ps_set_reader AS r, privesc_rule_step AS s
WHERE (r.not_action = 0) = EXISTS (SELECT 1 FROM json_each(r.action_json) AS j WHERE iam_action_matches(j.value, s.action));
CREATE UNIQUE INDEX temp.ps_step_specific_key ON ps_step_specific (rule, step, set_id);
