/* SPDX-License-Identifier: MIT */
/* Aggregates: iam_decision_agg and iam_allows_agg (ext/README.md).
**
** iam_decision_agg(document, action, resource [, ctx [, kind]]) collects the
** documents of a group (kind 'identity', the default, or 'boundary') and
** decides once at the end, as iam_decision on
** {"identity": [...], "boundary": [...]} would. NULL documents are skipped;
** action, resource and ctx must be the same on every row of a group.
**
** Each row is parsed on its own first, and must be one complete policy
** document or one array of them (not the {"identity", "boundary"} object).
** Only then is its text spliced into the group's policy: a complete JSON value
** cannot close or open anything around it, so rows cannot combine into a
** document that none of them is, nor add a member to the policy object. */
#include <string.h>

#include "iam_cache.h"
#include "iam_conn.h"
#include "iam_policy.h"
#include "iam_sqlite.h"

/* Argument positions: the document, then what is the same on every row. */
enum { AGG_ARG_DOCUMENT = 0, AGG_ARG_KIND = 4 };
enum { AGG_ACTION, AGG_RESOURCE, AGG_CONTEXT, AGG_NARG }; /* argument AGG_ARG_DOCUMENT + 1 + i */

typedef struct AggState {
  sqlite3_str *docs[2]; /* identity, boundary: comma-separated documents */
  int ndocs[2], have_bd, rows, failed;
  char *arg[AGG_NARG]; /* action, resource, context of the first row (NULL: SQL NULL) */
  size_t arg_len[AGG_NARG];
} AggState;

static const char *const agg_arg_name[AGG_NARG] = {"action", "resource", "context"};

/* JSON whitespace as cJSON skips it (any byte up to ' '). */
static int json_space(char c) { return (unsigned char)c <= ' '; }

/* Check one row's document alone (through the connection cache). Returns 0,
** or -1 after reporting the error with the row number. */
static int agg_check_row(sqlite3_context *ctx, const char *fn, int row, const char *s, size_t n) {
  IamConn *conn = sqlite3_user_data(ctx);
  IamCacheEntry *e = NULL;
  IamError err;
  int rc =
      iam_conn_policy(conn, s, n, iam_cache_hash(conn->policies, s, n), IAM_PARSE_DOCS, &e, &err);
  if (rc == IAM_OK) {
    iam_cache_entry_unref(e);
    return 0;
  }
  if (rc == IAM_ENOMEM) {
    sqlite3_result_error_nomem(ctx);
  } else {
    char *msg = sqlite3_mprintf("%s(): row %d: %s", fn, row, err.msg);
    if (msg == NULL) {
      sqlite3_result_error_nomem(ctx);
    } else {
      sqlite3_result_error(ctx, msg, -1);
      sqlite3_free(msg);
    }
  }
  return -1;
}

