/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the aggregates (ext/sqlite/iam_agg.c), through SQLite
** (ext/core/README.md, "Hostile input"). The extension is linked in and
** registered with sqlite3_auto_extension; SQLite itself is the system's.
**
** Input: ROWS [RS ACTION RS RESOURCE [RS CONTEXT]] (RS = 0x1e, fuzz_common.h).
** ROWS are separated by US (0x1f); a row that starts with GS (0x1d) has the
** kind 'boundary', any other 'identity'. iam_decision_agg decides the rows
** as one group. Checked besides memory safety:
**   - a decision only ever comes from rows that are each one JSON object or
**     one array (as cJSON reads them): rows that are parts of documents, or
**     several documents, never combine into a policy;
**   - that decision is the one iam_decision gives on the policy built from
**     the rows with cJSON: {"identity": [their documents], "boundary": [...]};
**   - when every row is on its own a valid policy for iam_decision (an
**     object as "[row]"), the aggregate decides, and the same way.
*/
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int sqlite3_iam_init(sqlite3 *db, char **pzErrMsg, const void *pApi);

#define CHECK(c)                                                                 \
  do {                                                                           \
    if (!(c)) {                                                                  \
      fprintf(stderr, "fuzz_agg: check failed: %s (line %d)\n", #c, __LINE__);   \
      abort();                                                                   \
    }                                                                            \
  } while (0)

#define ROW_SEP   '\x1f'
#define BOUNDARY  '\x1d'
#define MAX_ROWS  64

static sqlite3 *db;
static sqlite3_stmt *q_clear, *q_put, *q_agg, *q_one;

static void prepare(const char *sql, sqlite3_stmt **q) {
  if (sqlite3_prepare_v2(db, sql, -1, q, NULL) != SQLITE_OK) {
    fprintf(stderr, "fuzz_agg: %s: %s\n", sql, sqlite3_errmsg(db));
    abort();
  }
}

static void setup(void) {
  if (db) return;
  sqlite3_auto_extension((void (*)(void))sqlite3_iam_init);
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT iam_config('work_limit', %llu)",
           (unsigned long long)FUZZ_WORK_LIMIT);
  sqlite3_exec(db, sql, NULL, NULL, NULL); /* (a build without iam_config runs on) */
  if (sqlite3_exec(db, "CREATE TABLE r(i INTEGER PRIMARY KEY, d TEXT, k TEXT)", NULL, NULL, NULL) !=
      SQLITE_OK)
    abort();
  prepare("DELETE FROM r", &q_clear);
  prepare("INSERT INTO r VALUES (?1, ?2, ?3)", &q_put);
  prepare("SELECT iam_decision_agg(d, ?1, ?2, ?3, k) FROM (SELECT d, k FROM r ORDER BY i)",
          &q_agg);
  prepare("SELECT iam_decision(?1, ?2, ?3, ?4)", &q_one);
}

/* The decision of a prepared statement's one row into out, or 0 for an error. */
static int result(sqlite3_stmt *q, char out[16]) {
  int ok = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_TEXT;
  if (ok) snprintf(out, 16, "%s", (const char *)sqlite3_column_text(q, 0));
  sqlite3_reset(q);
  return ok;
}

typedef struct Req {
  const char *action, *resource, *ctx; /* ctx may be NULL */
} Req;

