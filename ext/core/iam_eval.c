/* Request evaluation: actions, resources, conditions and the decision. */
#include "iam_eval.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "iam_cond.h"
#include "iam_match.h"

enum { P_NOMATCH = 0, P_MATCH = 1, P_FAIL = 2, P_OOM = -1 };

#define OPS_STACK 256

/* A request string: no NUL byte, valid UTF-8, at most max bytes. */
static int request_text_check(const char *what, const char *s, size_t n, size_t max,
                              IamError *err) {
  const char *nul = memchr(s, 0, n);
  size_t bad;
  if (n > max) {
    iam_error_set(err, -1, "%s is %zu bytes, over the limit of %zu", what, n, max);
    return IAM_ELIMIT;
  }
  if (nul != NULL) {
    iam_error_set(err, nul - s, "%s contains a NUL byte at byte %ld", what, (long)(nul - s));
    return IAM_EINVAL;
  }
  if ((bad = iam_utf8_invalid_at((const unsigned char *)s, n)) != n) {
    iam_error_set(err, (long)bad, "%s is not valid UTF-8 at byte %zu", what, bad);
    return IAM_EINVAL;
  }
  return IAM_OK;
}

int iam_request_check(const char *action, size_t an, const char *resource, size_t rn,
                      IamError *err) {
  int rc = IAM_OK;
  if (action != NULL) rc = request_text_check("action", action, an, IAM_MAX_ACTION_BYTES, err);
  if (rc == IAM_OK && resource != NULL)
    rc = request_text_check("resource", resource, rn, IAM_MAX_RESOURCE_BYTES, err);
  if (rc != IAM_OK || action == NULL) return rc;
  const char *colon = memchr(action, ':', an);
  char q[80];
  if (colon == NULL || colon == action || colon == action + an - 1) {
    iam_error_set(err, -1, "action %s is not shaped 'service:Name'",
                  iam_quote(q, sizeof q, action, an));
    return IAM_EINVAL;
  }
  return IAM_OK;
}

/* Expand a template if needed, setting ops and n. Returns 1, 0 (unresolved), -1. */
static int tpl_ops(const IamTemplate *t, const IamCtx *ctx, IamOp *buf, IamOp **ops, uint32_t *n) {
  if (t->has_vars) return iam_template_expand(t, ctx, buf, OPS_STACK, ops, n);
  if (t->glob.ops) {
    *ops = (IamOp *)(uintptr_t)t->glob.ops;
    *n = t->glob.n;
    return 1;
  }
  /* literal pattern: only its text is kept */
  IamOp *o = buf;
  if (t->glob.n > OPS_STACK && (o = iam_malloc(t->glob.n * sizeof *o)) == NULL) return -1;
  for (uint32_t i = 0; i < t->glob.n; i++) o[i] = (unsigned char)t->glob.lit[i];
  *ops = o;
  *n = t->glob.n;
  return 1;
}

static void ops_release(IamOp *ops, const IamOp *buf, const IamTemplate *t) {
  if (ops != buf && ops != t->glob.ops) iam_free(ops);
}

/* Literal text of a template for equality-style comparisons. */
static int ops_equal(const IamOp *ops, uint32_t n, const char *v, size_t m, int icase) {
  if (n != m) return 0;
  for (uint32_t i = 0; i < n; i++) {
    unsigned char a = (unsigned char)ops[i], b = (unsigned char)v[i];
    if (icase) {
      if (a >= 'A' && a <= 'Z') a = (unsigned char)(a + 32);
      if (b >= 'A' && b <= 'Z') b = (unsigned char)(b + 32);
    }
    if (a != b) return 0;
  }
  return 1;
}

static int cmp_result(int c, uint8_t cmp) {
  switch ((IamCmp)cmp) {
    case IAM_CMP_EQ: return c == 0;
    case IAM_CMP_LT: return c < 0;
    case IAM_CMP_LE: return c <= 0;
    case IAM_CMP_GT: return c > 0;
    case IAM_CMP_GE: return c >= 0;
    case IAM_CMP_LIKE:
    case IAM_CMP_ICASE:
    case IAM_CMP_INRANGE:
    case IAM_CMP_NULL: break;
  }
  return 0;
}

static int ip_in(const IamIp *range, const IamIp *a) {
  if (range->family != a->family) return 0;
  int bits = range->prefix, i = 0;
  for (; bits >= 8; bits -= 8, i++)
    if (range->addr[i] != a->addr[i]) return 0;
  if (bits) {
    uint8_t mask = (uint8_t)(0xFF << (8 - bits));
    if ((range->addr[i] & mask) != (a->addr[i] & mask)) return 0;
  }
  return 1;
}

