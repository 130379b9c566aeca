/*
** iam_explain(policy, action, resource [, ctx]): how iam_decision() reaches
** its answer. One row per statement of every policy document, in order.
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
** Schema (policy, action, resource and ctx are the hidden argument columns;
** ctx is optional, NULL or absent meaning an empty request context):
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
**
** A policy with no statements (or an empty array of documents) gives no rows:
** its decision is ImplicitDeny. Errors are those of iam_decision(), named
** iam_explain(); a NULL policy, action or resource gives no rows.
*/
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "iam_cond.h"
#include "iam_eval.h"
#include "iam_match.h"
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
#define IAM_EXPL_COL_POLICY                 13 /* hidden arguments: policy, action, resource, ctx */
#define IAM_EXPL_COL_ACTION                 14
#define IAM_EXPL_COL_RESOURCE               15
#define IAM_EXPL_COL_CTX                    16
_Static_assert(IAM_EXPL_COL_POLICY == IAM_EXPL_COL_MISSING_KEYS + 1,
               "the hidden argument columns come last");

/* Argument numbers (hidden column - IAM_EXPL_COL_POLICY). */
enum { ARG_POLICY = 0, ARG_ACTION, ARG_RESOURCE, ARG_CTX };

/* Lists in reasons show at most this many values. */
#define REASON_MAX_VALUES 8

typedef struct ExplainCursor {
  IamVtCursor c;
  IamCacheEntry *ce; /* reference on the parsed context, or NULL */
  IamRequest req;    /* action/resource point into c.arg[] */
  char *lower;       /* the action lower-cased */
  IamDecision decision;
  int decider;     /* index into p->stmt, or -1 */
  IamStmtResult r; /* of statement c.i */
  int applies;
} ExplainCursor;

static const char *const expl_args[] = {"policy", "action", "resource", "context"};

static int expl_first(IamVtCursor *cur);
static void expl_reset(IamVtCursor *cur);

static const IamVtDef expl_def = {
    .name = "iam_explain",
    .schema =
        "CREATE TABLE x(policy_index INTEGER, statement_index INTEGER, sid TEXT, effect TEXT,"
        " action_matched INTEGER, resource_matched INTEGER, conditions_matched INTEGER,"
        " applies INTEGER, decisive INTEGER, decision TEXT, reason TEXT,"
        " failed_condition_index INTEGER, missing_keys TEXT,"
        " policy HIDDEN, action HIDDEN, resource HIDDEN, ctx HIDDEN)",
    .ncol = IAM_EXPL_COL_POLICY,
    .nargs = 4,
    .nrequired = 3,
    .arg_names = expl_args,
    .parse_flags = 0, /* identity policies, as iam_decision() */
    .cursor_size = sizeof(ExplainCursor),
    .reset = expl_reset,
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
  sqlite3_free(cur->lower);
  cur->lower = NULL;
  memset(&cur->req, 0, sizeof cur->req);
  cur->decider = -1;
}

/* Evaluate the statement at c.i, or set eof. */
static int expl_settle(ExplainCursor *cur) {
  const IamPolicy *p = cur->c.p;
  cur->c.eof = cur->c.i >= p->nstmt;
  if (cur->c.eof) return SQLITE_OK;
  cur->applies = iam_stmt_applies(&p->stmt[cur->c.i], &cur->req, cur->lower, 1, &cur->r);
  return cur->applies < 0 ? SQLITE_NOMEM : SQLITE_OK;
}

