/* SPDX-License-Identifier: MIT */
/*
** iam_explain(policy, action, resource [, ctx [, principal [, members]]]):
** how iam_decision() reaches its answer. One row per statement of every
** policy document, in order.
**
**   SELECT statement_index, effect, applies, decisive, decision, reason
**   FROM iam_explain('{"Version":"2012-10-17","Statement":[
**       {"Effect":"Allow","Action":"iam:PassRole","Resource":"*",
**        "Condition":{"StringLike":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]}',
**     'iam:PassRole', 'arn:aws:iam::123456789012:role/app',
**     '{"iam:PassedToService":"ec2.amazonaws.com"}');
**   -- 0|Allow|0|0|ImplicitDeny|StringLike iam:PassedToService: 'ec2.amazonaws.com'
**   --   matches none of ['ecs-tasks.amazonaws.com']   (one line)
**
** Schema (policy, action, resource, ctx, principal and members are the
** hidden argument columns; ctx is optional, NULL or absent meaning an empty
** request context; principal and members, optional, give a whole request in
** parts as iam_decision's arguments of the same names do, ext/README.md):
**
**   policy_index, statement_index, sid, effect   as in iam_statements
**   action_matched      1 if the Action (or NotAction) element lets the action through
**   resource_matched    1 if the Resource (or NotResource) element lets the resource through
**   conditions_matched  1 if every condition holds (1 without conditions)
**                       The three are evaluated independently, for every statement.
**   applies             1 when all three hold
**   decisive            1 on the statement that decided the outcome (the first applicable
**                       Deny, else the first applicable Allow); 0 elsewhere
**   decision            the overall decision, on every row: 'Allow', 'ExplicitDeny' or
**                       'ImplicitDeny'; always equal to iam_decision() on the same input
**   reason              why the statement does not apply: the first of action, resource,
**                       condition that fails, in words; NULL when it applies
**   failed_condition_index  condition_index (as in iam_conditions) of the first condition
**                       that does not hold, or NULL
**   missing_keys        JSON array of the context keys that the statement reads and the
**                       request lacks: condition keys (as written) and policy variables
**                       (lower-cased) of Resource patterns and condition values, each once.
**                       Listed for statements whose action matched (the others read no
**                       context); NULL when the action did not match.
**   policy_type         'identity', 'boundary', 'session', 'resource', 'scp', 'rcp' or
**                       'endpoint'
**   level               SCP/RCP: the level (0 = the organization root); else NULL
**   document_index      the document's index within its member (and level)
**   principal_match     whole requests, statements with Principal/NotPrincipal: 'direct',
**                       'role', 'account' (how it names the caller) or 'none'; else NULL
**   step                whole requests: the step of the decision procedure that decided
**                       (ext/core/SEMANTICS.md, "Whole requests"), on every row; else NULL
**   step_reason         whole requests: that step in words, on every row; else NULL
**
** For a whole request (the policy object with "principal") a last row follows
** the statements: its statement columns are NULL, decisive is 1 when no
** statement decided (a built-in rule, a missing grant), and decision, step and
** step_reason say how the request was decided. A statement whose policy type
** takes no part (SCPs for a service-linked role, an RCP's Allow) does not
** apply, and its reason says why.
**
** A policy with no statements (or an empty array of documents) gives no rows:
** its decision is ImplicitDeny. Errors are those of iam_decision(), named
** iam_explain(); a NULL policy, action or resource gives no rows.
**
** Glue only: the verdicts, reasons and missing keys come from the core's
** iam_explain.h; this file turns them into rows.
*/
#include <string.h>

#include "iam_eval.h"
#include "iam_explain.h"
#include "iam_vt.h"

