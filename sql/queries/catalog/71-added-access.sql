-- Which versions of the AWS managed policies added access, and which? Newest first: each stored
-- version against the one before it (iam_new_access), the actions it allows that the earlier
-- one did not allow at all ("new actions", by access level), the actions it now allows on more
-- resources ("wider"), and its new action patterns that match no action AWS lists today
-- ("unlisted": retired or misspelled actions). A version the source has no date for is listed
-- last. Every new grant counts, conditional or not (iam_new_access's conditional column).
-- Needs: the extension; the catalog's action tables.
WITH pairs AS (
  SELECT p.name, v.created_date,
         lag(v.version_id) OVER w AS old_version, v.version_id AS new_version,
         lag(v.document) OVER w AS old_document, v.document AS new_document
  FROM policy_version AS v JOIN policy AS p USING (policy_id)
  WINDOW w AS (PARTITION BY v.policy_id ORDER BY v.version_num)),
added AS (
  SELECT x.name, x.created_date, x.old_version, x.new_version, a.action, a.access_level, a.kind
  FROM pairs AS x, iam_new_access(x.old_document, x.new_document) AS a
  WHERE x.old_version IS NOT NULL)
SELECT name AS policy, old_version || ' -> ' || new_version AS versions,
       coalesce(substr(created_date, 1, 10), 'unknown') AS date,
       sum(kind = 'action') AS "new actions",
       coalesce((SELECT group_concat(n || ' ' || access_level, ', ')
                 FROM (SELECT access_level, count(*) AS n FROM added AS b
                       WHERE b.name = a.name AND b.new_version = a.new_version AND b.kind = 'action'
                       GROUP BY access_level ORDER BY min(CASE access_level WHEN 'Permissions management' THEN 1
                                WHEN 'Tagging' THEN 2 WHEN 'Write' THEN 3 WHEN 'Read' THEN 4 ELSE 5 END))),
                '') AS "by level",
       sum(kind = 'resource') AS wider, sum(kind = 'pattern') AS unlisted,
       (SELECT group_concat(action, ' ') FROM (SELECT action FROM added AS b
        WHERE b.name = a.name AND b.new_version = a.new_version AND b.kind IN ('action', 'pattern')
        ORDER BY action LIMIT 4)) AS "for example"
FROM added AS a
GROUP BY name, created_date, old_version, new_version
ORDER BY created_date IS NULL, created_date DESC, name;