static int decide_one(const char *policy, size_t n, const Req *r, char out[16]) {
  sqlite3_bind_text(q_one, 1, policy, (int)n, SQLITE_STATIC);
  sqlite3_bind_text(q_one, 2, r->action, -1, SQLITE_STATIC);
  sqlite3_bind_text(q_one, 3, r->resource, -1, SQLITE_STATIC);
  if (r->ctx)
    sqlite3_bind_text(q_one, 4, r->ctx, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(q_one, 4);
  return result(q_one, out);
}

/* Whether a row is, on its own, a valid policy for iam_decision. */
static int row_valid(const char *s, size_t n, const cJSON *parsed, const Req *r) {
  char out[16];
  if (cJSON_IsArray(parsed)) return decide_one(s, n, r, out);
  char *wrapped = malloc(n + 3);
  if (wrapped == NULL) abort();
  wrapped[0] = '[';
  memcpy(wrapped + 1, s, n);
  wrapped[n + 1] = ']';
  wrapped[n + 2] = 0;
  int ok = decide_one(wrapped, n + 2, r, out);
  free(wrapped);
  return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzField f[4];
  const char *row[MAX_ROWS];
  size_t row_n[MAX_ROWS];
  int boundary[MAX_ROWS], nrows = 0, any_boundary = 0;
  setup();
  fuzz_split(data, size, f, 4);
  Req r = {f[1].present && f[1].n ? f[1].s : "s3:GetObject",
           f[2].present && f[2].n ? f[2].s : "arn:aws:s3:::bucket/key",
           f[3].present ? f[3].s : NULL};
  /* the rows */
  for (const char *p = f[0].s, *end = f[0].s + f[0].n; nrows < MAX_ROWS;) {
    const char *sep = memchr(p, ROW_SEP, (size_t)(end - p));
    const char *stop = sep ? sep : end;
    boundary[nrows] = p < stop && *p == BOUNDARY;
    row[nrows] = p + boundary[nrows];
    row_n[nrows] = (size_t)(stop - row[nrows]);
    any_boundary |= boundary[nrows];
    nrows++;
    if (sep == NULL) break;
    p = sep + 1;
  }
  sqlite3_reset(q_clear);
  CHECK(sqlite3_step(q_clear) == SQLITE_DONE);
  for (int i = 0; i < nrows; i++) {
    sqlite3_bind_int(q_put, 1, i);
    sqlite3_bind_text(q_put, 2, row[i], (int)row_n[i], SQLITE_STATIC);
    sqlite3_bind_text(q_put, 3, boundary[i] ? "boundary" : "identity", -1, SQLITE_STATIC);
    CHECK(sqlite3_step(q_put) == SQLITE_DONE);
    sqlite3_reset(q_put);
  }
  char agg[16], ref[16];
  sqlite3_bind_text(q_agg, 1, r.action, -1, SQLITE_STATIC);
  sqlite3_bind_text(q_agg, 2, r.resource, -1, SQLITE_STATIC);
  if (r.ctx)
    sqlite3_bind_text(q_agg, 3, r.ctx, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(q_agg, 3);
  int decided = result(q_agg, agg);

  /* the reference: the rows read by cJSON, their documents in one policy */
  cJSON *policy = cJSON_CreateObject(), *id = cJSON_AddArrayToObject(policy, "identity");
  cJSON *bd = any_boundary ? cJSON_AddArrayToObject(policy, "boundary") : NULL;
  int all_read = 1, all_valid = 1;
  for (int i = 0; i < nrows; i++) {
    char *copy = fuzz_dup((const uint8_t *)row[i], row_n[i]); /* NUL-terminated, as cJSON wants */
    cJSON *v = cJSON_ParseWithLengthOpts(copy, row_n[i] + 1, NULL, 1);
    free(copy);
    int shaped = cJSON_IsObject(v) || cJSON_IsArray(v);
    if (!shaped) {
      all_read = all_valid = 0;
    } else {
      if (all_valid && !row_valid(row[i], row_n[i], v, &r)) all_valid = 0;
      cJSON *to = boundary[i] ? bd : id;
      if (cJSON_IsArray(v)) {
        for (cJSON *d = v->child; d; d = d->next) cJSON_AddItemToArray(to, cJSON_Duplicate(d, 1));
      } else {
        cJSON_AddItemToArray(to, cJSON_Duplicate(v, 1));
      }
    }
    cJSON_Delete(v);
  }
  if (decided) CHECK(all_read); /* a decision only from whole documents or arrays */
  if (decided || all_valid) {
    char *text = cJSON_PrintUnformatted(policy);
    CHECK(text != NULL);
    int ref_ok = decide_one(text, strlen(text), &r, ref);
    if (decided) CHECK(ref_ok && strcmp(agg, ref) == 0);
    if (all_valid && ref_ok) CHECK(decided && strcmp(agg, ref) == 0);
    cJSON_free(text);
  }
  cJSON_Delete(policy);
  fuzz_free(f, 4);
  return 0;
}
