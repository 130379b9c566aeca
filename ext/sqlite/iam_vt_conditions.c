/* SPDX-License-Identifier: MIT */
/*
** iam_conditions(policy): one row per condition value of every statement.
** An operator split as [qualifier:]base[IfExists]; an empty value list gives
** one row with a NULL value so that the condition stays visible.
**
**   SELECT operator, qualifier, base_operator, if_exists, key, key_lower, value
**   FROM iam_conditions('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*",
**     "Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*","b"]}}}}');
**   -- ForAnyValue:StringLikeIfExists|ForAnyValue|StringLike|1|aws:TagKeys|aws:tagkeys|a*
**   -- ForAnyValue:StringLikeIfExists|ForAnyValue|StringLike|1|aws:TagKeys|aws:tagkeys|b
**
** Schema (policy is the hidden argument column):
**
**   policy_index     index of the document in the policy array (0 for a single document)
**   statement_index  index of the statement in its document
**   sid              Sid, or NULL
**   effect           'Allow' or 'Deny'
**   condition_index  position of the (operator, key) entry in the statement, in document order
**   operator         the operator as written, e.g. 'ForAllValues:StringEqualsIfExists'
**   qualifier        'ForAllValues', 'ForAnyValue' or NULL
**   base_operator    the operator without qualifier and IfExists, e.g. 'StringEquals'
**   if_exists        1 if the operator ends in IfExists
**   key              the condition key as written
**   key_lower        the key lower-cased (keys compare ignoring ASCII case)
**   value_index      position of the value in the key's list (NULL for an empty list)
**   value            the value as text (numbers and booleans as their JSON text), NULL
**                    for an empty list
**
** Errors and NULL as for iam_statements.
*/
#include <string.h>

#include "iam_vt.h"

/* 0-3: policy_index, statement_index, sid, effect (IAM_VT_COL_*) */
#define IAM_COND_COL_CONDITION_INDEX 4
#define IAM_COND_COL_OPERATOR        5
#define IAM_COND_COL_QUALIFIER       6
#define IAM_COND_COL_BASE_OPERATOR   7
#define IAM_COND_COL_IF_EXISTS       8
#define IAM_COND_COL_KEY             9
#define IAM_COND_COL_KEY_LOWER       10
#define IAM_COND_COL_VALUE_INDEX     11
#define IAM_COND_COL_VALUE           12
#define IAM_COND_COL_POLICY          13 /* hidden */
_Static_assert(IAM_COND_COL_POLICY == IAM_COND_COL_VALUE + 1,
               "the hidden argument column comes last");

static const char *const cond_args[] = {"policy"};

static int cond_first(IamVtCursor *cur);

static const IamVtDef cond_def = {
    .name = "iam_conditions",
    .schema =
        "CREATE TABLE x(policy_index INTEGER, statement_index INTEGER, sid TEXT, effect TEXT,"
        " condition_index INTEGER, operator TEXT, qualifier TEXT, base_operator TEXT,"
        " if_exists INTEGER, key TEXT, key_lower TEXT, value_index INTEGER, value TEXT,"
        " policy HIDDEN)",
    .ncol = IAM_COND_COL_POLICY,
    .nargs = 1,
    .nrequired = 1,
    .arg_names = cond_args,
    .parse_flags = IAM_PARSE_PRINCIPAL,
    .cursor_size = sizeof(IamVtCursor),
    .reset = NULL,
    .first = cond_first,
    .nitems = NULL,
};

static int cond_connect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                        sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc, (void)argv, (void)pzErr;
  return iam_vt_connect(db, pAux, &cond_def, ppVtab);
}

/* Move to the first row at or after (statement i, entry j, value k); an entry
** with no values has one row. */
static void cond_settle(IamVtCursor *cur) {
  const IamPolicy *p = cur->p;
  while (cur->i < p->nstmt) {
    const IamStatement *s = &p->stmt[cur->i];
    if (cur->j >= s->ncond) {
      cur->i++;
      cur->j = cur->k = 0;
      continue;
    }
    uint32_t rows = s->cond[cur->j].nvals ? s->cond[cur->j].nvals : 1;
    if (cur->k < rows) break;
    cur->j++;
    cur->k = 0;
  }
  cur->eof = cur->i >= p->nstmt;
}

static int cond_first(IamVtCursor *cur) {
  cond_settle(cur);
  return SQLITE_OK;
}

static int cond_next(sqlite3_vtab_cursor *base) {
  IamVtCursor *cur = (IamVtCursor *)base;
  cur->k++;
  cur->rowid++;
  cond_settle(cur);
  return SQLITE_OK;
}

static int cond_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  IamVtCursor *cur = (IamVtCursor *)base;
  const IamStatement *s = &cur->p->stmt[cur->i];
  const IamCond *c = &s->cond[cur->j];
  if (iam_vt_stmt_column(s, ctx, col)) return SQLITE_OK;
  switch (col) {
    case IAM_COND_COL_CONDITION_INDEX: sqlite3_result_int64(ctx, cur->j); break;
    case IAM_COND_COL_OPERATOR:
      sqlite3_result_text(ctx, c->operator_text, -1, SQLITE_TRANSIENT);
      break;
    case IAM_COND_COL_QUALIFIER:
      if (c->qual == IAM_QUAL_FORALL)
        sqlite3_result_text(ctx, "ForAllValues", -1, SQLITE_STATIC);
      else if (c->qual == IAM_QUAL_FORANY)
        sqlite3_result_text(ctx, "ForAnyValue", -1, SQLITE_STATIC);
      break;
    case IAM_COND_COL_BASE_OPERATOR:
      sqlite3_result_text(ctx, iam_cond_operators[c->base].name, -1, SQLITE_STATIC);
      break;
    case IAM_COND_COL_IF_EXISTS: sqlite3_result_int(ctx, c->if_exists); break;
    case IAM_COND_COL_KEY:
      sqlite3_result_text(ctx, c->key, (int)c->key_len, SQLITE_TRANSIENT);
      break;
    case IAM_COND_COL_KEY_LOWER:
      sqlite3_result_text(ctx, c->key_lower, (int)c->key_len, SQLITE_TRANSIENT);
      break;
    case IAM_COND_COL_VALUE_INDEX:
      if (c->nvals) sqlite3_result_int64(ctx, cur->k);
      break;
    case IAM_COND_COL_VALUE:
      if (c->nvals)
        sqlite3_result_text(ctx, c->vals[cur->k].t.text, (int)c->vals[cur->k].t.len,
                            SQLITE_TRANSIENT);
      break;
    default: iam_vt_column_arg(cur, ctx, col); break;
  }
  return SQLITE_OK;
}

const sqlite3_module iam_conditions_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only */
    .xConnect = cond_connect,
    .xBestIndex = iam_vt_best_index,
    .xDisconnect = iam_vt_disconnect,
    .xDestroy = NULL,
    .xOpen = iam_vt_open,
    .xClose = iam_vt_close,
    .xFilter = iam_vt_filter,
    .xNext = cond_next,
    .xEof = iam_vt_eof,
    .xColumn = cond_column,
    .xRowid = iam_vt_rowid,
};
