/* SPDX-License-Identifier: MIT */
/* Request evaluation: actions, resources, conditions and the decision
** (ext/core/SEMANTICS.md, "The decision"). */
#include "iam_eval.h"

#include <string.h>

#include "iam_cond.h"
#include "iam_index.h"
#include "iam_template.h"
#include "iam_text.h"

#define ACTION_STACK 256 /* lower-cased actions kept on the stack */

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
  char q[IAM_QUOTE_MAX];
  if (colon == NULL || colon == action || colon == action + an - 1) {
    iam_error_set(err, -1, "action %s is not shaped 'service:Name'",
                  iam_quote(q, sizeof q, action, an));
    return IAM_EINVAL;
  }
  return IAM_OK;
}

int iam_stmt_applies(const IamStatement *s, const IamRequest *r, const char *action_lower,
                     int all_parts, IamStmtVerdict *v) {
  int a, rs = 0, c = 1;
  uint32_t i;
  a = iam_index_action_match(s, action_lower, r->action_len, r->work);
  if (a < 0) return a;
  if (s->not_action) a = !a;
  if (v) v->action = (int8_t)a, v->resource = -1, v->conditions = -1, v->failed_cond = -1;
  if (!a && !all_parts) return 0;
  for (i = 0; i < s->nres && !rs; i++) {
    rs = iam_template_match(&s->res[i], r->resource, r->resource_len, r->ctx, r->work);
    if (rs < 0) return rs;
  }
  if (s->not_resource) rs = !rs;
  if (s->any_resource) rs = 1; /* a resource policy statement without Resource */
  if (v) v->resource = (int8_t)rs;
  if (!rs && !all_parts) return 0;
  for (i = 0; i < s->ncond; i++) {
    int x = iam_cond_eval(&s->cond[i], r->ctx, r->work);
    if (x < 0) return x;
    if (!x) {
      c = 0;
      if (v) v->failed_cond = (int32_t)i;
      break;
    }
  }
  if (v) v->conditions = (int8_t)c;
  return a && rs && c;
}

int iam_eval(const IamPolicy *p, const IamRequest *r, IamDecision *out, int *decider) {
  char stack[ACTION_STACK], *lower = stack;
  int rc = IAM_OK, x;
  uint32_t i;
  IamWork own;
  IamRequest with_work;
  *out = IAM_IMPLICIT_DENY;
  if (decider) *decider = -1;
  if (r->work == NULL) { /* a counter of our own, with the default limit */
    iam_work_init(&own, 0, NULL, NULL);
    with_work = *r;
    with_work.work = &own;
    r = &with_work;
  }
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
    if (x < 0) goto fail;
    if (x) {
      *out = IAM_EXPLICIT_DENY;
      if (decider) *decider = (int)p->deny[i];
      goto done;
    }
  }
  for (i = 0; i < p->nallow; i++) {
    if (!(p->svc[p->allow[i]] & bit)) continue;
    x = iam_stmt_applies(&p->stmt[p->allow[i]], r, lower, 0, NULL);
    if (x < 0) goto fail;
    if (x) break;
  }
  if (i == p->nallow) goto done; /* no identity Allow */
  if (p->has_boundary) {         /* the boundary must allow too */
    uint32_t k;
    for (k = 0; k < p->nballow; k++) {
      if (!(p->svc[p->ballow[k]] & bit)) continue;
      x = iam_stmt_applies(&p->stmt[p->ballow[k]], r, lower, 0, NULL);
      if (x < 0) goto fail;
      if (x) break;
    }
    if (k == p->nballow) goto done;
  }
  *out = IAM_ALLOW;
  if (decider) *decider = (int)p->allow[i];
  goto done;
fail: /* out of memory, or the work limit or an interruption ended the call */
  rc = x;
done:
  /* no decision once the counter has stopped the call, whatever path saw it */
  if (rc == IAM_OK && r->work->rc != IAM_OK) rc = r->work->rc;
  if (rc != IAM_OK) {
    *out = IAM_IMPLICIT_DENY;
    if (decider) *decider = -1;
  }
  if (lower != stack) iam_free(lower);
  return rc;
}

const char *iam_decision_name(IamDecision d) {
  switch (d) {
    case IAM_ALLOW: return "Allow";
    case IAM_EXPLICIT_DENY: return "ExplicitDeny";
    case IAM_IMPLICIT_DENY: return "ImplicitDeny";
  }
  return "ImplicitDeny";
}