/* 0-3: policy_index, statement_index, sid, effect (IAM_VT_COL_*) */
#define IAM_EXPL_COL_ACTION_MATCHED         4
#define IAM_EXPL_COL_RESOURCE_MATCHED       5
#define IAM_EXPL_COL_CONDITIONS_MATCHED     6
#define IAM_EXPL_COL_APPLIES                7
#define IAM_EXPL_COL_DECISIVE               8
#define IAM_EXPL_COL_DECISION               9
#define IAM_EXPL_COL_REASON                 10
#define IAM_EXPL_COL_FAILED_CONDITION_INDEX 11
#define IAM_EXPL_COL_MISSING_KEYS           12
#define IAM_EXPL_COL_POLICY_TYPE            13
#define IAM_EXPL_COL_LEVEL                  14
#define IAM_EXPL_COL_DOCUMENT_INDEX         15
#define IAM_EXPL_COL_PRINCIPAL_MATCH        16
#define IAM_EXPL_COL_STEP                   17
#define IAM_EXPL_COL_STEP_REASON            18
#define IAM_EXPL_COL_POLICY                 19 /* hidden arguments: policy, action, resource, ctx */
#define IAM_EXPL_COL_ACTION                 20
#define IAM_EXPL_COL_RESOURCE               21
#define IAM_EXPL_COL_CTX                    22
#define IAM_EXPL_COL_PRINCIPAL              23
#define IAM_EXPL_COL_MEMBERS                24
_Static_assert(IAM_EXPL_COL_POLICY == IAM_EXPL_COL_STEP_REASON + 1,
               "the hidden argument columns come last");

/* Argument numbers (hidden column - IAM_EXPL_COL_POLICY). */
enum { ARG_POLICY = 0, ARG_ACTION, ARG_RESOURCE, ARG_CTX, ARG_PRINCIPAL, ARG_MEMBERS };

typedef struct ExplainCursor {
  IamVtCursor c;
  IamCacheEntry *ce;  /* reference on the parsed context, or NULL */
  IamExplain x;       /* the request points into c.arg[] */
  IamWork work;       /* of the whole scan: every row counts in it */
  int started;        /* x needs iam_explain_end */
  IamExplainRow row;  /* of statement c.i */
  IamConnRequest req; /* a request in parts (c.p is its policy), or nothing */
} ExplainCursor;

static const char *const expl_args[] = {"policy",  "action",    "resource",
                                        "context", "principal", "members"};

static int expl_first(IamVtCursor *cur);
static void expl_reset(IamVtCursor *cur);
static int expl_load(IamVtCursor *cur);

static const IamVtDef expl_def = {
    .name = "iam_explain",
    .schema =
        "CREATE TABLE x(policy_index INTEGER, statement_index INTEGER, sid TEXT, effect TEXT,"
        " action_matched INTEGER, resource_matched INTEGER, conditions_matched INTEGER,"
        " applies INTEGER, decisive INTEGER, decision TEXT, reason TEXT,"
        " failed_condition_index INTEGER, missing_keys TEXT, policy_type TEXT, level INTEGER,"
        " document_index INTEGER, principal_match TEXT, step TEXT, step_reason TEXT,"
        " policy HIDDEN, action HIDDEN, resource HIDDEN, ctx HIDDEN, principal HIDDEN,"
        " members HIDDEN)",
    .ncol = IAM_EXPL_COL_POLICY,
    .nargs = 6,
    .nrequired = 3,
    .arg_names = expl_args,
    .parse_flags = 0, /* identity policies, as iam_decision() */
    .cursor_size = sizeof(ExplainCursor),
    .reset = expl_reset,
    .load = expl_load,
    .first = expl_first,
    .nitems = NULL,
};

static int expl_connect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                        sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc, (void)argv, (void)pzErr;
  return iam_vt_connect(db, pAux, &expl_def, ppVtab);
}

static void expl_reset(IamVtCursor *base) {
  ExplainCursor *cur = (ExplainCursor *)base;
  if (cur->ce) iam_cache_entry_unref(cur->ce);
  cur->ce = NULL;
  if (cur->started) iam_explain_end(&cur->x);
  cur->started = 0;
  iam_conn_request_release(&cur->req);
}

