/* SPDX-License-Identifier: MIT */
/* Allocation failure at the SQL level.
**
** Loads the test build of the extension (build/test/iam.so, -DIAM_TESTING),
** whose extra function iam_test_fail_alloc(n) makes the core's n-th and later
** allocations fail. For each query below and i = 0, 1, 2, ...: a fresh
** connection, iam_test_fail_alloc(i), the query. Until the failure point lies
** beyond the query's allocations, the query must fail with SQLITE_NOMEM
** ("out of memory") and never return a value; after that it must return
** exactly the value it returns with no failure. Run under valgrind or ASan
** for leaks.
**
** Only the core's allocations (iam_malloc) can be failed: cJSON's own
** allocations go to malloc, since the extension must never call
** cJSON_InitHooks (it would change the allocator of every cJSON user in the
** process); SQLite's own allocations are not failed here either.
**
** Usage: alloc EXTENSION   (e.g. build/test/iam)
** Prints "N passed, N failed" (one per query) and exits non-zero on failure.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 100000

static const char *ext_path;

static const char POLICY[] =
    "[{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Sid\":\"Many\",\"Effect\":\"Allow\",\"Action\":[\"ecs:RunTask\",\"ecs:StartTask\","
    "\"ecs:StopTask\",\"ecs:Describe*\",\"ecs:List*\",\"ecs:UpdateService\",\"ecs:CreateService\","
    "\"ecs:DeleteService\",\"ecs:TagResource\",\"ecs:UntagResource\"],"
    "\"Resource\":[\"arn:aws:ecs:*:123456789012:task-definition/${aws:username}-*:*\","
    "\"arn:aws:ecs:us-east-1:123456789012:cluster/*\"],"
    "\"Condition\":{\"StringLike\":{\"ecs:cluster\":[\"*${aws:PrincipalTag/team}*\",\"x?y\"]},"
    "\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]},"
    "\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"},"
    "\"NumericLessThanEquals\":{\"aws:MultiFactorAuthAge\":[3600,\"7200.5\"]},"
    "\"BinaryEquals\":{\"ecs:blob\":\"QmluYXJ5\"},"
    "\"BoolIfExists\":{\"aws:SecureTransport\":true},"
    "\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"team\",\"env\"]},"
    "\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::${aws:PrincipalAccount}:role/*\"},"
    "\"Null\":{\"aws:TokenIssueTime\":\"true\"}}},"
    "{\"Effect\":\"Deny\",\"NotAction\":[\"ecs:*\",\"iam:PassRole\"],\"NotResource\":\"*\"}]},"
    "{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
    "\"Resource\":\"arn:aws:s3:::${aws:username}/*\"}}]";

static const char CTX[] =
    "{\"aws:PrincipalAccount\":\"123456789012\",\"aws:username\":\"alice\","
    "\"aws:PrincipalTag/team\":\"blue\",\"ecs:cluster\":\"arn:aws:ecs:us-east-1:123456789012:cluster/blue-prod\","
    "\"aws:SourceIp\":\"10.1.2.3\",\"aws:CurrentTime\":\"2026-11-25T12:00:00Z\","
    "\"aws:MultiFactorAuthAge\":120,\"ecs:blob\":\"QmluYXJ5\",\"aws:SecureTransport\":true,"
    "\"aws:TagKeys\":[\"owner\",\"team\"],\"aws:PrincipalArn\":\"arn:aws:iam::123456789012:role/ops\","
    "\"aws:TokenIssueTime\":null}";

static const char ACTION[] = "ecs:RunTask";
static const char RESOURCE[] = "arn:aws:ecs:us-east-1:123456789012:task-definition/alice-web:3";

/* Each query returns one row of one value; ?1 policy, ?2 action, ?3 resource, ?4 ctx. */
static const struct {
  const char *name;
  const char *sql;
  int needs_module; /* skipped when the table-valued functions are not there */
} queries[] = {
    {"iam_decision", "SELECT iam_decision(?1, ?2, ?3, ?4)", 0},
    {"iam_allows", "SELECT iam_allows(?1, ?2, ?3, ?4)", 0},
    {"iam_decision/boundary",
     "SELECT iam_decision('{\"identity\":' || ?1 || ',\"boundary\":' || ?1 || '}', ?2, ?3, ?4)", 0},
    /* long inputs: the evaluator's heap paths (lower-cased action, expanded
    ** variables, the position-set matcher's rows, decoded binary values) */
    {"iam_decision/long",
     "WITH v(a, u, x, b) AS (SELECT replace(hex(zeroblob(150)), '0', 'a'),"
     " replace(hex(zeroblob(150)), '0', 'u'), replace(hex(zeroblob(600)), '0', 'x'),"
     " replace(hex(zeroblob(400)), '00', 'QU'))"
     " SELECT iam_decision('{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
     "\"Action\":\"ecs:*\",\"Resource\":\"arn:aws:ecs:us-*-1:*:cluster/${aws:username}/*\","
     "\"Condition\":{\"BinaryEquals\":{\"ecs:blob\":\"' || b || '\"}}}}',"
     " 'ecs:' || a, 'arn:aws:ecs:us-east-1:1:cluster/' || u || '/' || x,"
     " json_object('aws:username', u, 'ecs:blob', b)) FROM v",
     0},
    {"iam_decision/deny", "SELECT iam_decision(?1, 'sqs:SendMessage', 'arn:aws:sqs:x', ?4)", 0},
    {"iam_resource_matches",
     "SELECT iam_resource_matches('arn:aws:ecs:*:123456789012:task-definition/"
     "${aws:username}-?*:*', ?3, ?4)",
     0},
    {"iam_action_matches", "SELECT iam_action_matches('ecs:*Task', ?2)", 0},
    {"iam_decision_agg",
     "SELECT iam_decision_agg(d, ?2, ?3, ?4) FROM (SELECT ?1 AS d UNION ALL SELECT "
     "'{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}')",
     0},
    /* an authorization-failure message with 20 keys: the key list and its sorted copy */
    {"iam_authz_message",
     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)"
     " SELECT iam_authz_message('{\"DecodedMessage\":' || json_quote('{\"context\":{\"principal\":"
     "{\"arn\":\"arn:aws:iam::1:user/a\"},\"action\":\"RunInstances\",\"resource\":"
     "\"arn:aws:ec2:us-east-1:1:instance/*\",\"conditions\":{\"items\":[' || (SELECT"
     " group_concat('{\"key\":\"k' || i || '\",\"values\":{\"items\":[{\"value\":\"v\"}]}}', ',')"
     " FROM n) || ']}}}') || '}')",
     0},
    {"iam_statements", "SELECT count(*) FROM iam_statements(?1)", 1},
    {"iam_actions", "SELECT count(*) FROM iam_actions(?1)", 1},
    {"iam_resources", "SELECT count(*) FROM iam_resources(?1)", 1},
    {"iam_conditions", "SELECT count(*) FROM iam_conditions(?1)", 1},
    {"iam_explain", "SELECT group_concat(decision || applies, ',') FROM iam_explain(?1, ?2, ?3, ?4)",
     1},
};

