-- PRAGMA trusted_schema=OFF (issue 7 §7): every function and table-valued function is innocuous, so views,
-- triggers, CHECK constraints, generated columns and indexes in the schema may use them; a function
-- that is not innocuous is refused there.
.echo on
.headers off
.mode list
.nullvalue NULL
PRAGMA trusted_schema=OFF;
PRAGMA trusted_schema;
CREATE TABLE pol(name TEXT PRIMARY KEY, doc TEXT NOT NULL);
INSERT INTO pol VALUES
  ('run', '{"Version":"2012-10-17","Statement":[{"Sid":"Run","Effect":"Allow","Action":["ecs:RunTask","ecs:Describe*"],"Resource":"arn:aws:ecs:*:*:task-definition/${aws:username}-*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}'),
  ('deny', '{"Statement":{"Effect":"Deny","Action":"ecs:*","Resource":"*"}}');
CREATE TABLE req(id INTEGER PRIMARY KEY, action TEXT, resource TEXT, ctx TEXT);
INSERT INTO req VALUES
  (1, 'ecs:RunTask', 'arn:aws:ecs:us-east-1:1:task-definition/ann-web:1', '{"aws:username":"ann","aws:RequestedRegion":"us-east-1"}'),
  (2, 'ecs:RunTask', 'arn:aws:ecs:us-east-1:1:task-definition/bob-web:1', '{"aws:username":"ann","aws:RequestedRegion":"us-east-1"}'),
  (3, 'ecs:DescribeTasks', 'arn:aws:ecs:us-east-1:1:task-definition/ann-x', '{"aws:username":"ann","aws:RequestedRegion":"eu-west-1"}');
-- a view over the scalar functions
CREATE VIEW decisions AS
  SELECT p.name, r.id, iam_decision(p.doc, r.action, r.resource, r.ctx) AS decision,
         iam_allows(p.doc, r.action, r.resource, r.ctx) AS allowed,
         iam_action_matches('ecs:Describe*', r.action) AS describe,
         iam_resource_matches('arn:aws:ecs:*:*:task-definition/${aws:username}-*', r.resource, r.ctx) AS own
  FROM pol p, req r;
SELECT * FROM decisions ORDER BY name, id;
-- a view over the aggregates and the table-valued functions
CREATE VIEW combined AS
  SELECT r.id, iam_decision_agg(p.doc, r.action, r.resource, r.ctx) AS decision FROM pol p, req r GROUP BY r.id;
SELECT * FROM combined ORDER BY id;
CREATE VIEW patterns AS
  SELECT p.name, s.statement_index, s.effect, a.pattern FROM pol p, iam_statements(p.doc) s, iam_actions(p.doc) a
  WHERE a.statement_index = s.statement_index;
SELECT * FROM patterns ORDER BY 1, 2, 4;
CREATE VIEW resources AS SELECT p.name, r.pattern, r.has_variable FROM pol p, iam_resources(p.doc) r;
SELECT * FROM resources ORDER BY 1, 2;
CREATE VIEW conditions AS SELECT p.name, c.operator, c.key, c.value FROM pol p, iam_conditions(p.doc) c;
SELECT * FROM conditions ORDER BY 1, 2, 3;
CREATE VIEW explained AS
  SELECT r.id, e.statement_index, e.applies, e.decision FROM pol p, req r, iam_explain(p.doc, r.action, r.resource, r.ctx) e
  WHERE p.name = 'run';
SELECT * FROM explained ORDER BY 1, 2;
-- a trigger that records decisions
CREATE TABLE audit(id INTEGER, decision TEXT, statements INTEGER);
CREATE TRIGGER req_audit AFTER INSERT ON req BEGIN
  INSERT INTO audit SELECT NEW.id, iam_decision(doc, NEW.action, NEW.resource, NEW.ctx),
    (SELECT count(*) FROM iam_statements(doc)) FROM pol WHERE name = 'run';
END;
INSERT INTO req VALUES (4, 'ecs:RunTask', 'arn:aws:ecs:us-east-1:1:task-definition/cy-api:2', '{"aws:username":"cy","aws:RequestedRegion":"us-east-1"}');
SELECT * FROM audit;
-- CHECK constraints, generated columns and expression indexes
CREATE TABLE checked(doc TEXT CHECK (iam_decision(doc, 'ecs:RunTask', '*') IS NOT NULL),
  allowed INTEGER GENERATED ALWAYS AS (iam_allows(doc, 'ecs:RunTask', '*')));
CREATE INDEX checked_allowed ON checked(iam_allows(doc, 'ecs:ListTasks', '*'));
INSERT INTO checked(doc) VALUES ('{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*"}}');
INSERT INTO checked(doc) VALUES ('{"Statement":{"Effect":"Allow","Action":"ecs:*"}}');
SELECT allowed FROM checked;
-- iam_version is innocuous too; iam_debug (not deterministic) is refused in an index but works in a view
CREATE VIEW v AS SELECT iam_version() IS NOT NULL AS has_version, iam_debug() LIKE 'version=%' AS has_debug;
SELECT * FROM v;
CREATE TABLE t(x);
CREATE INDEX t_debug ON t(iam_debug());
-- a function that is not innocuous (from the shell, for contrast) is refused in a view
CREATE VIEW unsafe AS SELECT edit('x') AS y;
SELECT * FROM unsafe;