static int expl_first(IamVtCursor *base) {
  ExplainCursor *cur = (ExplainCursor *)base;
  IamError err;
  const IamCtx *ctx;
  int rc = iam_request_check(base->arg[ARG_ACTION], base->arg_len[ARG_ACTION],
                             base->arg[ARG_RESOURCE], base->arg_len[ARG_RESOURCE], &err);
  if (rc != IAM_OK) return iam_vt_core_error(base, rc, &err);
  if ((rc = iam_vt_get_ctx(base, ARG_CTX, &cur->ce, &ctx)) != SQLITE_OK) return rc;
  size_t an = base->arg_len[ARG_ACTION];
  if ((cur->lower = sqlite3_malloc64(an + 1)) == NULL) return SQLITE_NOMEM;
  iam_ascii_lower(cur->lower, base->arg[ARG_ACTION], an);
  cur->lower[an] = 0;
  cur->req.action = base->arg[ARG_ACTION];
  cur->req.action_len = an;
  cur->req.resource = base->arg[ARG_RESOURCE];
  cur->req.resource_len = base->arg_len[ARG_RESOURCE];
  cur->req.ctx = ctx;
  if (iam_eval(base->p, &cur->req, &cur->decision, &cur->decider) != IAM_OK) return SQLITE_NOMEM;
  return expl_settle(cur);
}

static int expl_next(sqlite3_vtab_cursor *base) {
  ExplainCursor *cur = (ExplainCursor *)base;
  cur->c.i++;
  cur->c.rowid++;
  return expl_settle(cur);
}

/* ---- reasons ----------------------------------------------------------------- */

/* ['a', 'b', ...] from n strings given by get(i). */
static void quote_list(IamVtBuf *b, uint32_t n,
                       const char *(*get)(const void *, uint32_t, size_t *), const void *obj) {
  iam_vt_buf_append(b, "[", 1);
  for (uint32_t i = 0; i < n; i++) {
    size_t len;
    const char *s;
    if (i) iam_vt_buf_append(b, ", ", 2);
    if (i == REASON_MAX_VALUES) {
      char more[48];
      int m = snprintf(more, sizeof more, "... %u more", n - i);
      iam_vt_buf_append(b, more, (size_t)m);
      break;
    }
    s = get(obj, i, &len);
    iam_vt_buf_quote(b, s, len);
  }
  iam_vt_buf_append(b, "]", 1);
}

static const char *get_act(const void *obj, uint32_t i, size_t *n) {
  const char *s = ((const IamStatement *)obj)->act_text[i];
  *n = strlen(s);
  return s;
}

static const char *get_res(const void *obj, uint32_t i, size_t *n) {
  const IamTemplate *t = &((const IamStatement *)obj)->res[i];
  *n = t->len;
  return t->text;
}

static const char *get_val(const void *obj, uint32_t i, size_t *n) {
  const IamCondValue *v = &((const IamCond *)obj)->vals[i];
  *n = v->t.len;
  return v->t.text;
}

static const char *get_req(const void *obj, uint32_t i, size_t *n) {
  const IamCtxEntry *e = obj;
  *n = e->len[i];
  return e->val[i];
}

/* The unqualified operator of c (without IfExists) on one request value
** (request value ri of the key, or the key's own value when ri < 0) against
** one policy value (vj, or all when vj < 0): 1, 0, or -1 out of memory. */
static int eval_one(const IamCond *c, const IamCtx *ctx, const IamCtxEntry *e, int64_t ri,
                    int64_t vj) {
  IamCond cc = *c;
  IamCtx cx;
  IamCtxEntry one, *entries = NULL;
  int r;
  cc.qual = IAM_QUAL_NONE;
  cc.if_exists = 0;
  if (vj >= 0) {
    cc.vals = &c->vals[vj];
    cc.nvals = 1;
  }
  if (ri < 0) return iam_cond_eval(&cc, ctx);
  /* a copy of the context in which the key has the single value ri */
  entries = sqlite3_malloc64((size_t)ctx->n * sizeof *entries);
  if (entries == NULL) return -1;
  memcpy(entries, ctx->e, (size_t)ctx->n * sizeof *entries);
  one = *e;
  one.multi = 0;
  one.n = 1;
  one.val = &e->val[ri];
  one.len = &e->len[ri];
  entries[e - ctx->e] = one;
  cx = *ctx;
  cx.e = entries;
  r = iam_cond_eval(&cc, &cx);
  sqlite3_free(entries);
  return r;
}

