/* SPDX-License-Identifier: MIT */
/*
** run_authz: run the whole-request corpus through the built extension.
**
** Usage: run_authz [--ext PATH] [--explain] [--max-failures N] FILE...
**
** Each FILE is JSON Lines in the format of tests/conformance/authorization/
** README.md (a name ending in ".gz" is read through `gzip -dc`). For every
** case the runner asks, with bound parameters, two ways:
**
**   iam_authorize(R)                             R: the line without id/expected
**   iam_decision(O, action, resource, context)   O: R without action/resource/context
**   iam_allows(O, action, resource, context)
**
** and in parts (ext/core/iam_compose.h), two ways: the identity side as the
** policy, the caller as the principal argument and the other members as the
** members argument; and the caller with the identity side:
**
**   iam_decision(I, action, resource, context, principal, M)
**   iam_decision(I + principal, action, resource, context, NULL, M)
**
** and, with --explain, the verdict and step of iam_explain(O, ...). A case
** passes iff iam_authorize and iam_decision return `expected` exactly (or both
** raise an SQL error when it is "Error"), iam_allows returns 1 exactly for
** "Allow" and 0 for the denies, iam_explain's rows all carry the same
** decision (one row at least: the step row), and both requests in parts give
** what the object form gives: the same decision, or an error when it errs,
** and with --explain every column of every row of iam_explain. Every case
** runs twice, the second pass in reverse order after the first, so it hits
** the caches; both passes must agree.
**
** The last line is exactly "N passed, N failed" (cases). Exit status: 0 when
** every case passed, 1 when any failed, 2 on a usage or setup error.
*/
#define _POSIX_C_SOURCE 200809L

#include <sqlite3.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Line {
  char *text;
  char *where;
  char *result[2]; /* per pass: what was seen, as one string */
} Line;

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (p == NULL) {
    fputs("run_authz: out of memory\n", stderr);
    exit(2);
  }
  return p;
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xrealloc(NULL, n), s, n);
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Read every line of path into *lines; false after printing why. */
static bool load(const char *path, Line **lines, size_t *n, size_t *cap) {
  FILE *fp;
  bool gz = ends_with(path, ".gz");
  if (gz) {
    char *cmd = xrealloc(NULL, strlen(path) * 4 + 32), *q = cmd;
    q += sprintf(q, "gzip -dc -- '");
    for (const char *p = path; *p; p++) q += *p == '\'' ? sprintf(q, "'\\''") : sprintf(q, "%c", *p);
    sprintf(q, "'");
    fp = popen(cmd, "r");
    free(cmd);
  } else {
    fp = fopen(path, "r");
  }
  if (fp == NULL) {
    perror(path);
    return false;
  }
  char *buf = NULL;
  size_t bcap = 0;
  ssize_t len;
  long lineno = 0;
  while ((len = getline(&buf, &bcap, fp)) >= 0) {
    lineno++;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) buf[--len] = 0;
    if (len == 0) continue;
    if (*n == *cap) {
      *cap = *cap ? *cap * 2 : 1024;
      *lines = xrealloc(*lines, *cap * sizeof **lines);
    }
    Line *l = &(*lines)[(*n)++];
    memset(l, 0, sizeof *l);
    l->text = xstrdup(buf);
    char where[512];
    snprintf(where, sizeof where, "%s:%ld", path, lineno);
    l->where = xstrdup(where);
  }
  free(buf);
  int rc = gz ? pclose(fp) : fclose(fp);
  if (rc != 0) {
    fprintf(stderr, "run_authz: %s: read failed\n", path);
    return false;
  }
  return true;
}

/* One result column as text: the value, "NULL", or "error: <msg>". */
static void outcome(sqlite3 *db, sqlite3_stmt *st, int rc, int col, char *out, size_t cap) {
  if (rc == SQLITE_ROW) {
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(out, cap, "%s", t ? (const char *)t : "NULL");
  } else {
    snprintf(out, cap, "error: %s", sqlite3_errmsg(db));
  }
}

typedef struct Stmts {
  sqlite3_stmt *expected, *authorize, *decision, *explain;
  sqlite3_stmt *parts[2], *rows, *parts_rows[2];
} Stmts;

