-- Memory SQLite governs (ext/core/README.md, "Memory"): the extension allocates through SQLite, its
-- caches keep under PRAGMA hard_heap_limit / soft_heap_limit, their bounds are settings of the
-- connection (iam_config) that iam_debug() shows.
.echo on
.headers off
.mode list
.nullvalue NULL
-- the cache settings: defaults, changes, what iam_config() refuses
SELECT iam_config('policy_cache_bytes'), iam_config('policy_cache_entries'), iam_config('context_cache_bytes'), iam_config('context_cache_entries');
SELECT iam_config('policy_cache_entries', 0);
SELECT iam_config('policy_cache_entries', 4294967296);
SELECT iam_config('context_cache_bytes', -1);
SELECT iam_config('cache_bytes', 1);
-- what the caches hold, read from iam_debug()
CREATE TEMP VIEW cache AS SELECT
  CAST(substr(p, 1, instr(p, ' ') - 1) AS INTEGER) AS entries,
  CAST(substr(p, instr(p, ', ') + 2) AS INTEGER) AS bytes,
  CAST(substr(p, instr(p, 'at most ') + 8) AS INTEGER) AS max_entries
  FROM (SELECT substr(d, instr(d, 'policy_cache=') + 13) AS p FROM (SELECT iam_debug() AS d));
-- 2,000 distinct policies of 40 Resource patterns each (about 7 KB each once compiled, 15 MB in all)
CREATE TEMP TABLE pol AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000),
  r(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM r WHERE j < 40)
SELECT i, '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":[' ||
  (SELECT group_concat('"arn:aws:s3:::bucket-' || i || '-' || j || '/*"') FROM r) || ']}}' AS doc FROM n;
-- a cache of at most 10 policies: every row decides, the cache keeps 10
SELECT iam_config('policy_cache_entries', 10);
SELECT count(*) FROM pol WHERE iam_allows(doc, 's3:GetObject', 'arn:aws:s3:::bucket-' || i || '-40/k');
SELECT entries, max_entries FROM cache;
SELECT iam_config('policy_cache_entries', 100000);
SELECT iam_config('policy_cache_bytes', 100000), (SELECT bytes <= 100000 FROM cache);
SELECT iam_config('policy_cache_bytes', 268435456);
-- without a heap limit the 2,000 policies fill the cache
SELECT count(*) FROM pol WHERE iam_allows(doc, 's3:GetObject', 'arn:aws:s3:::bucket-' || i || '-40/k');
SELECT entries, bytes > 14000000 FROM cache;
-- a 10 MB soft heap limit: every row still decides, and the cache keeps under the limit
SELECT iam_config('policy_cache_entries', 1), iam_config('policy_cache_entries', 100000);
PRAGMA soft_heap_limit = 10485760;
SELECT count(*) FROM pol WHERE iam_allows(doc, 's3:GetObject', 'arn:aws:s3:::bucket-' || i || '-40/k');
SELECT entries < 2000, bytes < 10485760 FROM cache;
PRAGMA soft_heap_limit = 0;
-- the same with a 10 MB hard heap limit (the pragma can only lower it: this comes last)
SELECT iam_config('policy_cache_entries', 1), iam_config('policy_cache_entries', 100000);
SELECT iam_allows('[' || replace(hex(zeroblob(1000000)), '00', '1,') || '1]', 'a:b', '*');
PRAGMA hard_heap_limit = 10485760;
SELECT count(*) FROM pol WHERE iam_allows(doc, 's3:GetObject', 'arn:aws:s3:::bucket-' || i || '-40/k');
SELECT entries < 2000, bytes < 10485760 FROM cache;
-- cJSON's tree counts too, while it exists: the text above, whose tree needs about 100 MB, is
-- out of memory under the limit (without it, it parsed to its error)
SELECT iam_allows('[' || replace(hex(zeroblob(1000000)), '00', '1,') || '1]', 'a:b', '*');