/* The family's name for a value that does not parse, or NULL if v parses. */
static const char *bad_value(uint8_t family, const char *v, size_t n) {
  IamNum num;
  IamIp ip;
  int64_t ms;
  int b;
  size_t colons = 0;
  switch ((IamFamily)family) {
    case IAM_FAM_NUMERIC: return iam_parse_number(v, n, &num) ? NULL : "a number";
    case IAM_FAM_DATE: return iam_parse_date(v, n, &ms) ? NULL : "a date";
    case IAM_FAM_IP: return iam_parse_ip(v, n, 0, &ip) ? NULL : "an IP address";
    case IAM_FAM_BOOL: return iam_parse_bool(v, n, &b) ? NULL : "a boolean";
    case IAM_FAM_BINARY: {
      unsigned char stack[256], *out = stack;
      long r;
      if (n / 4 * 3 + 4 > sizeof stack && (out = sqlite3_malloc64(n / 4 * 3 + 4)) == NULL)
        return NULL; /* cannot tell: say nothing */
      r = iam_b64_decode(v, n, out);
      if (out != stack) sqlite3_free(out);
      return r >= 0 ? NULL : "base64";
    }
    case IAM_FAM_ARN:
      for (size_t i = 0; i < n; i++) colons += v[i] == ':';
      return colons >= 5 ? NULL : "an ARN";
    case IAM_FAM_STRING:
    case IAM_FAM_NULL: break;
  }
  return NULL;
}

/* Why the unqualified operator fails on request value v (index ri, or -1 for
** the key's single value). Returns SQLITE_OK or SQLITE_NOMEM. */
static int value_reason(IamVtBuf *b, const IamCond *c, const IamCtx *ctx, const IamCtxEntry *e,
                        int64_t ri) {
  const IamOpInfo *op = &iam_ops[c->base];
  const char *v = e->val[ri < 0 ? 0 : ri];
  size_t vn = e->len[ri < 0 ? 0 : ri];
  const char *bad = bad_value(op->family, v, vn);
  if (bad) {
    iam_vt_buf_appendz(b, "request value ");
    iam_vt_buf_quote(b, v, vn);
    iam_vt_buf_appendz(b, " is not ");
    iam_vt_buf_appendz(b, bad);
    return SQLITE_OK;
  }
  if (op->negated) {
    /* some policy value matches (or does not parse) */
    for (uint32_t j = 0; j < c->nvals; j++) {
      int r = eval_one(c, ctx, e, ri, j);
      if (r < 0) return SQLITE_NOMEM;
      if (r) continue;
      const IamCondValue *pv = &c->vals[j];
      if ((bad = bad_value(op->family, pv->t.text, pv->t.len)) != NULL && !pv->t.has_vars) {
        iam_vt_buf_appendz(b, "policy value ");
        iam_vt_buf_quote(b, pv->t.text, pv->t.len);
        iam_vt_buf_appendz(b, " is not ");
        iam_vt_buf_appendz(b, bad);
      } else {
        iam_vt_buf_quote(b, v, vn);
        iam_vt_buf_appendz(b, " matches ");
        iam_vt_buf_quote(b, pv->t.text, pv->t.len);
      }
      return SQLITE_OK;
    }
  }
  iam_vt_buf_quote(b, v, vn);
  iam_vt_buf_appendz(b, " matches none of ");
  quote_list(b, c->nvals, get_val, c);
  return SQLITE_OK;
}

