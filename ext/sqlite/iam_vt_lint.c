/* SPDX-License-Identifier: MIT */
/*
** iam_lint(policy [, policy_type]): every finding of the linter, one row each.
**
**   SELECT code, severity, path, message
**   FROM iam_lint('{"Version":"2012-10-17","Statement":{"Effect":"Allow",
**                   "Action":"ecs:RunTsk","Resource":"*"}}');
**   -- UNKNOWN_ACTION|warning|Statement.Action|ecs:RunTsk matches no action ...
**
** Schema (policy and policy_type are the hidden argument columns):
**
**   code             the finding's code (ext/LINT.md)
**   severity         'error', 'security_warning', 'warning' or 'suggestion'
**   path             where, as a JSON path into the text ('' for the whole text)
**   policy_index     the document's index (as in iam_statements), NULL for the whole text
**   statement_index  the statement's index in its document, NULL when not about a statement
**   sid              the statement's Sid, or NULL
**   message          one sentence
**   value            the offending text, or NULL
**
** policy_type: NULL or 'identity' (the text as iam_decision reads it),
** 'boundary', 'session', 'resource', 'trust', 'scp', 'rcp', 'endpoint'.
**
** A bad document is findings, never an SQL error: malformed JSON and every
** grammar problem are 'error' rows, exactly when iam_decision (or, for a
** policy type, the type's rules) would reject the text. A NULL policy gives
** no rows; a policy that is not TEXT and an unknown policy_type are SQL
** errors (misuse, not a problem of the document).
**
** The data-driven checks read the action catalog and the lint_* tables from
** the database the query runs in (iam_catalog_glue.h), once per query; without
** them those checks are skipped and one DATA_CHECKS_SKIPPED row says so.
*/
#include <string.h>

#include "iam_catalog_glue.h"
#include "iam_lint.h"
#include "iam_vt.h"

#define IAM_LINT_COL_CODE            0
#define IAM_LINT_COL_SEVERITY        1
#define IAM_LINT_COL_PATH            2
#define IAM_LINT_COL_POLICY_INDEX    3
#define IAM_LINT_COL_STATEMENT_INDEX 4
#define IAM_LINT_COL_SID             5
#define IAM_LINT_COL_MESSAGE         6
#define IAM_LINT_COL_VALUE           7
#define IAM_LINT_COL_POLICY          8 /* hidden arguments: policy, policy_type */
#define IAM_LINT_COL_POLICY_TYPE     9
_Static_assert(IAM_LINT_COL_POLICY == IAM_LINT_COL_VALUE + 1,
               "the hidden argument columns come last");

enum { ARG_POLICY = 0, ARG_TYPE };

typedef struct LintCursor {
  IamVtCursor c;
  IamLintReport *rep;  /* findings of the current policy */
  IamGlueCatalog *cat; /* the catalog, for the cursor's lifetime (one query) */
} LintCursor;

static const char *const lint_args[] = {"policy", "policy_type"};

static int lint_load(IamVtCursor *cur);
static int lint_first(IamVtCursor *cur);
static void lint_reset(IamVtCursor *cur);
static void lint_close(IamVtCursor *cur);

static const IamVtDef lint_def = {
    .name = "iam_lint",
    .schema =
        "CREATE TABLE x(code TEXT, severity TEXT, path TEXT, policy_index INTEGER,"
        " statement_index INTEGER, sid TEXT, message TEXT, value TEXT,"
        " policy HIDDEN, policy_type HIDDEN)",
    .ncol = IAM_LINT_COL_POLICY,
    .nargs = 2,
    .nrequired = 1,
    .arg_names = lint_args,
    .parse_flags = 0,
    .cursor_size = sizeof(LintCursor),
    .reset = lint_reset,
    .close = lint_close,
    .load = lint_load,
    .first = lint_first,
    .nitems = NULL,
};

static int lint_connect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                        sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc, (void)argv, (void)pzErr;
  return iam_vt_connect(db, pAux, &lint_def, ppVtab);
}

static void lint_reset(IamVtCursor *base) {
  LintCursor *cur = (LintCursor *)base;
  iam_lint_free(cur->rep);
  cur->rep = NULL;
}

static void lint_close(IamVtCursor *base) {
  LintCursor *cur = (LintCursor *)base;
  iam_glue_catalog_close(cur->cat);
  cur->cat = NULL;
}