static sqlite3 *open_db(void) {
  sqlite3 *db = NULL;
  char *err = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    fprintf(stderr, "alloc: cannot open a database\n");
    exit(2);
  }
  sqlite3_enable_load_extension(db, 1);
  if (sqlite3_load_extension(db, ext_path, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "alloc: cannot load %s: %s\n", ext_path, err ? err : "?");
    exit(2);
  }
  return db;
}

static long exec_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st;
  long v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    fprintf(stderr, "alloc: %s: %s\n", sql, sqlite3_errmsg(db));
    exit(2);
  }
  if (sqlite3_step(st) == SQLITE_ROW) v = (long)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Run query q; returns the SQLite result code, with the value (text) in *out. */
static int run(sqlite3 *db, int q, char **out) {
  sqlite3_stmt *st;
  *out = NULL;
  int rc = sqlite3_prepare_v2(db, queries[q].sql, -1, &st, NULL);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_text(st, 1, POLICY, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, ACTION, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, RESOURCE, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, CTX, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const unsigned char *t = sqlite3_column_text(st, 0);
    *out = strdup(t ? (const char *)t : "NULL");
    rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_ROW : SQLITE_MISUSE;
  }
  sqlite3_finalize(st);
  return rc;
}

static int has_module(sqlite3 *db, const char *name) {
  sqlite3_stmt *st;
  int found = 0;
  if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_module_list WHERE name = ?1", -1, &st, NULL) ==
      SQLITE_OK) {
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
  }
  return found;
}

