-- sql/catalog/check.sql: consistency checks run by scripts/build-catalog.sh after sql/catalog/load.sql,
-- still inside the build's transaction. Each problem is printed (to standard output); if there is any, the
-- script stops with "CHECK constraint failed: catalog is inconsistent" and nothing is committed.
-- (Parsing every document with the iam extension is a separate step of build-catalog.sh.)

CREATE TEMP TABLE check_error (msg TEXT NOT NULL);
CREATE TEMP TABLE check_assert (
  n INTEGER,
  CONSTRAINT "catalog is inconsistent (see the messages above)" CHECK (n = 0)
);

INSERT INTO check_error
SELECT 'foreign key violation: ' || "table" || ' rowid ' || coalesce(rowid, '?') || ' -> ' || parent
FROM pragma_foreign_key_check;

INSERT INTO check_error
SELECT p.name || ': default version ' || p.default_version_id || ' is not flagged is_default'
FROM policy AS p
WHERE NOT EXISTS (SELECT 1 FROM policy_version AS v
                  WHERE v.policy_id = p.policy_id AND v.version_id = p.default_version_id AND v.is_default);

INSERT INTO check_error
SELECT p.name || ' ' || v.version_id || ': is_default but the policy names ' || p.default_version_id
FROM policy_version AS v JOIN policy AS p USING (policy_id)
WHERE v.is_default AND v.version_id <> p.default_version_id;

INSERT INTO check_error
SELECT name || ' ' || version_id || ': created ' || valid_from || ', after the next stored version (' || valid_until || ')'
FROM policy_version_span WHERE valid_until < valid_from;

INSERT INTO check_error
SELECT 'latest_policy has ' || (SELECT count(*) FROM latest_policy) || ' rows for ' || count(*) || ' policies'
FROM policy HAVING count(*) <> (SELECT count(*) FROM latest_policy);

SELECT 'catalog: ' || msg FROM check_error ORDER BY msg;
INSERT INTO check_assert SELECT count(*) FROM check_error;
