/* SPDX-License-Identifier: MIT */
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
**   resource_json    the Resource/NotResource patterns as a JSON array of strings;
**                    NULL for a resource-policy statement without them (a trust policy's)
**   condition_json   {"Operator": {"key": ["value", ...]}, ...} with every value as text,
**                    or NULL when the statement has no condition entries
**   principal_json   the Principal/NotPrincipal element as JSON, or NULL
**   not_principal    1 if that element is NotPrincipal, 0 if Principal, NULL if neither
**
** Invalid policies raise the error iam_decision() would (Principal is
** accepted here); a NULL policy gives no rows.
*/
#include <string.h>

#include "iam_json.h"
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

static void json_patterns(sqlite3_str *b, const IamStatement *s, int actions) {
  IamSink out = iam_vt_sink(b);
  uint32_t n = actions ? s->nact : s->nres;
  sqlite3_str_appendchar(b, 1, '[');
  for (uint32_t i = 0; i < n; i++) {
    const char *t = actions ? s->act_text[i] : s->res[i].text;
    size_t len = actions ? strlen(t) : s->res[i].len;
    if (i) sqlite3_str_appendchar(b, 1, ',');
    iam_json_write_string(&out, t, len);
  }
  sqlite3_str_appendchar(b, 1, ']');
}

/* Entries of one operator block are consecutive and share op_text. */
static void json_conditions(sqlite3_str *b, const IamStatement *s) {
  IamSink out = iam_vt_sink(b);
  sqlite3_str_appendchar(b, 1, '{');
  for (uint32_t i = 0; i < s->ncond; i++) {
    const IamCond *c = &s->cond[i];
    int new_block = i == 0 || s->cond[i - 1].block != c->block;
    if (new_block) {
      if (i) sqlite3_str_appendall(b, "},");
      iam_json_write_string(&out, c->operator_text, strlen(c->operator_text));
      sqlite3_str_appendall(b, ":{");
    } else {
      sqlite3_str_appendchar(b, 1, ',');
    }
    iam_json_write_string(&out, c->key, c->key_len);
    sqlite3_str_appendall(b, ":[");
    for (uint32_t v = 0; v < c->nvals; v++) {
      if (v) sqlite3_str_appendchar(b, 1, ',');
      iam_json_write_string(&out, c->vals[v].t.text, c->vals[v].t.len);
    }
    sqlite3_str_appendchar(b, 1, ']');
  }
  sqlite3_str_appendall(b, s->ncond ? "}}" : "}");
}

static int stmt_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  IamVtCursor *cur = (IamVtCursor *)base;
  const IamStatement *s = &cur->p->stmt[cur->i];
  sqlite3_str *b;
  if (iam_vt_stmt_column(s, ctx, col)) return SQLITE_OK;
  switch (col) {
    case IAM_STMT_COL_NOT_ACTION: sqlite3_result_int(ctx, s->not_action); break;
    case IAM_STMT_COL_NOT_RESOURCE: sqlite3_result_int(ctx, s->not_resource); break;
    case IAM_STMT_COL_ACTION_JSON:
    case IAM_STMT_COL_RESOURCE_JSON:
      if (col == IAM_STMT_COL_RESOURCE_JSON && s->any_resource) break; /* no Resource element */
      b = iam_vt_str(ctx);
      json_patterns(b, s, col == IAM_STMT_COL_ACTION_JSON);
      return iam_vt_str_result(b, ctx);
    case IAM_STMT_COL_CONDITION_JSON:
      if (s->ncond == 0) break;
      b = iam_vt_str(ctx);
      json_conditions(b, s);
      return iam_vt_str_result(b, ctx);
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
