/* SPDX-License-Identifier: MIT */
/* Explanations: per-statement verdicts, reasons and missing keys. See
** iam_explain.h; the SQL face is ext/sqlite/iam_vt_explain.c. */
#include "iam_explain.h"

#include <stdio.h>
#include <string.h>

#include "iam_cond.h"
#include "iam_index.h"
#include "iam_json.h"
#include "iam_mem.h"
#include "iam_template.h"

int iam_explain_begin(IamExplain *x, const IamPolicy *p, const IamRequest *r) {
  int rc;
  memset(x, 0, sizeof *x);
  x->p = p;
  x->req = *r;
  x->decider = -1;
  if (x->req.work == NULL) { /* every row counts against one default limit */
    iam_work_init(&x->work, 0, NULL, NULL);
    x->req.work = &x->work;
  }
  if ((x->lower = iam_malloc(r->action_len + 1)) == NULL) return IAM_ENOMEM;
  iam_ascii_lower(x->lower, r->action, r->action_len);
  x->lower[r->action_len] = 0;
  if (p->authz != NULL) {
    /* a whole request: every quantity of the procedure, and statements read
    ** through the context with the derived keys, as the procedure reads them */
    if ((rc = iam_authorize(p, &x->req, 1, &x->authz)) != IAM_OK) {
      iam_explain_end(x);
      return rc;
    }
    x->decision = x->authz.decision;
    x->decider = x->authz.stmt;
    iam_authz_ctx(p, r->ctx, x->authz.resource_account, &x->actx);
    x->req.ctx = &x->actx.view;
    return IAM_OK;
  }
  if ((rc = iam_eval(p, &x->req, &x->decision, &x->decider)) != IAM_OK) {
    iam_explain_end(x);
    return rc;
  }
  return IAM_OK;
}

void iam_explain_end(IamExplain *x) {
  iam_free(x->lower);
  x->lower = NULL;
}

/* Whether statement s's policy type takes part in x's request at all. */
static int in_effect(const IamExplain *x, const IamStatement *s) {
  if (s->set == IAM_SET_SCP) return x->authz.scps_apply;
  if (s->set == IAM_SET_RCP) return x->authz.rcps_apply && s->effect == IAM_EFFECT_DENY;
  return 1;
}

int iam_explain_row(const IamExplain *x, uint32_t i, IamExplainRow *row) {
  const IamStatement *s = &x->p->stmt[i];
  int r = iam_stmt_applies(s, &x->req, x->lower, 1, &row->v);
  if (r < 0) return r;
  row->principal = -1;
  row->kind = IAM_MATCH_NONE;
  row->not_in_effect = 0;
  if (x->p->authz != NULL) {
    const IamAuthz *az = x->p->authz;
    if (s->principal != NULL) {
      IamMatchKind k;
      int c = IAM_WORK_CHARGE(x->req.work, s->principal->nvals);
      if (c != IAM_OK) return c;
      row->principal =
          (int8_t)iam_principal_applies(s->principal, &az->caller, s->effect == IAM_EFFECT_DENY,
                                        az->present[IAM_SET_BOUNDARY], &k);
      row->kind = (uint8_t)k;
      if (!row->principal) r = 0;
    }
    if (!in_effect(x, s)) {
      row->not_in_effect = 1;
      r = 0;
    }
  }
  row->applies = (uint8_t)(r == 1);
  row->decisive = (uint8_t)(x->decider >= 0 && (uint32_t)x->decider == i);
  return IAM_OK;
}

/* ---- reasons ----------------------------------------------------------------- */

#define MORE_MAX 48 /* "... 4294967295 more" */

static void quote(const IamSink *out, const char *s, size_t n) {
  iam_sink_quote(out, s, n, IAM_REASON_QUOTE_MAX);
}