/* One statement's first column for l, as text (or "error: ..."). */
static void ask(sqlite3 *db, sqlite3_stmt *st, const Line *l, char *out, size_t cap) {
  sqlite3_bind_text(st, 1, l->text, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  outcome(db, st, rc, 0, out, cap);
  sqlite3_reset(st);
}

/* Run one case; returns NULL when it passed, else a message (malloc'd).
** *seen gets the results, for comparing the two passes. */
static char *run_case(sqlite3 *db, Stmts *s, const Line *l, bool explain, char **seen) {
  char exp[64], az[512], dec[512], allows[512], ex[512] = "", why[2048];
  int rc;
  why[0] = 0;
  sqlite3_bind_text(s->expected, 1, l->text, -1, SQLITE_STATIC);
  rc = sqlite3_step(s->expected);
  outcome(db, s->expected, rc, 0, exp, sizeof exp);
  sqlite3_reset(s->expected);

  sqlite3_bind_text(s->authorize, 1, l->text, -1, SQLITE_STATIC);
  rc = sqlite3_step(s->authorize);
  outcome(db, s->authorize, rc, 0, az, sizeof az);
  sqlite3_reset(s->authorize);

  sqlite3_bind_text(s->decision, 1, l->text, -1, SQLITE_STATIC);
  rc = sqlite3_step(s->decision);
  outcome(db, s->decision, rc, 0, dec, sizeof dec);
  outcome(db, s->decision, rc, 1, allows, sizeof allows);
  sqlite3_reset(s->decision);

  if (explain) {
    sqlite3_bind_text(s->explain, 1, l->text, -1, SQLITE_STATIC);
    rc = sqlite3_step(s->explain);
    outcome(db, s->explain, rc, 0, ex, sizeof ex);
    sqlite3_reset(s->explain);
  }
  char parts[2][512];
  for (int k = 0; k < 2; k++) ask(db, s->parts[k], l, parts[k], sizeof parts[k]);
  static char rows[65536], prows[65536];
  rows[0] = 0;
  if (explain) ask(db, s->rows, l, rows, sizeof rows);
  bool is_error = strcmp(exp, "Error") == 0;
  const char *want_allows = strcmp(exp, "Allow") == 0 ? "1" : "0";
  if (is_error) {
    if (strncmp(az, "error: ", 7) != 0)
      snprintf(why, sizeof why, "iam_authorize gave %s, expected an error", az);
    else if (strncmp(dec, "error: ", 7) != 0)
      snprintf(why, sizeof why, "iam_decision (object form) gave %s, expected an error", dec);
    else if (strncmp(allows, "error: ", 7) != 0)
      snprintf(why, sizeof why, "iam_allows (object form) gave %s, expected an error", allows);
    else if (explain && strncmp(ex, "error: ", 7) != 0)
      snprintf(why, sizeof why, "iam_explain (object form) gave %s, expected an error", ex);
  } else if (strcmp(az, exp) != 0) {
    snprintf(why, sizeof why, "iam_authorize gave %s, expected %s", az, exp);
  } else if (strcmp(dec, exp) != 0) {
    snprintf(why, sizeof why, "iam_decision (object form) gave %s, expected %s", dec, exp);
  } else if (strcmp(allows, want_allows) != 0) {
    snprintf(why, sizeof why, "iam_allows (object form) gave %s, expected %s", allows, want_allows);
  } else if (explain && strcmp(ex, exp) != 0) {
    snprintf(why, sizeof why, "iam_explain (object form) gave %s, expected %s", ex, exp);
  }
  for (int k = 0; k < 2 && !why[0]; k++) {
    if (is_error ? strncmp(parts[k], "error: ", 7) != 0 : strcmp(parts[k], exp) != 0) {
      snprintf(why, sizeof why, "iam_decision in parts (%s) gave %s, expected %s",
               k ? "principal in the policy" : "principal as an argument", parts[k], exp);
    } else if (explain && !is_error) {
      ask(db, s->parts_rows[k], l, prows, sizeof prows);
      if (strcmp(prows, rows) != 0)
        snprintf(why, sizeof why, "iam_explain in parts (%s) differs:\n%.900s\nobject form:\n%.900s",
                 k ? "principal in the policy" : "principal as an argument", prows, rows);
    }
  }
  char all[3200];
  snprintf(all, sizeof all, "%s|%s|%s|%s|%s|%s", az, dec, allows, ex, parts[0], parts[1]);
  *seen = xstrdup(all);
  return why[0] ? xstrdup(why) : NULL;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    fprintf(stderr, "run_authz: %s\n", sqlite3_errmsg(db));
    exit(2);
  }
  return st;
}

int main(int argc, char **argv) {
  const char *ext = getenv("IAM_EXT") ? getenv("IAM_EXT") : "./dist/iam";
  bool explain = false;
  long max_failures = 50, failed = 0, passed = 0, printed = 0;
  Line *lines = NULL;
  size_t n = 0, cap = 0;
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (!strcmp(argv[i], "--ext") && i + 1 < argc) {
      ext = argv[++i];
    } else if (!strcmp(argv[i], "--explain")) {
      explain = true;
    } else if (!strcmp(argv[i], "--max-failures") && i + 1 < argc) {
      max_failures = atol(argv[++i]);
    } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      puts("usage: run_authz [--ext PATH] [--explain] [--max-failures N] FILE...");
      return 0;
    } else {
      fprintf(stderr, "run_authz: unknown option %s (see --help)\n", argv[i]);
      return 2;
    }
  }
  if (i == argc) {
    fputs("usage: run_authz [--ext PATH] [--explain] [--max-failures N] FILE...\n", stderr);
    return 2;
  }
  for (; i < argc; i++)
    if (!load(argv[i], &lines, &n, &cap)) return 2;
  if (n == 0) {
    fputs("run_authz: no cases\n", stderr);
    return 2;
  }
  sqlite3 *db;
  char *err = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
      sqlite3_enable_load_extension(db, 1) != SQLITE_OK ||
      sqlite3_load_extension(db, ext, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "run_authz: cannot load %s: %s\n", ext, err ? err : sqlite3_errmsg(db));
    return 2;
  }
  /* O: the request without what iam_decision takes as its own arguments */
