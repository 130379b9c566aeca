/* SPDX-License-Identifier: MIT */
/*
** iam_resources(policy): one row per Resource/NotResource pattern of every
** statement, with ARN patterns split into their fields.
**
**   SELECT pattern, partition, service, region, account, resource
**   FROM iam_resources('{"Statement":{"Effect":"Allow","Action":"s3:*",
**     "Resource":["arn:aws:s3:::b/x?","arn:aws:ecs:*:123456789012:cluster/prod","*"]}}');
**   -- arn:aws:s3:::b/x?|aws|s3|||b/x?
**   -- arn:aws:ecs:*:123456789012:cluster/prod|aws|ecs|*|123456789012|cluster/prod
**   -- *|NULL|NULL|NULL|NULL|NULL
**
** Schema (policy is the hidden argument column):
**
**   policy_index     index of the document in the policy array (0 for a single document)
**   statement_index  index of the statement in its document
**   sid              Sid, or NULL
**   effect           'Allow' or 'Deny'
**   negated          1 for a NotResource pattern, 0 for Resource
**   pattern_index    position of the pattern in the statement's list
**   pattern          the pattern as written
**   partition, service, region, account, resource
**                    the ARN fields when the pattern starts with "arn:" and has at least
**                    five ':' (resource is everything after the fifth, ':' included);
**                    all NULL otherwise. Empty fields are '' (as in arn:aws:s3:::b).
**   has_wildcard     1 if the pattern contains '*' or '?'
**   has_variable     1 if the pattern contains a policy variable that evaluation
**                    substitutes (Version 2012-10-17, in the resource part)
**
** Errors and NULL as for iam_statements.
*/
#include <string.h>

#include "iam_vt.h"

/* 0-3: policy_index, statement_index, sid, effect (IAM_VT_COL_*) */
#define IAM_RES_COL_NEGATED       4
#define IAM_RES_COL_PATTERN_INDEX 5
#define IAM_RES_COL_PATTERN       6
#define IAM_RES_COL_PARTITION     7 /* ARN fields 1..5 follow in order */
#define IAM_RES_COL_SERVICE       8
#define IAM_RES_COL_REGION        9
#define IAM_RES_COL_ACCOUNT       10
#define IAM_RES_COL_RESOURCE      11
#define IAM_RES_COL_HAS_WILDCARD  12
#define IAM_RES_COL_HAS_VARIABLE  13
#define IAM_RES_COL_POLICY        14 /* hidden */
_Static_assert(IAM_RES_COL_POLICY == IAM_RES_COL_HAS_VARIABLE + 1,
               "the hidden argument column comes last");

static const char *const res_args[] = {"policy"};

static uint32_t res_nitems(const IamStatement *s) { return s->nres; }

static const IamVtDef res_def = {
    .name = "iam_resources",
    .schema =
        "CREATE TABLE x(policy_index INTEGER, statement_index INTEGER, sid TEXT, effect TEXT,"
        " negated INTEGER, pattern_index INTEGER, pattern TEXT, partition TEXT,"
        " service TEXT, region TEXT, account TEXT, resource TEXT, has_wildcard INTEGER,"
        " has_variable INTEGER, policy HIDDEN)",
    .ncol = IAM_RES_COL_POLICY,
    .nargs = 1,
    .nrequired = 1,
    .arg_names = res_args,
    .parse_flags = IAM_PARSE_PRINCIPAL,
    .cursor_size = sizeof(IamVtCursor),
    .reset = NULL,
    .first = iam_vt_items_first,
    .nitems = res_nitems,
};

static int res_connect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                       sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc, (void)argv, (void)pzErr;
  return iam_vt_connect(db, pAux, &res_def, ppVtab);
}

/* Field f (1..5) of an ARN pattern: sets *s and *n; 0 if t is not ARN-shaped. */
static int arn_field(const char *t, size_t len, int f, const char **s, size_t *n) {
  size_t colon[5], k = 0;
  if (len < 4 || memcmp(t, "arn:", 4) != 0) return 0;
  for (size_t i = 3; i < len && k < 5; i++)
    if (t[i] == ':') colon[k++] = i;
  if (k < 5) return 0;
  *s = t + colon[f - 1] + 1;
  *n = (f == 5 ? len : colon[f]) - (colon[f - 1] + 1);
  return 1;
}

static int res_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  IamVtCursor *cur = (IamVtCursor *)base;
  const IamStatement *s = &cur->p->stmt[cur->i];
  const IamTemplate *t = &s->res[cur->j];
  const char *f;
  size_t fn;
  if (iam_vt_stmt_column(s, ctx, col)) return SQLITE_OK;
  switch (col) {
    case IAM_RES_COL_NEGATED: sqlite3_result_int(ctx, s->not_resource); break;
    case IAM_RES_COL_PATTERN_INDEX: sqlite3_result_int64(ctx, cur->j); break;
    case IAM_RES_COL_PATTERN:
      sqlite3_result_text(ctx, t->text, (int)t->len, SQLITE_TRANSIENT);
      break;
    case IAM_RES_COL_PARTITION:
    case IAM_RES_COL_SERVICE:
    case IAM_RES_COL_REGION:
    case IAM_RES_COL_ACCOUNT:
    case IAM_RES_COL_RESOURCE:
      if (arn_field(t->text, t->len, col - IAM_RES_COL_PARTITION + 1, &f, &fn))
        sqlite3_result_text(ctx, f, (int)fn, SQLITE_TRANSIENT);
      break;
    case IAM_RES_COL_HAS_WILDCARD: sqlite3_result_int(ctx, strpbrk(t->text, "*?") != NULL); break;
    case IAM_RES_COL_HAS_VARIABLE: sqlite3_result_int(ctx, t->has_vars); break;
    default: iam_vt_column_arg(cur, ctx, col); break;
  }
  return SQLITE_OK;
}

const sqlite3_module iam_resources_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only */
    .xConnect = res_connect,
    .xBestIndex = iam_vt_best_index,
    .xDisconnect = iam_vt_disconnect,
    .xDestroy = NULL,
    .xOpen = iam_vt_open,
    .xClose = iam_vt_close,
    .xFilter = iam_vt_filter,
    .xNext = iam_vt_items_next,
    .xEof = iam_vt_eof,
    .xColumn = res_column,
    .xRowid = iam_vt_rowid,
};