static void agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv, const char *fn) {
  AggState *st = sqlite3_aggregate_context(ctx, sizeof *st);
  const char *ds, *a[AGG_NARG] = {NULL, NULL, NULL};
  size_t dn, an[AGG_NARG] = {0, 0, 0};
  int boundary = 0;
  if (st == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (st->failed) return;
  st->failed = 1; /* until this row is taken */
  st->rows++;
  /* The same argument checks as the scalars, with lengths: never cut at a NUL. */
  for (int i = 0; i < AGG_NARG && i + 1 < argc; i++)
    if (iam_arg_text(ctx, fn, argv[AGG_ARG_DOCUMENT + 1 + i], agg_arg_name[i], &a[i], &an[i]) < 0)
      return;
  if (st->rows == 1) {
    for (int i = 0; i < AGG_NARG; i++) {
      if (a[i] == NULL) continue;
      if ((st->arg[i] = sqlite3_malloc64(an[i] + 1)) == NULL) {
        sqlite3_result_error_nomem(ctx);
        return;
      }
      memcpy(st->arg[i], a[i], an[i]);
      st->arg[i][an[i]] = 0;
      st->arg_len[i] = an[i];
    }
    st->docs[0] = sqlite3_str_new(NULL);
    st->docs[1] = sqlite3_str_new(NULL);
  } else {
    for (int i = 0; i < AGG_NARG; i++) {
      if ((a[i] == NULL) != (st->arg[i] == NULL) ||
          (a[i] != NULL && (an[i] != st->arg_len[i] || memcmp(a[i], st->arg[i], an[i]) != 0))) {
        iam_result_error(ctx, fn,
                         "action, resource and context must be the same on every row of a group");
        return;
      }
    }
  }
  if (argc > AGG_ARG_KIND) {
    const char *k;
    size_t kn;
    int r = iam_arg_text(ctx, fn, argv[AGG_ARG_KIND], "kind", &k, &kn);
    if (r < 0) return;
    if (r > 0 && kn == 8 && memcmp(k, "boundary", 8) == 0) {
      boundary = 1;
    } else if (r > 0 && !(kn == 8 && memcmp(k, "identity", 8) == 0)) {
      iam_result_error(ctx, fn, "kind must be 'identity' or 'boundary'");
      return;
    }
  }
  int r = iam_arg_text(ctx, fn, argv[AGG_ARG_DOCUMENT], "document", &ds, &dn);
  if (r < 0) return;
  if (boundary) st->have_bd = 1;
  if (r > 0) {
    if (agg_check_row(ctx, fn, st->rows, ds, dn) < 0) return;
    /* Valid alone: one document, or an array of them whose elements are spliced in. */
    while (dn && json_space(ds[0])) ds++, dn--;
    while (dn && json_space(ds[dn - 1])) dn--;
    if (ds[0] == '[') {
      ds++, dn -= 2;
      size_t k = 0;
      while (k < dn && json_space(ds[k])) k++;
      if (k == dn) dn = 0; /* an empty array adds nothing */
    }
    if (dn > 0) {
      sqlite3_str *out = st->docs[boundary];
      if (st->ndocs[boundary]++) sqlite3_str_appendchar(out, 1, ',');
      sqlite3_str_append(out, ds, (int)dn);
      if (sqlite3_str_errcode(out) != SQLITE_OK) {
        sqlite3_result_error_nomem(ctx);
        return;
      }
    }
  }
  st->failed = 0;
}

static void agg_final(sqlite3_context *ctx, const char *fn, int as_bool) {
  AggState *st = sqlite3_aggregate_context(ctx, 0);
  if (st == NULL || st->rows == 0) return; /* no rows: NULL */
  char *id = sqlite3_str_finish(st->docs[0]), *bd = sqlite3_str_finish(st->docs[1]);
  if (!st->failed && st->arg[AGG_ACTION] && st->arg[AGG_RESOURCE]) {
    char *policy = sqlite3_mprintf(
        st->have_bd ? "{\"identity\":[%s],\"boundary\":[%s]}" : "{\"identity\":[%s]}", id ? id : "",
        bd ? bd : "");
    if (policy == NULL || (st->ndocs[0] && id == NULL) || (st->ndocs[1] && bd == NULL)) {
      sqlite3_result_error_nomem(ctx);
    } else {
      iam_fn_decide(ctx, fn, as_bool, 0, policy, strlen(policy), st->arg[AGG_ACTION],
                    st->arg_len[AGG_ACTION], st->arg[AGG_RESOURCE], st->arg_len[AGG_RESOURCE],
                    st->arg[AGG_CONTEXT], st->arg_len[AGG_CONTEXT]);
    }
    sqlite3_free(policy);
  }
  sqlite3_free(id);
  sqlite3_free(bd);
  for (int i = 0; i < AGG_NARG; i++) sqlite3_free(st->arg[i]);
}

void iam_agg_decision_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  agg_step(ctx, argc, argv, "iam_decision_agg");
}
void iam_agg_decision_final(sqlite3_context *ctx) { agg_final(ctx, "iam_decision_agg", 0); }
void iam_agg_allows_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  agg_step(ctx, argc, argv, "iam_allows_agg");
}
void iam_agg_allows_final(sqlite3_context *ctx) { agg_final(ctx, "iam_allows_agg", 1); }