static int condition_reason(IamVtBuf *b, const IamCond *c, const IamCtx *ctx) {
  const IamOpInfo *op = &iam_ops[c->base];
  const IamCtxEntry *e = iam_ctx_get(ctx, c->key_lower, c->key_len);
  iam_vt_buf_appendz(b, c->op_text);
  iam_vt_buf_append(b, " ", 1);
  iam_vt_buf_append(b, c->key, c->key_len);
  iam_vt_buf_append(b, ": ", 2);
  if (op->family == IAM_FAM_NULL) {
    if (c->qual == IAM_QUAL_FORANY)
      iam_vt_buf_appendz(b, "ForAnyValue:Null is always false");
    else
      iam_vt_buf_appendz(b, e ? "key present in the request" : "key absent from the request");
    return SQLITE_OK;
  }
  if (e == NULL) {
    iam_vt_buf_appendz(b, "key absent from the request");
    return SQLITE_OK;
  }
  if (c->qual == IAM_QUAL_NONE) {
    if (e->multi) {
      iam_vt_buf_appendz(b, "the request has a list of values ");
      quote_list(b, e->n, get_req, e);
      iam_vt_buf_appendz(b, "; without ForAnyValue/ForAllValues the operator needs one value");
      return SQLITE_OK;
    }
    return value_reason(b, c, ctx, e, -1);
  }
  if (c->qual == IAM_QUAL_FORALL) {
    for (uint32_t i = 0; i < e->n; i++) {
      int r = eval_one(c, ctx, e, i, -1);
      if (r < 0) return SQLITE_NOMEM;
      if (!r) return value_reason(b, c, ctx, e, i);
    }
    iam_vt_buf_appendz(b, "does not hold"); /* not reached: the condition failed */
    return SQLITE_OK;
  }
  /* ForAnyValue */
  if (e->n == 0) {
    iam_vt_buf_appendz(b, "the request has an empty list of values");
  } else if (op->negated) {
    iam_vt_buf_appendz(b, "each of ");
    quote_list(b, e->n, get_req, e);
    iam_vt_buf_appendz(b, " matches one of ");
    quote_list(b, c->nvals, get_val, c);
  } else {
    iam_vt_buf_appendz(b, "none of ");
    quote_list(b, e->n, get_req, e);
    iam_vt_buf_appendz(b, " matches any of ");
    quote_list(b, c->nvals, get_val, c);
  }
  return SQLITE_OK;
}

/* "Action: 'x' matches none of [...]" or "NotAction: 'x' matches 'p'". */
static int element_reason(IamVtBuf *b, const ExplainCursor *cur, const IamStatement *s,
                          int actions) {
  const IamRequest *r = &cur->req;
  uint32_t n = actions ? s->nact : s->nres;
  int negated = actions ? s->not_action : s->not_resource;
  iam_vt_buf_appendz(b, actions ? (negated ? "NotAction: " : "Action: ")
                                : (negated ? "NotResource: " : "Resource: "));
  if (actions)
    iam_vt_buf_quote(b, r->action, r->action_len);
  else
    iam_vt_buf_quote(b, r->resource, r->resource_len);
  if (!negated) {
    iam_vt_buf_appendz(b, " matches none of ");
    quote_list(b, n, actions ? get_act : get_res, s);
    return SQLITE_OK;
  }
  for (uint32_t i = 0; i < n; i++) {
    int m = actions ? iam_glob_match(&s->act[i], cur->lower, r->action_len)
                    : iam_resource_match(&s->res[i], r->resource, r->resource_len, r->ctx);
    if (m < 0) return SQLITE_NOMEM;
    if (m) {
      size_t len;
      const char *t = actions ? get_act(s, i, &len) : get_res(s, i, &len);
      iam_vt_buf_appendz(b, " matches ");
      iam_vt_buf_quote(b, t, len);
      return SQLITE_OK;
    }
  }
  return SQLITE_OK;
}

static int explain_reason(IamVtBuf *b, const ExplainCursor *cur, const IamStatement *s) {
  if (cur->r.action == 0) return element_reason(b, cur, s, 1);
  if (cur->r.resource == 0) return element_reason(b, cur, s, 0);
  return condition_reason(b, &s->cond[cur->r.failed_cond], cur->req.ctx);
}