/* ['a', 'b', ...] from n strings given by get(i). */
static void quote_list(const IamSink *out, uint32_t n,
                       const char *(*get)(const void *, uint32_t, size_t *), const void *obj) {
  iam_sink_append(out, "[", 1);
  for (uint32_t i = 0; i < n; i++) {
    size_t len;
    const char *s;
    if (i) iam_sink_append(out, ", ", 2);
    if (i == IAM_REASON_MAX_VALUES) {
      char more[MORE_MAX];
      int m = snprintf(more, sizeof more, "... %u more", n - i);
      iam_sink_append(out, more, (size_t)m);
      break;
    }
    s = get(obj, i, &len);
    quote(out, s, len);
  }
  iam_sink_append(out, "]", 1);
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
** one policy value (vj, or all when vj < 0): 1, 0, or a negative IamRc. */
static int eval_one(const IamCond *c, const IamCtx *ctx, const IamCtxEntry *e, int64_t ri,
                    int64_t vj, IamWork *w) {
  IamCond cc = *c;
  IamCtxEntry one;
  cc.qual = IAM_QUAL_NONE;
  cc.if_exists = 0;
  if (vj >= 0) {
    cc.vals = &c->vals[vj];
    cc.nvals = 1;
  }
  if (ri < 0) return iam_cond_eval(&cc, ctx, w);
  /* the key with the single value ri, in a context over ctx that hides the rest */
  one = *e;
  one.multi = 0;
  one.n = 1;
  one.val = &e->val[ri];
  one.len = &e->len[ri];
  IamCtx cx = {1, &one, ctx};
  return iam_cond_eval(&cc, &cx, w);
}

#define BINARY_STACK 256 /* decoded bytes kept on the stack */

/* The family's name for a value that does not parse, or NULL if v parses. */
static const char *bad_value(uint8_t family, const char *v, size_t n) {
  IamNum num;
  IamIp ip;
  int64_t ms;
  int b;
  size_t colons = 0;
  switch ((IamCondFamily)family) {
    case IAM_FAM_NUMERIC: return iam_parse_number(v, n, &num) ? NULL : "a number";
    case IAM_FAM_DATE: return iam_parse_date(v, n, &ms) ? NULL : "a date";
    case IAM_FAM_IP: return iam_parse_ip(v, n, 0, &ip) ? NULL : "an IP address";
    case IAM_FAM_BOOL: return iam_parse_bool(v, n, &b) ? NULL : "a boolean";
    case IAM_FAM_BINARY: {
      unsigned char stack[BINARY_STACK], *bytes = stack;
      long r;
      if (n / 4 * 3 + 4 > sizeof stack && (bytes = iam_malloc(n / 4 * 3 + 4)) == NULL)
        return NULL; /* cannot tell: say nothing */
      r = iam_b64_decode(v, n, bytes);
      if (bytes != stack) iam_free(bytes);
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
** the key's single value). IAM_OK or a negative IamRc. */
static int value_reason(const IamSink *out, const IamCond *c, const IamCtx *ctx,
                        const IamCtxEntry *e, int64_t ri, IamWork *w) {
  const IamCondOperator *op = &iam_cond_operators[c->base];
  const char *v = e->val[ri < 0 ? 0 : ri];
  size_t vn = e->len[ri < 0 ? 0 : ri];
  const char *bad = bad_value(op->family, v, vn);
  if (bad) {
    iam_sink_puts(out, "request value ");
    quote(out, v, vn);
    iam_sink_puts(out, " is not ");
    iam_sink_puts(out, bad);
    return IAM_OK;
  }
  if (op->negated) {
    /* some policy value matches (or does not parse) */
    for (uint32_t j = 0; j < c->nvals; j++) {
      int r = eval_one(c, ctx, e, ri, j, w);
      if (r < 0) return r;
      if (r) continue;
      const IamCondValue *pv = &c->vals[j];
      if ((bad = bad_value(op->family, pv->t.text, pv->t.len)) != NULL && !pv->t.has_vars) {
        iam_sink_puts(out, "policy value ");
        quote(out, pv->t.text, pv->t.len);
        iam_sink_puts(out, " is not ");
        iam_sink_puts(out, bad);
      } else {
        quote(out, v, vn);
        iam_sink_puts(out, " matches ");
        quote(out, pv->t.text, pv->t.len);
      }
      return IAM_OK;
    }
  }
  quote(out, v, vn);
  iam_sink_puts(out, " matches none of ");
  quote_list(out, c->nvals, get_val, c);
  return IAM_OK;
}

static int condition_reason(const IamSink *out, const IamCond *c, const IamCtx *ctx, IamWork *w) {
  const IamCondOperator *op = &iam_cond_operators[c->base];
  const IamCtxEntry *e = iam_ctx_get(ctx, c->key_lower, c->key_len);
  iam_sink_puts(out, c->operator_text);
  iam_sink_append(out, " ", 1);
  iam_sink_append(out, c->key, c->key_len);
  iam_sink_append(out, ": ", 2);
  if (op->family == IAM_FAM_NULL) {
    if (c->qual == IAM_QUAL_FORANY)
      iam_sink_puts(out, "ForAnyValue:Null is always false");
    else
      iam_sink_puts(out, e ? "key present in the request" : "key absent from the request");
    return IAM_OK;
  }
  if (e == NULL) {
    iam_sink_puts(out, "key absent from the request");
    return IAM_OK;
  }
  if (c->qual == IAM_QUAL_NONE) {
    if (e->multi) {
      iam_sink_puts(out, "the request has a list of values ");
      quote_list(out, e->n, get_req, e);
      iam_sink_puts(out, "; without ForAnyValue/ForAllValues the operator needs one value");
      return IAM_OK;
    }
    return value_reason(out, c, ctx, e, -1, w);
  }
  if (c->qual == IAM_QUAL_FORALL) {
    for (uint32_t i = 0; i < e->n; i++) {
      int r = eval_one(c, ctx, e, i, -1, w);
      if (r < 0) return r;
      if (!r) return value_reason(out, c, ctx, e, i, w);
    }
    iam_sink_puts(out, "does not hold"); /* not reached: the condition failed */
    return IAM_OK;
  }
  /* ForAnyValue */
  if (e->n == 0) {
    iam_sink_puts(out, "the request has an empty list of values");
  } else if (op->negated) {
    iam_sink_puts(out, "each of ");
    quote_list(out, e->n, get_req, e);
    iam_sink_puts(out, " matches one of ");
    quote_list(out, c->nvals, get_val, c);
  } else {
    iam_sink_puts(out, "none of ");
    quote_list(out, e->n, get_req, e);
    iam_sink_puts(out, " matches any of ");
    quote_list(out, c->nvals, get_val, c);
  }
  return IAM_OK;
}

/* "Action: 'x' matches none of [...]" or "NotAction: 'x' matches 'p'". */
static int element_reason(const IamSink *out, const IamExplain *x, const IamStatement *s,
                          int actions) {
  const IamRequest *r = &x->req;
  uint32_t n = actions ? s->nact : s->nres;
  int negated = actions ? s->not_action : s->not_resource;
  iam_sink_puts(out, actions ? (negated ? "NotAction: " : "Action: ")
                             : (negated ? "NotResource: " : "Resource: "));
  if (actions)
    quote(out, r->action, r->action_len);
  else
    quote(out, r->resource, r->resource_len);
  if (!negated) {
    iam_sink_puts(out, " matches none of ");
    quote_list(out, n, actions ? get_act : get_res, s);
    return IAM_OK;
  }
  for (uint32_t i = 0; i < n; i++) {
    int m = actions ? iam_glob_match(&s->act[i], x->lower, r->action_len, r->work)
                    : iam_template_match(&s->res[i], r->resource, r->resource_len, r->ctx, r->work);
    if (m < 0) return m;
    if (m) {
      size_t len;
      const char *t = actions ? get_act(s, i, &len) : get_res(s, i, &len);
      iam_sink_puts(out, " matches ");
      quote(out, t, len);
      return IAM_OK;
    }
  }
  return IAM_OK;
}

/* Why a Principal/NotPrincipal element keeps the caller out. */
static void principal_reason(const IamSink *out, const IamExplain *x, const IamStatement *s) {
  const IamCaller *c = &x->p->authz->caller;
  const IamPrincipalBlock *b = s->principal;
  if (!b->negated) {
    iam_sink_puts(out, "Principal: ");
    quote(out, c->arn, c->arn_len);
    iam_sink_puts(out, " is not named by any of [");
    for (uint32_t k = 0; k < b->nvals; k++) {
      if (k) iam_sink_append(out, ", ", 2);
      if (k == IAM_REASON_MAX_VALUES) {
        char more[48];
        int m = snprintf(more, sizeof more, "... %u more", b->nvals - k);
        iam_sink_append(out, more, (size_t)m);
        break;
      }
      quote(out, b->vals[k].text, b->vals[k].len);
    }
    iam_sink_puts(out, "]");
  } else if (s->effect == IAM_EFFECT_ALLOW) {
    iam_sink_puts(out, "NotPrincipal: lists ");
    quote(out, c->arn, c->arn_len);
    iam_sink_puts(out,
                  " or its account (an Allow with NotPrincipal grants only callers "
                  "none of whose identities it lists)");
  } else {
    iam_sink_puts(out, "NotPrincipal: lists every identity of ");
    quote(out, c->arn, c->arn_len);
    iam_sink_puts(out, iam_caller_is_session(c) ? " (the session, its role and its account)"
                                                : " and its account");
  }
}

/* Why a statement's policy type takes no part in the request. */
static void not_in_effect_reason(const IamSink *out, const IamExplain *x, const IamStatement *s) {
  const IamCaller *c = &x->p->authz->caller;
  const char *what = s->set == IAM_SET_SCP ? "SCPs" : "RCPs";
  if (s->set == IAM_SET_RCP && s->effect == IAM_EFFECT_ALLOW && x->authz.rcps_apply) {
    iam_sink_puts(out, "an RCP's Allow statements grant nothing: RCPs can only deny");
    return;
  }
  iam_sink_puts(out, what);
  if (c->service_linked) {
    iam_sink_puts(out, " do not apply to a service-linked role");
  } else if (s->set == IAM_SET_SCP) {
    iam_sink_puts(out, c->kind == IAM_CALLER_ANONYMOUS ? " do not apply to anonymous callers"
                                                       : " do not apply to AWS services");
  } else {
    const char *colon = memchr(x->lower, ':', x->req.action_len);
    iam_sink_puts(out, " do not govern the service ");
    quote(out, x->lower, colon ? (size_t)(colon - x->lower) : x->req.action_len);
  }
}

int iam_explain_reason(const IamExplain *x, uint32_t i, const IamExplainRow *row,
                       const IamSink *out) {
  const IamStatement *s = &x->p->stmt[i];
  if (row->applies) return IAM_OK;
  if (row->v.action == 0) return element_reason(out, x, s, 1);
  if (row->v.resource == 0) return element_reason(out, x, s, 0);
  if (row->v.conditions == 0)
    return condition_reason(out, &s->cond[row->v.failed_cond], x->req.ctx, x->req.work);
  if (row->principal == 0)
    principal_reason(out, x, s);
  else if (row->not_in_effect)
    not_in_effect_reason(out, x, s);
  return IAM_OK;
}

/* ---- the step of a whole request ----------------------------------------------- */

/* "scps[1][0].Statement[2]" for statement i of a whole-request policy. */
static void stmt_path(const IamSink *out, const IamPolicy *p, int32_t i) {
  static const char *const member[IAM_NSETS] = {
      "identity", "boundary", "session", "resource_policy", "scps", "rcps", "endpoint"};
  const IamStatement *s = &p->stmt[i];
  char buf[96];
  int n;
  if (s->set == IAM_SET_SCP || s->set == IAM_SET_RCP)
    n = snprintf(buf, sizeof buf, "%s[%u][%u].Statement[%u]", member[s->set], s->level,
                 s->member_doc, s->idx);
  else if (s->set == IAM_SET_RESOURCE)
    n = snprintf(buf, sizeof buf, "resource_policy.Statement[%u]", s->idx);
  else
    n = snprintf(buf, sizeof buf, "%s[%u].Statement[%u]", member[s->set], s->member_doc, s->idx);
  iam_sink_append(out, buf, (size_t)n);
}

/* Which part of the identity side says no. */
static void identity_side_reason(const IamSink *out, const IamExplain *x) {
  const IamAuthzResult *a = &x->authz;
  if (!a->id_ok)
    iam_sink_puts(out, "no identity policy allows it");
  else if (!a->pb_ok)
    iam_sink_puts(out, "the permissions boundary does not allow it");
  else if (x->p->authz->present[IAM_SET_SESSION])
    iam_sink_puts(out, "the session policy does not allow it");
  else
    iam_sink_puts(out, "a federated user without a session policy has no permissions");
}

int iam_explain_step(const IamExplain *x, const IamSink *out) {
  const IamAuthzResult *a = &x->authz;
  const IamPolicy *p = x->p;
  int allow = a->decision == IAM_ALLOW;
  char buf[64];
  if (p->authz == NULL) return IAM_OK;
  switch (a->step) {
    case IAM_STEP_CALLER_IDENTITY:
      iam_sink_puts(out, "sts:GetCallerIdentity is allowed to every authenticated caller");
      break;
    case IAM_STEP_EXPLICIT_DENY:
      iam_sink_puts(out, "explicit Deny in ");
      stmt_path(out, p, a->stmt);
      break;
    case IAM_STEP_PROTECTED:
      iam_sink_puts(out, "AWS never allows this action on this resource (an AWS-owned entity)");
      break;
    case IAM_STEP_SCP_LEVEL:
      snprintf(buf, sizeof buf, "SCP level %d", (int)a->level);
      iam_sink_puts(out, buf);
      iam_sink_puts(out,
                    " has no Allow statement that applies (every level needs one, "
                    "such as FullAWSAccess)");
      break;
    case IAM_STEP_ENDPOINT:
      iam_sink_puts(out, "the endpoint policy has no Allow statement that applies");
      break;
    case IAM_STEP_UNAUTHENTICATED:
      if (allow) {
        iam_sink_puts(out, "the resource policy grants this caller directly in ");
        stmt_path(out, p, a->stmt);
      } else {
        iam_sink_puts(out,
                      "an anonymous caller or an AWS service needs a resource policy "
                      "that names it directly");
      }
      break;
    case IAM_STEP_CROSS_ACCOUNT:
      iam_sink_puts(out, "the resource belongs to another account (");
      iam_sink_puts(out, a->resource_account[0] ? a->resource_account : "unknown");
      iam_sink_puts(out, "): ");
      if (allow) {
        iam_sink_puts(out, "the resource policy names the caller (");
        iam_sink_puts(out, iam_match_kind_name((IamMatchKind)a->rp));
        iam_sink_puts(out, ") in ");
        stmt_path(out, p, a->stmt);
        iam_sink_puts(out, " and the caller's own policies allow it");
      } else if (a->rp == IAM_MATCH_NONE) {
        iam_sink_puts(out, "no resource policy names the caller");
      } else {
        iam_sink_puts(out, "the resource policy names the caller, but ");
        identity_side_reason(out, x);
      }
      break;
    case IAM_STEP_DIRECT_GRANT:
      iam_sink_puts(out, "the resource policy names the caller directly in ");
      stmt_path(out, p, a->stmt);
      break;
    case IAM_STEP_ROLE_GRANT:
      iam_sink_puts(out, "the resource policy names the caller's role");
      if (allow) {
        iam_sink_puts(out, " in ");
        stmt_path(out, p, a->stmt);
      } else {
        iam_sink_puts(out, !a->pb_ok ? ", but the permissions boundary does not allow it"
                                     : ", but the session policy does not allow it");
      }
      break;
    case IAM_STEP_RESOURCE_POLICY:
      iam_sink_puts(out, strncmp(x->lower, "kms:", 4) == 0
                             ? "the key policy must allow, also within its account: "
                             : "the role's trust policy must allow, also within its account: ");
      if (allow) {
        iam_sink_puts(out, "it names the caller's account in ");
        stmt_path(out, p, a->stmt);
        iam_sink_puts(out, " and the caller's own policies allow it");
      } else if (a->rp == IAM_MATCH_NONE) {
        iam_sink_puts(out, "it does not name the caller or its account");
      } else {
        iam_sink_puts(out, "it names the caller's account, but ");
        identity_side_reason(out, x);
      }
      break;
    case IAM_STEP_IDENTITY:
      if (allow) {
        if (a->stmt >= 0) {
          iam_sink_puts(out, "allowed by ");
          stmt_path(out, p, a->stmt);
        } else {
          iam_sink_puts(out, "the root user has its own account's permissions");
        }
      } else {
        identity_side_reason(out, x);
      }
      break;
    case IAM_NSTEPS: break;
  }
  return IAM_OK;
}

/* ---- missing keys ------------------------------------------------------------ */

/* A name listed already: its lower-cased text (borrowed from the policy). */
typedef struct Seen {
  const char *s; /* NULL: an empty slot */
  size_t n;
} Seen;

typedef struct Missing {
  const IamSink *out;
  const IamCtx *ctx;
  Seen *seen;           /* open addressing, so each name costs O(1) however many there are */
  uint32_t nseen, mask; /* mask + 1 slots, a power of two (0 slots: mask 0, seen NULL) */
  int rc;
} Missing;

#define SEEN_MIN 16 /* slots of the first table; it doubles at half load */

static uint32_t seen_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* The slot of (s, n): where it is, or the empty slot where it goes. */
static Seen *seen_slot(Seen *t, uint32_t mask, const char *s, size_t n) {
  uint32_t i = seen_hash(s, n) & mask;
  while (t[i].s && !(t[i].n == n && memcmp(t[i].s, s, n) == 0)) i = (i + 1) & mask;
  return &t[i];
}

static int seen_grow(Missing *m) {
  uint32_t cap = m->seen ? 2 * (m->mask + 1) : SEEN_MIN;
  Seen *t = iam_malloc(cap * sizeof *t);
  if (t == NULL) return IAM_ENOMEM;
  memset(t, 0, cap * sizeof *t);
  for (uint32_t i = 0; m->seen && i <= m->mask; i++)
    if (m->seen[i].s) *seen_slot(t, cap - 1, m->seen[i].s, m->seen[i].n) = m->seen[i];
  iam_free(m->seen);
  m->seen = t;
  m->mask = cap - 1;
  return IAM_OK;
}

/* List key (lower: its lower-cased form) unless the context has it or it is
** listed already. */
static void missing_add(Missing *m, const char *key, const char *lower, size_t n) {
  if (m->rc != IAM_OK || iam_ctx_get(m->ctx, lower, n) != NULL) return;
  if ((m->seen == NULL || 2 * (m->nseen + 1) > m->mask + 1) && (m->rc = seen_grow(m)) != IAM_OK)
    return;
  Seen *slot = seen_slot(m->seen, m->mask, lower, n);
  if (slot->s) return;
  slot->s = lower;
  slot->n = n;
  if (m->nseen++) iam_sink_append(m->out, ",", 1);
  iam_json_write_string(m->out, key, n);
}

static void missing_vars(Missing *m, const IamTemplate *t) {
  if (!t->has_vars) return;
  for (uint32_t i = 0; i < t->nparts; i++)
    if (t->parts[i].is_var)
      missing_add(m, t->parts[i].name, t->parts[i].name, t->parts[i].name_len);
}

int iam_explain_missing_keys(const IamExplain *x, uint32_t i, const IamSink *out) {
  const IamStatement *s = &x->p->stmt[i];
  Missing m = {out, x->req.ctx, NULL, 0, 0, IAM_OK};
  iam_sink_append(out, "[", 1);
  for (uint32_t k = 0; k < s->nres; k++) missing_vars(&m, &s->res[k]);
  for (uint32_t k = 0; k < s->ncond; k++) {
    const IamCond *c = &s->cond[k];
    missing_add(&m, c->key, c->key_lower, c->key_len);
    for (uint32_t v = 0; v < c->nvals; v++) missing_vars(&m, &c->vals[v].t);
  }
  iam_sink_append(out, "]", 1);
  iam_free(m.seen);
  return m.rc;
}