/* P(v, p): compare one request value with one policy value. */
static int compare(const IamOpInfo *op, const IamCondValue *p, const char *v, size_t m,
                   const IamCtx *ctx) {
  switch ((IamFamily)op->family) {
    case IAM_FAM_STRING:
    case IAM_FAM_ARN: {
      IamOp buf[OPS_STACK], *ops;
      uint32_t n;
      int r = tpl_ops(&p->t, ctx, buf, &ops, &n), res;
      if (r <= 0) return r < 0 ? P_OOM : P_NOMATCH; /* unresolved variable: null */
      if (op->family == IAM_FAM_ARN) {
        r = iam_arn_like(ops, n, v, m);
        res = r == 2 ? P_FAIL : r ? P_MATCH : P_NOMATCH;
      } else if (op->cmp == IAM_CMP_LIKE) {
        r = iam_ops_match(ops, n, v, m);
        res = r < 0 ? P_OOM : r ? P_MATCH : P_NOMATCH;
      } else {
        res = ops_equal(ops, n, v, m, op->cmp == IAM_CMP_ICASE) ? P_MATCH : P_NOMATCH;
      }
      ops_release(ops, buf, &p->t);
      return res;
    }
    case IAM_FAM_NUMERIC: {
      IamNum a;
      if (!p->ok || !iam_parse_number(v, m, &a)) return P_FAIL;
      return cmp_result(iam_num_cmp(&a, &p->u.num), op->cmp) ? P_MATCH : P_NOMATCH;
    }
    case IAM_FAM_DATE: {
      int64_t a;
      if (!p->ok || !iam_parse_date(v, m, &a)) return P_FAIL;
      return cmp_result(a < p->u.ms ? -1 : a > p->u.ms, op->cmp) ? P_MATCH : P_NOMATCH;
    }
    case IAM_FAM_BOOL: {
      int a, b;
      if (!iam_parse_bool(v, m, &a)) return P_FAIL;
      if (p->t.has_vars) {
        IamOp buf[OPS_STACK], *ops;
        uint32_t n;
        char txt[8];
        int r = tpl_ops(&p->t, ctx, buf, &ops, &n);
        if (r <= 0) return r < 0 ? P_OOM : P_NOMATCH;
        int okb = n < sizeof txt;
        for (uint32_t i = 0; okb && i < n; i++) txt[i] = (char)ops[i];
        ops_release(ops, buf, &p->t);
        if (!okb || !iam_parse_bool(txt, n, &b)) return P_FAIL;
      } else {
        if (!p->ok) return P_FAIL;
        b = p->u.b;
      }
      return a == b ? P_MATCH : P_NOMATCH;
    }
    case IAM_FAM_BINARY: {
      unsigned char stack[512], *bytes = stack;
      int res;
      if (!p->ok) return P_FAIL;
      if (m / 4 * 3 + 4 > sizeof stack && (bytes = iam_malloc(m / 4 * 3 + 4)) == NULL) return P_OOM;
      long n = iam_b64_decode(v, m, bytes);
      if (n < 0)
        res = P_FAIL;
      else
        res = ((size_t)n == p->u.bin.n && memcmp(bytes, p->u.bin.bytes, (size_t)n) == 0)
                  ? P_MATCH
                  : P_NOMATCH;
      if (bytes != stack) iam_free(bytes);
      return res;
    }
    case IAM_FAM_IP: {
      IamIp a;
      if (!p->ok || !iam_parse_ip(v, m, 0, &a)) return P_FAIL;
      return ip_in(&p->u.ip, &a) ? P_MATCH : P_NOMATCH;
    }
    case IAM_FAM_NULL: break;
  }
  return P_FAIL;
}

/* The unqualified operator on one request value (§4.2 steps 6-7). */
static int op_one(const IamCond *c, const IamOpInfo *op, const char *v, size_t m,
                  const IamCtx *ctx) {
  for (uint32_t i = 0; i < c->nvals; i++) {
    int r = compare(op, &c->vals[i], v, m, ctx);
    if (r == P_OOM) return -1;
    if (op->negated) {
      if (r != P_NOMATCH) return 0; /* a match, or a value that fails */
    } else if (r == P_MATCH) {
      return 1;
    }
  }
  return op->negated ? 1 : 0;
}

int iam_cond_eval(const IamCond *c, const IamCtx *ctx) {
  const IamOpInfo *op = &iam_ops[c->base];
  const IamCtxEntry *e = iam_ctx_get(ctx, c->key_lower, c->key_len);
  if (op->family == IAM_FAM_NULL) {
    if (c->qual == IAM_QUAL_FORALL) return 1;
    if (c->qual == IAM_QUAL_FORANY) return 0;
    for (uint32_t i = 0; i < c->nvals; i++) {
      const IamCondValue *v = &c->vals[i];
      if (v->ok && (v->u.b ? e == NULL : e != NULL)) return 1;
    }
    return 0;
  }
  if (c->if_exists && e == NULL) return 1;
  if (c->qual != IAM_QUAL_NONE) {
    uint32_t nr = e ? e->n : 0;
    if (c->nvals == 0) return c->qual == IAM_QUAL_FORALL ? nr == 0 : 0;
    for (uint32_t i = 0; i < nr; i++) {
      int r = op_one(c, op, e->val[i], e->len[i], ctx);
      if (r < 0) return -1;
      if (c->qual == IAM_QUAL_FORALL && !r) return 0;
      if (c->qual == IAM_QUAL_FORANY && r) return 1;
    }
    return c->qual == IAM_QUAL_FORALL;
  }
  if (e == NULL) return op->negated;
  if (e->multi) return 0;
  return op_one(c, op, e->val[0], e->len[0], ctx);
}

