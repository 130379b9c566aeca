/* SPDX-License-Identifier: MIT */
/*
** iam_actions(policy): one row per Action/NotAction pattern of every
** statement (a bare string counts as a one-element list).
**
**   SELECT statement_index, effect, pattern, service, name_pattern, has_wildcard
**   FROM iam_actions('{"Statement":{"Effect":"Allow","Action":["ecs:List*","iam:PassRole"],
**                      "Resource":"*"}}');
**   -- 0|Allow|ecs:List*|ecs|List*|1
**   -- 0|Allow|iam:PassRole|iam|PassRole|0
**
** Schema (policy is the hidden argument column):
**
**   policy_index     index of the document in the policy array (0 for a single document)
**   statement_index  index of the statement in its document
**   sid              Sid, or NULL
**   effect           'Allow' or 'Deny'
**   negated          1 for a NotAction pattern, 0 for Action
**   pattern_index    position of the pattern in the statement's list
**   pattern          the pattern as written
**   service          the text before the first ':' (NULL when there is no ':', as in '*')
**   name_pattern     the text after the first ':' (NULL when there is no ':')
**   has_wildcard     1 if the pattern contains '*' or '?'
**
** Errors and NULL as for iam_statements.
*/
#include <string.h>

#include "iam_vt.h"

/* 0-3: policy_index, statement_index, sid, effect (IAM_VT_COL_*) */
#define IAM_ACT_COL_NEGATED       4
#define IAM_ACT_COL_PATTERN_INDEX 5
#define IAM_ACT_COL_PATTERN       6
#define IAM_ACT_COL_SERVICE       7
#define IAM_ACT_COL_NAME_PATTERN  8
#define IAM_ACT_COL_HAS_WILDCARD  9
#define IAM_ACT_COL_POLICY        10 /* hidden */
_Static_assert(IAM_ACT_COL_POLICY == IAM_ACT_COL_HAS_WILDCARD + 1,
               "the hidden argument column comes last");

static const char *const act_args[] = {"policy"};

static uint32_t act_nitems(const IamStatement *s) { return s->nact; }

static const IamVtDef act_def = {
    .name = "iam_actions",
    .schema =
        "CREATE TABLE x(policy_index INTEGER, statement_index INTEGER, sid TEXT, effect TEXT,"
        " negated INTEGER, pattern_index INTEGER, pattern TEXT, service TEXT,"
        " name_pattern TEXT, has_wildcard INTEGER, policy HIDDEN)",
    .ncol = IAM_ACT_COL_POLICY,
    .nargs = 1,
    .nrequired = 1,
    .arg_names = act_args,
    .parse_flags = IAM_PARSE_PRINCIPAL,
    .cursor_size = sizeof(IamVtCursor),
    .reset = NULL,
    .first = iam_vt_items_first,
    .nitems = act_nitems,
};

static int act_connect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                       sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc, (void)argv, (void)pzErr;
  return iam_vt_connect(db, pAux, &act_def, ppVtab);
}

static int act_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  IamVtCursor *cur = (IamVtCursor *)base;
  const IamStatement *s = &cur->p->stmt[cur->i];
  const char *t = s->act_text[cur->j];
  const char *colon = strchr(t, ':');
  if (iam_vt_stmt_column(s, ctx, col)) return SQLITE_OK;
  switch (col) {
    case IAM_ACT_COL_NEGATED: sqlite3_result_int(ctx, s->not_action); break;
    case IAM_ACT_COL_PATTERN_INDEX: sqlite3_result_int64(ctx, cur->j); break;
    case IAM_ACT_COL_PATTERN: sqlite3_result_text(ctx, t, -1, SQLITE_TRANSIENT); break;
    case IAM_ACT_COL_SERVICE:
      if (colon) sqlite3_result_text(ctx, t, (int)(colon - t), SQLITE_TRANSIENT);
      break;
    case IAM_ACT_COL_NAME_PATTERN:
      if (colon) sqlite3_result_text(ctx, colon + 1, -1, SQLITE_TRANSIENT);
      break;
    case IAM_ACT_COL_HAS_WILDCARD: sqlite3_result_int(ctx, strpbrk(t, "*?") != NULL); break;
    default: iam_vt_column_arg(cur, ctx, col); break;
  }
  return SQLITE_OK;
}

const sqlite3_module iam_actions_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only */
    .xConnect = act_connect,
    .xBestIndex = iam_vt_best_index,
    .xDisconnect = iam_vt_disconnect,
    .xDestroy = NULL,
    .xOpen = iam_vt_open,
    .xClose = iam_vt_close,
    .xFilter = iam_vt_filter,
    .xNext = iam_vt_items_next,
    .xEof = iam_vt_eof,
    .xColumn = act_column,
    .xRowid = iam_vt_rowid,
};
