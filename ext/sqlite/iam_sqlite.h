/* SPDX-License-Identifier: MIT */
/* The glue between the core and SQLite: only files under ext/sqlite/ include
** this header, and only they see the SQLite API. What the entry point
** (iam_ext.c) registers is declared here. */
#ifndef IAM_SQLITE_H
#define IAM_SQLITE_H

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <stddef.h>

#include "iam.h"
#include "iam_conn.h"

#define IAM_FN_FLAGS (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

/* The oldest SQLite library the extension runs on, checked at load time: the
** newest APIs it uses are SQLITE_INNOCUOUS and SQLITE_VTAB_INNOCUOUS (3.31.0);
** before them come SQLITE_DIRECTONLY (3.30.0, test builds), sqlite3_str
** (3.25.0), eponymous virtual tables (3.9.0) and sqlite3_malloc64 (3.8.7). */
#define IAM_SQLITE_MIN_VERSION      3031000
#define IAM_SQLITE_MIN_VERSION_TEXT "3.31.0"

/* ---- arguments and errors of the functions (iam_args.c) ----------------- */

/* How "x must be text, not ..." names a non-text SQLite type. */
const char *iam_arg_type_name(int type);
/* The text of a TEXT argument: 1, 0 for NULL, or -1 after raising
** "fn(): <what> must be text, not ..." on ctx for any other type. */
int iam_arg_text(sqlite3_context *ctx, const char *fn, sqlite3_value *v, const char *what,
                 const char **s, size_t *n);
/* Raise "fn(): msg" on ctx (or out of memory). */
void iam_result_error(sqlite3_context *ctx, const char *fn, const char *msg);
/* Raise a core error: "fn(): <err->msg>", or out of memory for IAM_ENOMEM. */
void iam_result_core_error(sqlite3_context *ctx, const char *fn, int rc, const IamError *err);
/* Raise what ended a call that had no decision (rc < 0): out of memory,
** "interrupted" (SQLITE_INTERRUPT) or "fn(): the work limit ..." (w's). */
void iam_result_call_error(sqlite3_context *ctx, const char *fn, int rc, const IamWork *w);

/* ---- scalar functions (iam_fn.c) ------------------------------------------ */

void iam_fn_decision(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_allows(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_authorize(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_authz_message(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_action_matches(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_resource_matches(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_version(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_debug(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_policy_error(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_url_decode(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_url_decode_error(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_grants_new_access(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_fn_config(sqlite3_context *ctx, int argc, sqlite3_value **argv);
#ifdef IAM_TESTING
void iam_fn_test_fail_alloc(sqlite3_context *ctx, int argc, sqlite3_value **argv);
#endif

/* Decide policy text ps for (action, resource, context) and set the result
** of fn: the decision's name, or 1/0 with as_bool. cs may be NULL (no
** context). With use_aux, the compiled policy and context are kept in the
** auxdata slots of the scalar's policy and context arguments. Shared by the
** scalars and the aggregates. */
void iam_fn_decide(sqlite3_context *ctx, const char *fn, int as_bool, int use_aux, const char *ps,
                   size_t pn, const char *as, size_t an, const char *rs, size_t rn, const char *cs,
                   size_t cn);

/* ---- aggregates (iam_agg.c) ----------------------------------------------- */

void iam_agg_decision_step(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_agg_decision_final(sqlite3_context *ctx);
void iam_agg_allows_step(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void iam_agg_allows_final(sqlite3_context *ctx);

/* ---- table-valued functions (iam_vt_<name>.c) ---------------------------- */

extern const sqlite3_module iam_statements_module;
extern const sqlite3_module iam_actions_module;
extern const sqlite3_module iam_resources_module;
extern const sqlite3_module iam_conditions_module;
extern const sqlite3_module iam_explain_module;
extern const sqlite3_module iam_lint_module;
extern const sqlite3_module iam_new_access_module;

/* ---- the entry point (iam_ext.c) ------------------------------------------ */

#ifdef _WIN32
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
    int sqlite3_iam_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

#endif /* IAM_SQLITE_H */