/* 1 if query q fails cleanly at every allocation and then succeeds. */
static int check_query(int q) {
  sqlite3 *db = open_db();
  char *expected = NULL, *got = NULL;
  long total;
  exec_int(db, "SELECT iam_test_fail_alloc(-1)");
  int rc = run(db, q, &expected);
  total = exec_int(db, "SELECT iam_test_fail_alloc(-1)");
  if (rc != SQLITE_ROW) {
    fprintf(stderr, "FAIL %s: without failures: %s\n", queries[q].name, sqlite3_errmsg(db));
    sqlite3_close(db);
    return 0;
  }
  sqlite3_close(db);
  long i, nomem = 0;
  int ok = 1;
  for (i = 0; i < MAX_STEPS && ok; i++) {
    db = open_db();
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT iam_test_fail_alloc(%ld)", i);
    exec_int(db, sql);
    rc = run(db, q, &got);
    int ecode = sqlite3_extended_errcode(db);
    const char *emsg = sqlite3_errmsg(db);
    long count = exec_int(db, "SELECT iam_test_fail_alloc(-1)");
    if (rc == SQLITE_ROW) {
      if (count > i) {
        fprintf(stderr, "FAIL %s: allocation %ld failed, yet it returned %s\n", queries[q].name, i,
                got);
        ok = 0;
      } else if (strcmp(got, expected) != 0) {
        fprintf(stderr, "FAIL %s: returned %s, not %s\n", queries[q].name, got, expected);
        ok = 0;
      }
      free(got);
      sqlite3_close(db);
      break; /* the failure point is past the query's allocations */
    }
    if (ecode != SQLITE_NOMEM || strcmp(emsg, "out of memory") != 0) {
      fprintf(stderr, "FAIL %s: allocation %ld failed: got error %d '%s', not SQLITE_NOMEM\n",
              queries[q].name, i, ecode, emsg);
      ok = 0;
    } else if (count <= i) {
      fprintf(stderr, "FAIL %s: out of memory at step %ld, but only %ld allocations\n",
              queries[q].name, i, count);
      ok = 0;
    }
    nomem++;
    free(got);
    sqlite3_close(db);
  }
  if (i >= MAX_STEPS) {
    fprintf(stderr, "FAIL %s: still failing after %d steps\n", queries[q].name, MAX_STEPS);
    ok = 0;
  }
  if (ok && nomem == 0 && total > 0) {
    fprintf(stderr, "FAIL %s: %ld allocations but no out-of-memory result\n", queries[q].name, total);
    ok = 0;
  }
  printf("%s %s: %ld allocations, %ld out-of-memory results, then %s\n", ok ? "ok  " : "FAIL",
         queries[q].name, total, nomem, expected);
  free(expected);
  return ok;
}

int main(int argc, char **argv) {
  int passed = 0, failed = 0;
  if (argc != 2) {
    fprintf(stderr, "usage: alloc EXTENSION\n");
    return 2;
  }
  ext_path = argv[1];
  sqlite3 *db = open_db();
  int modules = has_module(db, "iam_statements");
  sqlite3_close(db);
  for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
    if (queries[q].needs_module && !modules) {
      printf("skip %s: no table-valued functions in this build\n", queries[q].name);
      continue;
    }
    if (check_query((int)q))
      passed++;
    else
      failed++;
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
