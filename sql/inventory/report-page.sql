-- SPDX-License-Identifier: MIT
-- sql/inventory/report-page.sql: the inventory as report.html reads it: one JSON object on one
-- line, with every '<' written \u003c so that it can sit inside a <script> element.
--
-- Needs: an inventory, the extension (iam_statements, for the trust policies), and the TEMP
-- table report_info (version, database, catalog, format) that scripts/report.sh makes.
-- Run:   by scripts/report.sh, last in its session; the reports' own data comes from the reports.
--
-- Members:
--   generated    the time of this run, UTC
--   version, database, catalog, format    from report_info
--   accounts     [{id, files, newest, users, groups, roles, policies}]; newest is the newest date
--                the export holds for the account (created, updated, last used): the export was
--                taken on that day or later (GAAD files carry no date of their own)
--   principals   [{account, kind, name, arn, path, created, lastUsed, lastRegion, description,
--                  boundary, groups, tags, trust, policies}], users and roles in account, kind
--                (users first) and name order; trust: who a role's trust policy lets assume it
--                (an Allow statement's principals; "(conditions)" when the statement has any);
--                policies: [{name, part, type, owner, via, resolved}], part 'identity' or
--                'boundary', type 'inline' or 'managed', owner 'AWS' or 'customer' (managed only),
--                via 'user', 'role' or 'group:NAME', resolved 0 when neither the export nor the
--                catalog had the document
WITH newest (account_id, at) AS (
  SELECT account_id, created_date FROM inv_user
  UNION ALL SELECT account_id, created_date FROM inv_group
  UNION ALL SELECT account_id, created_date FROM inv_role
  UNION ALL SELECT account_id, last_used_date FROM inv_role
  UNION ALL SELECT account_id, created_date FROM inv_instance_profile
  UNION ALL SELECT account_id, created_date FROM inv_managed_policy WHERE source = 'file'
  UNION ALL SELECT account_id, updated_date FROM inv_managed_policy WHERE source = 'file'
  UNION ALL SELECT v.account_id, v.created_date FROM inv_policy_version AS v
    JOIN inv_managed_policy AS p ON p.account_id = v.account_id AND p.arn = v.policy_arn WHERE p.source = 'file'),
trust_stmt AS MATERIALIZED (
  SELECT t.role_arn, s.principal_json, s.condition_json IS NOT NULL AS conditional
  FROM inv_role_trust AS t, iam_statements(t.document) AS s
  WHERE s.effect = 'Allow' AND s.not_principal = 0),
trust (role_arn, who) AS (
  SELECT role_arn, '*' || CASE WHEN conditional THEN ' (conditions)' ELSE '' END FROM trust_stmt WHERE principal_json = '"*"'
  UNION
  SELECT s.role_arn, v.value || CASE WHEN s.conditional THEN ' (conditions)' ELSE '' END
  FROM trust_stmt AS s, json_each(s.principal_json) AS k,
       json_each(CASE k.type WHEN 'array' THEN k.value ELSE json_quote(k.value) END) AS v
  WHERE s.principal_json <> '"*"'),
pol AS MATERIALIZED (
  -- each principal's policies in one pass over the effective policies (a lookup per principal
  -- costs a search of every part of the view): the list in a fixed order, and the boundary
  SELECT principal_arn, policies, boundary FROM (
    SELECT e.principal_arn,
           json_group_array(json_object(
             'name', e.policy_name, 'part', e.policy_kind, 'type', e.policy_type,
             'owner', CASE WHEN e.policy_type = 'managed' THEN
                        CASE WHEN e.policy_arn GLOB 'arn:aws*:iam::aws:policy/*' THEN 'AWS' ELSE 'customer' END END,
             'via', e.via, 'resolved', e.resolved)) OVER w AS policies,
           max(CASE WHEN e.policy_kind = 'boundary' THEN e.policy_name END) OVER w AS boundary,
           row_number() OVER w AS nth
    FROM (SELECT principal_arn, policy_name, policy_kind, policy_type, policy_arn, via, document IS NOT NULL AS resolved
          FROM inv_effective_policy) AS e
    WINDOW w AS (PARTITION BY e.principal_arn ORDER BY e.policy_kind DESC, e.via, e.policy_type, e.policy_name
                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE nth = 1),
principal AS (
  SELECT p.account_id, p.kind, p.name, p.arn, p.path, p.created_date, p.tags,
         r.last_used_date, r.last_used_region, r.description, x.policies, x.boundary
  FROM inv_principal AS p
  LEFT JOIN inv_role AS r ON p.kind = 'role' AND r.account_id = p.account_id AND r.name = p.name
  LEFT JOIN pol AS x ON x.principal_arn = p.arn
  ORDER BY p.account_id, p.kind DESC, p.name)
SELECT replace(json_object(
  'generated', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
  'version', (SELECT version FROM report_info),
  'database', (SELECT database FROM report_info),
  'catalog', (SELECT catalog FROM report_info),
  'format', (SELECT format FROM report_info),
  'accounts', (SELECT json_group_array(json_object(
      'id', a.account_id, 'files', json(a.source_files),
      'newest', (SELECT max(at) FROM newest AS n WHERE n.account_id = a.account_id),
      'users', (SELECT count(*) FROM inv_user AS x WHERE x.account_id = a.account_id),
      'groups', (SELECT count(*) FROM inv_group AS x WHERE x.account_id = a.account_id),
      'roles', (SELECT count(*) FROM inv_role AS x WHERE x.account_id = a.account_id),
      'policies', (SELECT count(*) FROM inv_managed_policy AS x WHERE x.account_id = a.account_id)
                  + (SELECT count(*) FROM inv_inline_policy AS x WHERE x.account_id = a.account_id)))
    FROM (SELECT * FROM inv_account ORDER BY account_id) AS a),
  'principals', (SELECT json_group_array(json_object(
      'account', p.account_id, 'kind', p.kind, 'name', p.name, 'arn', p.arn, 'path', p.path,
      'created', p.created_date, 'lastUsed', p.last_used_date, 'lastRegion', p.last_used_region,
      'description', p.description,
      'boundary', p.boundary,
      'groups', CASE WHEN p.kind = 'user' THEN
                  (SELECT json_group_array(group_name) FROM
                     (SELECT m.group_name FROM inv_group_member AS m
                      WHERE m.account_id = p.account_id AND m.user_name = p.name ORDER BY 1)) END,
      'tags', json(p.tags),
      'trust', CASE WHEN p.kind = 'role' THEN
                 (SELECT json_group_array(who) FROM (SELECT who FROM trust AS t WHERE t.role_arn = p.arn ORDER BY 1)) END,
      'policies', json(coalesce(p.policies, '[]'))))
    FROM principal AS p)), '<', '\u003c');
