-- SPDX-License-Identifier: MIT
-- sql/catalog/check.sql: consistency checks run by scripts/build-catalog.sh after sql/catalog/load.sql,
-- still inside the build's transaction. Each problem is printed (to standard output); if there is any, the
-- build stops on the stage_assert constraint and nothing is committed.
-- (Parsing every document with the iam extension is a separate step of build-catalog.sh.)

-- Problems: one row each in stage_error, printed and then stopped on by the two statements that
-- end the checks (the loaders' one idiom, sql/README.md "Loaders").
CREATE TEMP TABLE IF NOT EXISTS stage_error (msg TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS stage_assert (
  n INTEGER CONSTRAINT "the input is invalid (see the messages above); nothing was written" CHECK (n = 0)
);

INSERT INTO stage_error
SELECT 'foreign key violation: ' || "table" || ' rowid ' || coalesce(rowid, '?') || ' -> ' || parent
FROM pragma_foreign_key_check;

INSERT INTO stage_error
SELECT p.name || ': default version ' || p.default_version_id || ' is not flagged is_default'
FROM policy AS p
WHERE NOT EXISTS (SELECT 1 FROM policy_version AS v
                  WHERE v.policy_id = p.policy_id AND v.version_id = p.default_version_id AND v.is_default);

INSERT INTO stage_error
SELECT p.name || ' ' || v.version_id || ': is_default but the policy names ' || p.default_version_id
FROM policy_version AS v JOIN policy AS p USING (policy_id)
WHERE v.is_default AND v.version_id <> p.default_version_id;

INSERT INTO stage_error
SELECT name || ' ' || version_id || ': created ' || valid_from || ', after the next stored version (' || valid_until || ')'
FROM policy_version_span WHERE valid_until < valid_from;

INSERT INTO stage_error
SELECT 'latest_policy has ' || (SELECT count(*) FROM latest_policy) || ' rows for ' || count(*) || ' policies'
FROM policy HAVING count(*) <> (SELECT count(*) FROM latest_policy);

SELECT replace(replace(msg, char(13), '\r'), char(10), '\n') FROM stage_error GROUP BY msg ORDER BY min(rowid);
INSERT INTO stage_assert SELECT count(*) FROM stage_error;
