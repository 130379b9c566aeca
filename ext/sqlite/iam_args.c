/* SPDX-License-Identifier: MIT */
/* Arguments and errors shared by the scalar and aggregate functions: TEXT
** arguments, and errors as "fn(): message" (core errors included); the
** names of SQL types, for the table-valued functions too. */
#include <stddef.h>

#include "iam_sqlite.h"

void iam_result_error(sqlite3_context *ctx, const char *fn, const char *msg) {
  char *full = sqlite3_mprintf("%s(): %s", fn, msg);
  if (full == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_error(ctx, full, -1);
  sqlite3_free(full);
}

void iam_result_core_error(sqlite3_context *ctx, const char *fn, int rc, const IamError *err) {
  if (rc == IAM_ENOMEM)
    sqlite3_result_error_nomem(ctx);
  else
    iam_result_error(ctx, fn, err->msg);
}

void iam_result_call_error(sqlite3_context *ctx, const char *fn, int rc, const IamWork *w) {
  IamError err;
  if (rc == IAM_EINTERRUPT) {
    sqlite3_result_error(ctx, "interrupted", -1);
    sqlite3_result_error_code(ctx, SQLITE_INTERRUPT);
  } else if (rc == IAM_EWORK) {
    iam_work_error(w, &err);
    iam_result_error(ctx, fn, err.msg);
  } else {
    sqlite3_result_error_nomem(ctx);
  }
}

const char *iam_arg_type_name(int type) {
  switch (type) {
    case SQLITE_BLOB: return "a blob (use CAST(x AS TEXT))";
    case SQLITE_INTEGER: return "an integer";
    case SQLITE_FLOAT: return "a real";
    case SQLITE_NULL: return "NULL";
    default: return "text";
  }
}

int iam_arg_text(sqlite3_context *ctx, const char *fn, sqlite3_value *v, const char *what,
                 const char **s, size_t *n) {
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL) return 0;
  if (t != SQLITE_TEXT) {
    char *msg = sqlite3_mprintf("%s must be text, not %s", what, iam_arg_type_name(t));
    if (msg == NULL) {
      sqlite3_result_error_nomem(ctx);
    } else {
      iam_result_error(ctx, fn, msg);
      sqlite3_free(msg);
    }
    return -1;
  }
  *s = (const char *)sqlite3_value_text(v);
  *n = (size_t)sqlite3_value_bytes(v);
  if (*s == NULL) {
    sqlite3_result_error_nomem(ctx);
    return -1;
  }
  return 1;
}
