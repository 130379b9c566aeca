/* SPDX-License-Identifier: MIT */
/* Scalar functions of linting: iam_policy_error(policy [, policy_type])
** (ext/README.md). */
#include <string.h>

#include "iam_cache.h"
#include "iam_conn.h"
#include "iam_policy.h"
#include "iam_sqlite.h"

/* The policy type of argument v (NULL: identity): 1, or 0 after raising an
** error on ctx. */
static int policy_type_arg(sqlite3_context *ctx, const char *fn, sqlite3_value *v,
                           IamPolicyType *t) {
  const char *s;
  size_t n;
  memset(t, 0, sizeof *t);
  int r = iam_arg_text(ctx, fn, v, "policy_type", &s, &n);
  if (r < 0) return 0;
  if (r == 0 || iam_policy_type_parse(s, n, t)) return 1;
  char *msg = sqlite3_mprintf("policy_type must be one of %s, not '%s'", IAM_POLICY_TYPE_NAMES, s);
  if (msg == NULL) {
    sqlite3_result_error_nomem(ctx);
  } else {
    iam_result_error(ctx, fn, msg);
    sqlite3_free(msg);
  }
  return 0;
}

/* iam_policy_error(policy [, policy_type]): NULL when the text is valid, else
** the message iam_decision raises after its "iam_decision(): " (for a policy
** type, by that type's rules). A valid text is compiled into the connection's
** cache, as iam_decision would. */
void iam_fn_policy_error(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  IamConn *conn = sqlite3_user_data(ctx);
  const char *s, *fn = "iam_policy_error";
  size_t n;
  IamPolicyType t;
  IamCacheEntry *e = NULL;
  IamError err;
  if (iam_arg_text(ctx, fn, argv[0], "policy", &s, &n) <= 0) return;
  if (argc > 1 && !policy_type_arg(ctx, fn, argv[1], &t)) return;
  if (argc < 2) memset(&t, 0, sizeof t);
  int rc = iam_conn_policy(conn, s, n, iam_hash(s, n), iam_policy_type_flags(&t), &e, &err);
  if (rc == IAM_OK) {
    iam_cache_entry_unref(e);
    return; /* NULL */
  }
  if (rc == IAM_ENOMEM) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, err.msg, -1, SQLITE_TRANSIENT);
}