int iam_resource_match(const IamTemplate *t, const char *res, size_t m, const IamCtx *ctx) {
  if (!t->has_vars) return iam_glob_match(&t->glob, res, m);
  IamOp buf[OPS_STACK], *ops;
  uint32_t n;
  int x = iam_template_expand(t, ctx, buf, OPS_STACK, &ops, &n);
  if (x <= 0) return x; /* unresolved: matches nothing */
  x = iam_ops_match(ops, n, res, m);
  if (ops != buf) iam_free(ops);
  return x;
}

int iam_stmt_applies(const IamStatement *s, const IamRequest *r, const char *action_lower,
                     int all_parts, IamStmtResult *res) {
  int a = 0, rs = 0, c = 1;
  uint32_t i;
  if (!(s->svc_mask & iam_service_bit(action_lower, r->action_len))) {
    a = 0; /* no pattern has the request's service prefix */
  } else if (s->act_tab) {
    uint32_t h = iam_action_hash(action_lower, r->action_len) & s->act_tab_mask, k;
    while (!a && (k = s->act_tab[h]) != UINT32_MAX) {
      a = s->act[k].n == r->action_len && memcmp(s->act[k].lit, action_lower, r->action_len) == 0;
      h = (h + 1) & s->act_tab_mask;
    }
    for (i = 0; i < s->nwild && !a; i++)
      a = iam_glob_match(&s->act[s->act_wild[i]], action_lower, r->action_len);
  } else {
    for (i = 0; i < s->nact && !a; i++) a = iam_glob_match(&s->act[i], action_lower, r->action_len);
  }
  if (s->not_action) a = !a;
  if (res) res->action = (int8_t)a, res->resource = -1, res->conditions = -1, res->failed_cond = -1;
  if (!a && !all_parts) return 0;
  for (i = 0; i < s->nres && !rs; i++) {
    rs = iam_resource_match(&s->res[i], r->resource, r->resource_len, r->ctx);
    if (rs < 0) return -1;
  }
  if (s->not_resource) rs = !rs;
  if (res) res->resource = (int8_t)rs;
  if (!rs && !all_parts) return 0;
  for (i = 0; i < s->ncond; i++) {
    int x = iam_cond_eval(&s->cond[i], r->ctx);
    if (x < 0) return -1;
    if (!x) {
      c = 0;
      if (res) res->failed_cond = (int32_t)i;
      break;
    }
  }
  if (res) res->conditions = (int8_t)c;
  return a && rs && c;
}

int iam_eval(const IamPolicy *p, const IamRequest *r, IamDecision *out, int *decider) {
  char stack[256], *lower = stack;
  int rc = IAM_OK, x;
  uint32_t i;
  *out = IAM_IMPLICIT_DENY;
  if (decider) *decider = -1;
  if (r->action_len >= sizeof stack && (lower = iam_malloc(r->action_len + 1)) == NULL)
    return IAM_ENOMEM;
  iam_ascii_lower(lower, r->action, r->action_len);
  lower[r->action_len] = 0;
  uint64_t bit = iam_service_bit(lower, r->action_len);
  /* fetch every statement that may apply at once, not one after another */
  for (i = 0; i < p->nstmt; i++)
    if (p->svc[i] & bit) IAM_PREFETCH(&p->stmt[i]);
  for (i = 0; i < p->ndeny; i++) {
    if (!(p->svc[p->deny[i]] & bit)) continue;
    x = iam_stmt_applies(&p->stmt[p->deny[i]], r, lower, 0, NULL);
    if (x < 0) goto nomem;
    if (x) {
      *out = IAM_EXPLICIT_DENY;
      if (decider) *decider = (int)p->deny[i];
      goto done;
    }
  }
  for (i = 0; i < p->nallow; i++) {
    if (!(p->svc[p->allow[i]] & bit)) continue;
    x = iam_stmt_applies(&p->stmt[p->allow[i]], r, lower, 0, NULL);
    if (x < 0) goto nomem;
    if (x) break;
  }
  if (i == p->nallow) goto done; /* no identity Allow */
  if (p->has_boundary) {         /* the boundary must allow too */
    uint32_t k;
    for (k = 0; k < p->nballow; k++) {
      if (!(p->svc[p->ballow[k]] & bit)) continue;
      x = iam_stmt_applies(&p->stmt[p->ballow[k]], r, lower, 0, NULL);
      if (x < 0) goto nomem;
      if (x) break;
    }
    if (k == p->nballow) goto done;
  }
  *out = IAM_ALLOW;
  if (decider) *decider = (int)p->allow[i];
  goto done;
nomem:
  rc = IAM_ENOMEM;
  *out = IAM_IMPLICIT_DENY;
done:
  if (lower != stack) iam_free(lower);
  return rc;
}