#define OBJ "json_remove(?1, '$.id', '$.expected', '$.action', '$.resource', '$.context')"
#define ARGS "json_extract(?1, '$.action'), json_extract(?1, '$.resource'), json_extract(?1, '$.context')"
  /* in parts: I, the identity side (with the caller, in the second way), and M, the rest */
#define SIDE "json_remove(" OBJ ", '$.resource_policy', '$.scps', '$.rcps', '$.endpoint', '$.resource_account'"
#define I1 SIDE ", '$.principal')"
#define I2 SIDE ")"
#define M "json_remove(" OBJ ", '$.principal', '$.identity', '$.boundary', '$.session')"
#define P1 "json_extract(?1, '$.principal')"
#define PARTS1 I1 ", " ARGS ", " P1 ", " M
#define PARTS2 I2 ", " ARGS ", NULL, " M
  /* every column of every row of iam_explain, in order */
#define ROWS(args) \
  "SELECT group_concat(quote(policy_index) || '|' || quote(statement_index) || '|' || quote(sid) || '|' ||" \
  " quote(effect) || '|' || quote(action_matched) || quote(resource_matched) ||" \
  " quote(conditions_matched) || quote(applies) || quote(decisive) || '|' || quote(decision) || '|' ||" \
  " quote(reason) || '|' || quote(failed_condition_index) || '|' || quote(missing_keys) || '|' ||" \
  " quote(policy_type) || '|' || quote(level) || '|' || quote(document_index) || '|' ||" \
  " quote(principal_match) || '|' || quote(step) || '|' || quote(step_reason), char(10))" \
  " FROM iam_explain(" args ")"
  Stmts s = {
      prepare(db, "SELECT json_extract(?1, '$.expected')"),
      prepare(db, "SELECT iam_authorize(json_remove(?1, '$.id', '$.expected'))"),
      prepare(db, "SELECT iam_decision(" OBJ ", " ARGS "), iam_allows(" OBJ ", " ARGS ")"),
      prepare(db, "SELECT CASE WHEN count(*) = 0 THEN 'no rows' WHEN min(decision) = max(decision) "
                  "THEN min(decision) ELSE 'rows disagree' END FROM iam_explain(" OBJ ", " ARGS ")"),
      {prepare(db, "SELECT iam_decision(" PARTS1 ")"), prepare(db, "SELECT iam_decision(" PARTS2 ")")},
      prepare(db, ROWS(OBJ ", " ARGS)),
      {prepare(db, ROWS(PARTS1)), prepare(db, ROWS(PARTS2))},
  };
  char **why = xrealloc(NULL, n * sizeof *why);
  for (int pass = 0; pass < 2; pass++) {
    for (size_t k = 0; k < n; k++) {
      size_t j = pass == 0 ? k : n - 1 - k;
      char *w = run_case(db, &s, &lines[j], explain, &lines[j].result[pass]);
      if (pass == 0) {
        why[j] = w;
      } else {
        if (why[j] == NULL && strcmp(lines[j].result[0], lines[j].result[1]) != 0) {
          char msg[4600];
          snprintf(msg, sizeof msg, "second pass differs: %s / %s", lines[j].result[0],
                   lines[j].result[1]);
          why[j] = xstrdup(msg);
        }
        free(w);
      }
    }
  }
  for (size_t k = 0; k < n; k++) {
    if (why[k] == NULL) {
      passed++;
      continue;
    }
    failed++;
    if (max_failures == 0 || printed < max_failures) {
      printed++;
      printf("FAIL %s: %s\n", lines[k].where, why[k]);
    }
  }
  printf("%ld passed, %ld failed\n", passed, failed);
  sqlite3_finalize(s.expected);
  sqlite3_finalize(s.authorize);
  sqlite3_finalize(s.decision);
  sqlite3_finalize(s.explain);
  for (int k = 0; k < 2; k++) {
    sqlite3_finalize(s.parts[k]);
    sqlite3_finalize(s.parts_rows[k]);
  }
  sqlite3_finalize(s.rows);
  sqlite3_close(db);
  return failed ? 1 : 0;
}
