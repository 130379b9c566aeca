/*
** iam_statements(policy): one row per statement of a policy (one document or
** a JSON array of documents), in document order.
**
**   SELECT statement_index, sid, effect, action_json
**   FROM iam_statements('{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*"}}');
**   -- 0|NULL|Allow|["ecs:*"]
**
** Schema (policy is the hidden argument column):
**
**   policy_index     index of the document in the policy array (0 for a single document)
**   statement_index  index of the statement in its document (0 for a bare Statement object)
**   sid              Sid, or NULL
**   effect           'Allow' or 'Deny'
**   not_action       1 if the statement uses NotAction, else 0
**   not_resource     1 if the statement uses NotResource, else 0
**   action_json      the Action/NotAction patterns as a JSON array of strings
**   resource_json    the Resource/NotResource patterns as a JSON array of strings
**   condition_json   {"Operator": {"key": ["value", ...]}, ...} with every value as text,
**                    or NULL when the statement has no condition entries
**   principal_json   the Principal/NotPrincipal element as JSON, or NULL
**   not_principal    1 if that element is NotPrincipal, 0 if Principal, NULL if neither
**
** Invalid policies raise the error iam_decision() would (Principal is
** accepted here); a NULL policy gives no rows.
*/
#include <string.h>

#include "iam_vt.h"

/* 0-3: policy_index, statement_index, sid, effect (IAM_VT_COL_*) */
#define IAM_STMT_COL_NOT_ACTION     4
#define IAM_STMT_COL_NOT_RESOURCE   5
#define IAM_STMT_COL_ACTION_JSON    6
#define IAM_STMT_COL_RESOURCE_JSON  7
#define IAM_STMT_COL_CONDITION_JSON 8
#define IAM_STMT_COL_PRINCIPAL_JSON 9
#define IAM_STMT_COL_NOT_PRINCIPAL  10
#define IAM_STMT_COL_POLICY         11 /* hidden */
_Static_assert(IAM_STMT_COL_POLICY == IAM_STMT_COL_NOT_PRINCIPAL + 1,
               "the hidden argument column comes last");

static const char *const stmt_args[] = {"policy"};

static uint32_t stmt_nitems(const IamStatement *s) {
  (void)s;
  return 1; /* one row per statement */
}

static const IamVtDef stmt_def = {
    .name = "iam_statements",
    .schema =
        "CREATE TABLE x(policy_index INTEGER, statement_index INTEGER, sid TEXT, effect TEXT,"
        " not_action INTEGER, not_resource INTEGER, action_json TEXT, resource_json TEXT,"
        " condition_json TEXT, principal_json TEXT, not_principal INTEGER, policy HIDDEN)",
    .ncol = IAM_STMT_COL_POLICY,
    .nargs = 1,
    .nrequired = 1,
    .arg_names = stmt_args,
    .parse_flags = IAM_PARSE_PRINCIPAL,
    .cursor_size = sizeof(IamVtCursor),
    .reset = NULL,
    .first = iam_vt_items_first,
    .nitems = stmt_nitems,
};

static int stmt_connect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                        sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc, (void)argv, (void)pzErr;
  return iam_vt_connect(db, pAux, &stmt_def, ppVtab);
}

static void json_patterns(IamVtBuf *b, const IamStatement *s, int actions) {
  uint32_t n = actions ? s->nact : s->nres;
  iam_vt_buf_append(b, "[", 1);
  for (uint32_t i = 0; i < n; i++) {
    const char *t = actions ? s->act_text[i] : s->res[i].text;
    size_t len = actions ? strlen(t) : s->res[i].len;
    if (i) iam_vt_buf_append(b, ",", 1);
    iam_vt_buf_json_string(b, t, len);
  }
  iam_vt_buf_append(b, "]", 1);
}

/* Entries of one operator block are consecutive and share op_text. */
static void json_conditions(IamVtBuf *b, const IamStatement *s) {
  iam_vt_buf_append(b, "{", 1);
  for (uint32_t i = 0; i < s->ncond; i++) {
    const IamCond *c = &s->cond[i];
    int new_block = i == 0 || s->cond[i - 1].block != c->block;
    if (new_block) {
      if (i) iam_vt_buf_append(b, "},", 2);
      iam_vt_buf_json_string(b, c->op_text, strlen(c->op_text));
      iam_vt_buf_append(b, ":{", 2);
    } else {
      iam_vt_buf_append(b, ",", 1);
    }
    iam_vt_buf_json_string(b, c->key, c->key_len);
    iam_vt_buf_append(b, ":[", 2);
    for (uint32_t v = 0; v < c->nvals; v++) {
      if (v) iam_vt_buf_append(b, ",", 1);
      iam_vt_buf_json_string(b, c->vals[v].t.text, c->vals[v].t.len);
    }
    iam_vt_buf_append(b, "]", 1);
  }
  iam_vt_buf_append(b, s->ncond ? "}}" : "}", s->ncond ? 2 : 1);
}

static int stmt_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  IamVtCursor *cur = (IamVtCursor *)base;
  const IamStatement *s = &cur->p->stmt[cur->i];
  IamVtBuf *b = &cur->buf;
  iam_vt_buf_reset(b);
  if (iam_vt_stmt_column(s, ctx, col)) return SQLITE_OK;
  switch (col) {
    case IAM_STMT_COL_NOT_ACTION: sqlite3_result_int(ctx, s->not_action); break;
    case IAM_STMT_COL_NOT_RESOURCE: sqlite3_result_int(ctx, s->not_resource); break;
    case IAM_STMT_COL_ACTION_JSON: json_patterns(b, s, 1); return iam_vt_buf_result(b, ctx);
    case IAM_STMT_COL_RESOURCE_JSON: json_patterns(b, s, 0); return iam_vt_buf_result(b, ctx);
    case IAM_STMT_COL_CONDITION_JSON:
      if (s->ncond == 0) break;
      json_conditions(b, s);
      return iam_vt_buf_result(b, ctx);
    case IAM_STMT_COL_PRINCIPAL_JSON:
      if (s->principal_json) sqlite3_result_text(ctx, s->principal_json, -1, SQLITE_TRANSIENT);
      break;
    case IAM_STMT_COL_NOT_PRINCIPAL:
      if (s->has_principal) sqlite3_result_int(ctx, s->not_principal);
      break;
    default: iam_vt_column_arg(cur, ctx, col); break;
  }
  return SQLITE_OK;
}

const sqlite3_module iam_statements_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only */
    .xConnect = stmt_connect,
    .xBestIndex = iam_vt_best_index,
    .xDisconnect = iam_vt_disconnect,
    .xDestroy = NULL,
    .xOpen = iam_vt_open,
    .xClose = iam_vt_close,
    .xFilter = iam_vt_filter,
    .xNext = iam_vt_items_next,
    .xEof = iam_vt_eof,
    .xColumn = stmt_column,
    .xRowid = iam_vt_rowid,
};
