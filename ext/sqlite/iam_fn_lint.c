/* SPDX-License-Identifier: MIT */
/* Scalar functions of linting: iam_policy_error(policy [, policy_type]) and
** iam_grants_new_access(old, new [, policy_type]) (ext/README.md). */
#include <string.h>

#include "iam_access.h"
#include "iam_cache.h"
#include "iam_catalog_glue.h"
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
  int rc = iam_conn_policy(conn, s, n, iam_cache_hash(conn->policies, s, n),
                           iam_policy_type_flags(&t), &e, &err);
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

/* iam_grants_new_access(old, new [, policy_type]): 1 when iam_new_access(old,
** new, policy_type) has a row, else 0; NULL when old or new is NULL. The
** catalog is read for this call only (a query over many pairs is faster with
** the table-valued function). */
void iam_fn_grants_new_access(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  IamConn *conn = sqlite3_user_data(ctx);
  const char *os, *ns, *fn = "iam_grants_new_access";
  size_t on, nn;
  IamPolicyType t;
  IamCacheEntry *oe = NULL, *ne = NULL;
  IamNewAccessList *rows = NULL;
  IamGlueCatalog *cat = NULL;
  char *msg = NULL;
  int r1 = iam_arg_text(ctx, fn, argv[0], "old", &os, &on);
  if (r1 < 0) return;
  int r2 = iam_arg_text(ctx, fn, argv[1], "new", &ns, &nn);
  if (r2 < 0) return;
  memset(&t, 0, sizeof t);
  if (argc > 2 && !policy_type_arg(ctx, fn, argv[2], &t)) return;
  if (r1 == 0 || r2 == 0) return; /* NULL */
  int rc = iam_glue_new_access(conn, sqlite3_context_db_handle(ctx), &cat, os, on, ns, nn, &t, &oe,
                               &ne, &rows, &msg);
  if (rc == SQLITE_OK)
    sqlite3_result_int(ctx, iam_new_access_count(rows) > 0);
  else if (msg)
    iam_result_error(ctx, fn, msg);
  else
    sqlite3_result_error_code(ctx, rc);
  sqlite3_free(msg);
  iam_new_access_free(rows);
  if (oe) iam_cache_entry_unref(oe);
  if (ne) iam_cache_entry_unref(ne);
  iam_glue_catalog_close(cat);
}