/* ---- missing keys ------------------------------------------------------------ */

/* Append key to the JSON array in b unless the context has it or it is listed. */
static void missing_add(IamVtBuf *b, const IamCtx *ctx, const char *key, const char *lower,
                        size_t n, int *count) {
  if (iam_ctx_get(ctx, lower, n) != NULL) return;
  /* listed already? entries are JSON strings; compare lower-cased key text */
  if (*count > 0 && !b->oom) {
    const char *z = b->z + 1;
    while (*z == '"') {
      const char *end = z + 1;
      while (*end != '"') end += (*end == '\\') ? 2 : 1;
      if ((size_t)(end - z - 1) == n && strncasecmp(z + 1, lower, n) == 0) return;
      z = end + 1;
      if (*z == ',') z++;
    }
  }
  if ((*count)++) iam_vt_buf_append(b, ",", 1);
  iam_vt_buf_json_string(b, key, n);
}

static void missing_vars(IamVtBuf *b, const IamCtx *ctx, const IamTemplate *t, int *count) {
  if (!t->has_vars) return;
  for (uint32_t i = 0; i < t->nseg; i++)
    if (t->segs[i].is_var)
      missing_add(b, ctx, t->segs[i].name, t->segs[i].name, t->segs[i].name_len, count);
}

static void missing_keys(IamVtBuf *b, const IamStatement *s, const IamCtx *ctx) {
  int count = 0;
  iam_vt_buf_append(b, "[", 1);
  for (uint32_t i = 0; i < s->nres; i++) missing_vars(b, ctx, &s->res[i], &count);
  for (uint32_t i = 0; i < s->ncond; i++) {
    const IamCond *c = &s->cond[i];
    missing_add(b, ctx, c->key, c->key_lower, c->key_len, &count);
    for (uint32_t v = 0; v < c->nvals; v++) missing_vars(b, ctx, &c->vals[v].t, &count);
  }
  iam_vt_buf_append(b, "]", 1);
}

static int expl_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  ExplainCursor *cur = (ExplainCursor *)base;
  const IamStatement *s = &cur->c.p->stmt[cur->c.i];
  IamVtBuf *b = &cur->c.buf;
  int rc;
  iam_vt_buf_reset(b);
  if (iam_vt_stmt_column(s, ctx, col)) return SQLITE_OK;
  switch (col) {
    case IAM_EXPL_COL_ACTION_MATCHED: sqlite3_result_int(ctx, cur->r.action == 1); break;
    case IAM_EXPL_COL_RESOURCE_MATCHED: sqlite3_result_int(ctx, cur->r.resource == 1); break;
    case IAM_EXPL_COL_CONDITIONS_MATCHED: sqlite3_result_int(ctx, cur->r.conditions == 1); break;
    case IAM_EXPL_COL_APPLIES: sqlite3_result_int(ctx, cur->applies == 1); break;
    case IAM_EXPL_COL_DECISIVE:
      sqlite3_result_int(ctx, cur->decider >= 0 && (uint32_t)cur->decider == cur->c.i);
      break;
    case IAM_EXPL_COL_DECISION:
      sqlite3_result_text(ctx, iam_decision_name(cur->decision), -1, SQLITE_STATIC);
      break;
    case IAM_EXPL_COL_REASON:
      if (cur->applies == 1) break;
      if ((rc = explain_reason(b, cur, s)) != SQLITE_OK) return rc;
      return iam_vt_buf_result(b, ctx);
    case IAM_EXPL_COL_FAILED_CONDITION_INDEX:
      if (cur->r.failed_cond >= 0) sqlite3_result_int64(ctx, cur->r.failed_cond);
      break;
    case IAM_EXPL_COL_MISSING_KEYS:
      if (cur->r.action != 1) break;
      missing_keys(b, s, cur->req.ctx);
      return iam_vt_buf_result(b, ctx);
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