/* The policy: one text, or a request in parts when principal or members is given. */
static int expl_load(IamVtCursor *base) {
  ExplainCursor *cur = (ExplainCursor *)base;
  IamError err;
  if (base->arg[ARG_PRINCIPAL] == NULL && base->arg[ARG_MEMBERS] == NULL)
    return iam_vt_load_policy(base);
  int rc = iam_conn_request(((IamVtab *)base->base.pVtab)->conn, base->arg[ARG_POLICY],
                            base->arg_len[ARG_POLICY], base->arg[ARG_MEMBERS],
                            base->arg_len[ARG_MEMBERS], base->arg[ARG_PRINCIPAL],
                            base->arg_len[ARG_PRINCIPAL], &cur->req, &err);
  if (rc != IAM_OK) return iam_vt_core_error(base, rc, &err);
  base->p = iam_conn_request_policy(&cur->req);
  return SQLITE_OK;
}

/* The verdict on the statement at c.i, the step row of a whole request, or eof. */
static int expl_settle(ExplainCursor *cur) {
  uint32_t n = cur->c.p->nstmt;
  cur->c.eof = cur->c.i >= n + (cur->c.p->authz != NULL);
  if (cur->c.eof || cur->c.i == n) return SQLITE_OK;
  int rc = iam_explain_row(&cur->x, cur->c.i, &cur->row);
  return rc == IAM_OK ? SQLITE_OK : iam_vt_call_error(&cur->c, NULL, rc, &cur->work);
}

/* The step row of a whole request: NULL statement columns. */
static int step_row_column(ExplainCursor *cur, sqlite3_context *ctx, int col) {
  switch (col) {
    case IAM_EXPL_COL_DECISIVE: sqlite3_result_int(ctx, cur->x.decider < 0); break;
    case IAM_EXPL_COL_DECISION:
    case IAM_EXPL_COL_STEP:
    case IAM_EXPL_COL_STEP_REASON: return -1; /* as on every row */
    default:
      if (col >= IAM_EXPL_COL_POLICY) iam_vt_column_arg(&cur->c, ctx, col);
      break;
  }
  return SQLITE_OK;
}

static int expl_first(IamVtCursor *base) {
  ExplainCursor *cur = (ExplainCursor *)base;
  IamError err;
  IamRequest req;
  int rc = iam_request_check(base->arg[ARG_ACTION], base->arg_len[ARG_ACTION],
                             base->arg[ARG_RESOURCE], base->arg_len[ARG_RESOURCE], &err);
  if (rc != IAM_OK) return iam_vt_core_error(base, rc, &err);
  if ((rc = iam_vt_get_ctx(base, ARG_CTX, &cur->ce, &req.ctx)) != SQLITE_OK) return rc;
  req.action = base->arg[ARG_ACTION];
  req.action_len = base->arg_len[ARG_ACTION];
  req.resource = base->arg[ARG_RESOURCE];
  req.resource_len = base->arg_len[ARG_RESOURCE];
  iam_conn_work(((IamVtab *)base->base.pVtab)->conn, &cur->work);
  req.work = &cur->work;
  if ((rc = iam_explain_begin(&cur->x, base->p, &req)) != IAM_OK)
    return iam_vt_call_error(base, NULL, rc, &cur->work);
  cur->started = 1;
  return expl_settle(cur);
}

static int expl_next(sqlite3_vtab_cursor *base) {
  ExplainCursor *cur = (ExplainCursor *)base;
  cur->c.i++;
  cur->c.rowid++;
  return expl_settle(cur);
}