int iam_vt_policy_type(IamVtCursor *cur, int ai, IamPolicyType *t) {
  const IamVtDef *def = ((IamVtab *)cur->base.pVtab)->def;
  memset(t, 0, sizeof *t);
  if (cur->arg[ai] == NULL) return SQLITE_OK; /* identity */
  if (iam_policy_type_parse(cur->arg[ai], cur->arg_len[ai], t)) return SQLITE_OK;
  iam_vtab_error(cur->base.pVtab, "%s(): policy_type must be one of %s, not '%s'", def->name,
                 IAM_POLICY_TYPE_NAMES, cur->arg[ai]);
  return SQLITE_ERROR;
}

static int lint_load(IamVtCursor *base) {
  LintCursor *cur = (LintCursor *)base;
  IamVtab *tab = (IamVtab *)base->base.pVtab;
  IamLintOptions opt;
  memset(&opt, 0, sizeof opt);
  int rc = iam_vt_policy_type(base, ARG_TYPE, &opt.type);
  if (rc != SQLITE_OK) return rc;
  if (cur->cat == NULL && (cur->cat = iam_glue_catalog_open(tab->db)) == NULL) return SQLITE_NOMEM;
  if ((rc = iam_glue_catalog_get(cur->cat, &opt.catalog, &opt.missing_tables)) != SQLITE_OK ||
      (rc = iam_glue_catalog_lists(cur->cat, &opt.lists)) != SQLITE_OK)
    goto failed;
  if (iam_lint(base->arg[ARG_POLICY], base->arg_len[ARG_POLICY], &opt, &cur->rep) != IAM_OK) {
    rc = SQLITE_NOMEM;
    goto failed;
  }
  return SQLITE_OK;
failed:;
  const char *msg;
  int err = iam_glue_catalog_error(cur->cat, &msg);
  if (err == SQLITE_OK) return rc;
  iam_vtab_error(&tab->base, "iam_lint(): %s", msg);
  return err;
}

static int lint_first(IamVtCursor *base) {
  LintCursor *cur = (LintCursor *)base;
  base->i = 0;
  base->eof = iam_lint_count(cur->rep) == 0;
  return SQLITE_OK;
}

static int lint_next(sqlite3_vtab_cursor *b) {
  LintCursor *cur = (LintCursor *)b;
  cur->c.i++;
  cur->c.rowid++;
  cur->c.eof = cur->c.i >= iam_lint_count(cur->rep);
  return SQLITE_OK;
}

static void text_or_null(sqlite3_context *ctx, const char *s) {
  if (s) sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

static int lint_column(sqlite3_vtab_cursor *b, sqlite3_context *ctx, int col) {
  LintCursor *cur = (LintCursor *)b;
  const IamLintFinding *f = iam_lint_finding(cur->rep, cur->c.i);
  switch (col) {
    case IAM_LINT_COL_CODE: sqlite3_result_text(ctx, f->code, -1, SQLITE_STATIC); break;
    case IAM_LINT_COL_SEVERITY:
      sqlite3_result_text(ctx, iam_lint_severity_name((IamLintSeverity)f->severity), -1,
                          SQLITE_STATIC);
      break;
    case IAM_LINT_COL_PATH: text_or_null(ctx, f->path); break;
    case IAM_LINT_COL_POLICY_INDEX:
      if (f->doc >= 0) sqlite3_result_int64(ctx, f->doc);
      break;
    case IAM_LINT_COL_STATEMENT_INDEX:
      if (f->stmt >= 0) sqlite3_result_int64(ctx, f->stmt);
      break;
    case IAM_LINT_COL_SID: text_or_null(ctx, f->sid); break;
    case IAM_LINT_COL_MESSAGE: text_or_null(ctx, f->msg); break;
    case IAM_LINT_COL_VALUE: text_or_null(ctx, f->value); break;
    default: iam_vt_column_arg(&cur->c, ctx, col); break;
  }
  return SQLITE_OK;
}

const sqlite3_module iam_lint_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only */
    .xConnect = lint_connect,
    .xBestIndex = iam_vt_best_index,
    .xDisconnect = iam_vt_disconnect,
    .xDestroy = NULL,
    .xOpen = iam_vt_open,
    .xClose = iam_vt_close,
    .xFilter = iam_vt_filter,
    .xNext = lint_next,
    .xEof = iam_vt_eof,
    .xColumn = lint_column,
    .xRowid = iam_vt_rowid,
};
