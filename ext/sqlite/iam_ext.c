/* SPDX-License-Identifier: MIT */
/*
** sqlite-iam: evaluate AWS IAM policies in SQL.
**
** Usage (sqlite3 shell):
**   .load ./dist/iam
**   SELECT iam_decision(doc, 'ecs:RunTask', 'arn:aws:ecs:...:task-definition/web:3', '{}');
**
** The entry point: one table of functions (aFunc[]) and one of modules
** (aMod[]), registered in one loop that stops at the first failure. The
** functions are in iam_fn.c and iam_agg.c, the modules in iam_vt_*.c; every
** registration holds a reference on the connection's state (iam_conn.c).
** The function reference is ext/README.md.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "iam_conn.h"
#include "iam_sqlite.h"

static const struct {
  const char *name;
  int nArg;
  int flags;
  void (*xFunc)(sqlite3_context *, int, sqlite3_value **);
  void (*xStep)(sqlite3_context *, int, sqlite3_value **);
  void (*xFinal)(sqlite3_context *);
} aFunc[] = {
    /* clang-format off */
    {"iam_decision",         3, IAM_FN_FLAGS, iam_fn_decision,         NULL, NULL},
    {"iam_decision",         4, IAM_FN_FLAGS, iam_fn_decision,         NULL, NULL},
    {"iam_allows",           3, IAM_FN_FLAGS, iam_fn_allows,           NULL, NULL},
    {"iam_allows",           4, IAM_FN_FLAGS, iam_fn_allows,           NULL, NULL},
    {"iam_decision",         5, IAM_FN_FLAGS, iam_fn_decision,         NULL, NULL},
    {"iam_decision",         6, IAM_FN_FLAGS, iam_fn_decision,         NULL, NULL},
    {"iam_allows",           5, IAM_FN_FLAGS, iam_fn_allows,           NULL, NULL},
    {"iam_allows",           6, IAM_FN_FLAGS, iam_fn_allows,           NULL, NULL},
    {"iam_authorize",        1, IAM_FN_FLAGS, iam_fn_authorize,        NULL, NULL},
    {"iam_authz_message",    1, IAM_FN_FLAGS, iam_fn_authz_message,    NULL, NULL},
    {"iam_action_matches",   2, IAM_FN_FLAGS, iam_fn_action_matches,   NULL, NULL},
    {"iam_resource_matches", 2, IAM_FN_FLAGS, iam_fn_resource_matches, NULL, NULL},
    {"iam_resource_matches", 3, IAM_FN_FLAGS, iam_fn_resource_matches, NULL, NULL},
    {"iam_policy_error",     1, IAM_FN_FLAGS, iam_fn_policy_error,     NULL, NULL},
    {"iam_policy_error",     2, IAM_FN_FLAGS, iam_fn_policy_error,     NULL, NULL},
    {"iam_url_decode",       1, IAM_FN_FLAGS, iam_fn_url_decode,       NULL, NULL},
    {"iam_url_decode_error", 1, IAM_FN_FLAGS, iam_fn_url_decode_error, NULL, NULL},
    /* reads the catalog tables, which may change: not deterministic */
    {"iam_grants_new_access", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS, iam_fn_grants_new_access, NULL, NULL},
    {"iam_grants_new_access", 3, SQLITE_UTF8 | SQLITE_INNOCUOUS, iam_fn_grants_new_access, NULL, NULL},
    {"iam_version",          0, IAM_FN_FLAGS, iam_fn_version,          NULL, NULL},
    /* iam_debug reports cache counters, which change: not deterministic */
    {"iam_debug",            0, SQLITE_UTF8 | SQLITE_INNOCUOUS, iam_fn_debug, NULL, NULL},
    /* iam_config changes the connection: never in views, triggers or the schema */
    {"iam_config",           1, SQLITE_UTF8 | SQLITE_DIRECTONLY, iam_fn_config, NULL, NULL},
    {"iam_config",           2, SQLITE_UTF8 | SQLITE_DIRECTONLY, iam_fn_config, NULL, NULL},
    {"iam_decision_agg",     3, IAM_FN_FLAGS, NULL, iam_agg_decision_step, iam_agg_decision_final},
    {"iam_decision_agg",     4, IAM_FN_FLAGS, NULL, iam_agg_decision_step, iam_agg_decision_final},
    {"iam_decision_agg",     5, IAM_FN_FLAGS, NULL, iam_agg_decision_step, iam_agg_decision_final},
    {"iam_allows_agg",       3, IAM_FN_FLAGS, NULL, iam_agg_allows_step,   iam_agg_allows_final},
    {"iam_allows_agg",       4, IAM_FN_FLAGS, NULL, iam_agg_allows_step,   iam_agg_allows_final},
    {"iam_allows_agg",       5, IAM_FN_FLAGS, NULL, iam_agg_allows_step,   iam_agg_allows_final},
#ifdef IAM_TESTING
    {"iam_test_fail_alloc",  1, SQLITE_UTF8 | SQLITE_DIRECTONLY, iam_fn_test_fail_alloc, NULL, NULL},
#endif
    /* clang-format on */
};

static const struct {
  const char *name;
  const sqlite3_module *module;
} aMod[] = {
    /* clang-format off */
    {"iam_statements", &iam_statements_module},
    {"iam_actions",    &iam_actions_module},
    {"iam_resources",  &iam_resources_module},
    {"iam_conditions", &iam_conditions_module},
    {"iam_explain",    &iam_explain_module},
    {"iam_lint",       &iam_lint_module},
    {"iam_new_access", &iam_new_access_module},
    /* clang-format on */
};

#define N_FUNC (sizeof aFunc / sizeof aFunc[0])
#define N_MOD  (sizeof aMod / sizeof aMod[0])

int sqlite3_iam_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  int rc = SQLITE_OK;
  SQLITE_EXTENSION_INIT2(pApi);
  /* before any other call: an older library's routine table may lack them */
  if (sqlite3_libversion_number() < IAM_SQLITE_MIN_VERSION) {
    if (pzErrMsg)
      *pzErrMsg = sqlite3_mprintf("iam: needs SQLite %s or later, this is %s",
                                  IAM_SQLITE_MIN_VERSION_TEXT, sqlite3_libversion());
    return SQLITE_ERROR;
  }
  IamConn *conn = iam_conn_new(db);
  if (conn == NULL) return SQLITE_NOMEM;
  for (size_t i = 0; rc == SQLITE_OK && i < N_FUNC + N_MOD; i++) {
    const char *name = i < N_FUNC ? aFunc[i].name : aMod[i - N_FUNC].name;
    iam_conn_ref(conn); /* released by SQLite through iam_conn_unref, also on failure */
    if (i < N_FUNC)
      rc = sqlite3_create_function_v2(db, name, aFunc[i].nArg, aFunc[i].flags, conn, aFunc[i].xFunc,
                                      aFunc[i].xStep, aFunc[i].xFinal, iam_conn_unref);
    else
      rc = sqlite3_create_module_v2(db, name, aMod[i - N_FUNC].module, conn, iam_conn_unref);
    if (rc != SQLITE_OK && pzErrMsg)
      *pzErrMsg = sqlite3_mprintf("iam: cannot register %s: %s", name, sqlite3_errmsg(db));
  }
  iam_conn_unref(conn); /* each registration holds its own reference */
  return rc;
}