static int expl_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  ExplainCursor *cur = (ExplainCursor *)base;
  const IamExplainRow *row = &cur->row;
  const IamPolicy *p = cur->c.p;
  sqlite3_str *b;
  IamSink out;
  int rc;
  if (cur->c.i == p->nstmt && (rc = step_row_column(cur, ctx, col)) >= 0) return rc;
  const IamStatement *s = cur->c.i < p->nstmt ? &p->stmt[cur->c.i] : NULL;
  if (s && iam_vt_stmt_column(s, ctx, col)) return SQLITE_OK;
  switch (col) {
    case IAM_EXPL_COL_POLICY_TYPE:
      sqlite3_result_text(ctx, iam_set_name((IamSet)s->set), -1, SQLITE_STATIC);
      break;
    case IAM_EXPL_COL_LEVEL:
      if (s->set == IAM_SET_SCP || s->set == IAM_SET_RCP) sqlite3_result_int64(ctx, s->level);
      break;
    case IAM_EXPL_COL_DOCUMENT_INDEX: sqlite3_result_int64(ctx, s->member_doc); break;
    case IAM_EXPL_COL_PRINCIPAL_MATCH:
      if (row->principal >= 0) {
        const char *k = row->principal ? iam_match_kind_name((IamMatchKind)row->kind) : NULL;
        sqlite3_result_text(ctx, k ? k : "none", -1, SQLITE_STATIC);
      }
      break;
    case IAM_EXPL_COL_STEP:
      if (p->authz) sqlite3_result_text(ctx, iam_step_name(cur->x.authz.step), -1, SQLITE_STATIC);
      break;
    case IAM_EXPL_COL_STEP_REASON:
      if (p->authz == NULL) break;
      b = iam_vt_str(ctx);
      out = iam_vt_sink(b);
      if (iam_explain_step(&cur->x, &out) != IAM_OK) {
        sqlite3_free(sqlite3_str_finish(b));
        return SQLITE_NOMEM;
      }
      return iam_vt_str_result(b, ctx);
    case IAM_EXPL_COL_ACTION_MATCHED: sqlite3_result_int(ctx, row->v.action == 1); break;
    case IAM_EXPL_COL_RESOURCE_MATCHED: sqlite3_result_int(ctx, row->v.resource == 1); break;
    case IAM_EXPL_COL_CONDITIONS_MATCHED: sqlite3_result_int(ctx, row->v.conditions == 1); break;
    case IAM_EXPL_COL_APPLIES: sqlite3_result_int(ctx, row->applies); break;
    case IAM_EXPL_COL_DECISIVE: sqlite3_result_int(ctx, row->decisive); break;
    case IAM_EXPL_COL_DECISION:
      sqlite3_result_text(ctx, iam_decision_name(cur->x.decision), -1, SQLITE_STATIC);
      break;
    case IAM_EXPL_COL_REASON:
    case IAM_EXPL_COL_MISSING_KEYS:
      if (col == IAM_EXPL_COL_REASON ? row->applies : row->v.action != 1) break;
      b = iam_vt_str(ctx);
      out = iam_vt_sink(b);
      rc = col == IAM_EXPL_COL_REASON ? iam_explain_reason(&cur->x, cur->c.i, row, &out)
                                      : iam_explain_missing_keys(&cur->x, cur->c.i, &out);
      if (rc != IAM_OK) {
        sqlite3_free(sqlite3_str_finish(b));
        return iam_vt_call_error(&cur->c, ctx, rc, &cur->work);
      }
      return iam_vt_str_result(b, ctx);
    case IAM_EXPL_COL_FAILED_CONDITION_INDEX:
      if (row->v.failed_cond >= 0) sqlite3_result_int64(ctx, row->v.failed_cond);
      break;
    default: iam_vt_column_arg(&cur->c, ctx, col); break;
  }
  return SQLITE_OK;
}

const sqlite3_module iam_explain_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only */
    .xConnect = expl_connect,
    .xBestIndex = iam_vt_best_index,
    .xDisconnect = iam_vt_disconnect,
    .xDestroy = NULL,
    .xOpen = iam_vt_open,
    .xClose = iam_vt_close,
    .xFilter = iam_vt_filter,
    .xNext = expl_next,
    .xEof = iam_vt_eof,
    .xColumn = expl_column,
    .xRowid = iam_vt_rowid,
};
