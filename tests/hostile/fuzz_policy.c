/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the policy parser, the evaluator and the explanations
** (ext/core/README.md, "Hostile input").
**
** Input: POLICY [RS ACTION RS RESOURCE [RS CONTEXT]] (RS = 0x1e, see
** fuzz_common.h). The policy is parsed as an identity policy and with
** Principal allowed; when it parses, the request is evaluated (and every
** statement explained). Checked besides memory safety:
**   - a failed parse returns no policy and, unless out of memory, a message;
**   - accepting Principal only ever accepts more;
**   - the decision is one of the three, and the deciding statement has the
**     decision's Effect; no Allow without an Allow statement;
**   - the decision does not depend on the ASCII case of the action;
**   - the explanation (iam_stmt_applies with all parts) agrees with iam_eval,
**     and every statement that does not apply has a reason in words;
**   - compact copies (iam_compact.h) of the policy and the context, as the
**     SQL functions cache them, decide exactly as the originals, also after
**     the originals are freed.
** A whole-request object (with "principal") is decided by iam_authorize:
**   - the identity-only evaluator never allows it (fail closed);
**   - the fast and full procedures agree on decision, step and statement;
**   - the deciding statement has the decision's effect and a type that can
**     decide so; an Allow needs an applicable Allow statement (or root, or
**     sts:GetCallerIdentity);
**   - the compact copies decide the same;
**   - read as a part of a request and composed alone (iam_compose.h), it
**     decides exactly as the object.
** The URL decoder (iam_url_decode, iam_text.h) on the policy field: a text it
** decodes is valid UTF-8, no longer than the input, and decodes the same from
** its every byte percent-encoded; a failure names a byte of the input.
** Resources: the reservation that stands for cJSON's tree in the core's
** allocator (iam_json_check) is at least what cJSON takes at its peak; an
** evaluation that counted U units of work decides the same with a limit of
** U and ends in IAM_EWORK, without a decision, with U - 1.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz_common.h"
#include "iam_authz.h"
#include "iam_compact.h"
#include "iam_compose.h"
#include "iam_ctx.h"
#include "iam_eval.h"
#include "iam_explain.h"
#include "iam_json.h"
#include "iam_mem.h"
#include "iam_policy.h"
#include "iam_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                        \
  do {                                                                  \
    if (!(c)) {                                                         \
      fprintf(stderr, "fuzz_policy: check failed: %s (line %d)\n", #c, __LINE__); \
      abort();                                                          \
    }                                                                   \
  } while (0)

/* r with a fresh work counter w of FUZZ_WORK_LIMIT units: each evaluation
** counts on its own. */
static IamRequest fresh(const IamRequest *r, IamWork *w) {
  IamRequest x = *r;
  iam_work_init(w, FUZZ_WORK_LIMIT, NULL, NULL);
  x.work = w;
  return x;
}

/* The work limit is exact and never decides: an evaluation that counted U
** units decides the same with a limit of U, and with U - 1 ends in
** IAM_EWORK without a decision. */
static void check_limit(const IamPolicy *p, const IamRequest *r, IamDecision d, int decider,
                        uint64_t used) {
  IamWork w;
  IamRequest x = *r;
  IamDecision d2;
  int decider2;
  x.work = &w;
  iam_work_init(&w, used, NULL, NULL);
  if (used == 0) return;
  CHECK(iam_eval(p, &x, &d2, &decider2) == IAM_OK && d2 == d && decider2 == decider);
  if (used < 2) return;
  iam_work_init(&w, used - 1, NULL, NULL);
  CHECK(iam_eval(p, &x, &d2, &decider2) == IAM_EWORK && d2 == IAM_IMPLICIT_DENY && decider2 == -1);
}

static int parse(const FuzzField *f, int flags, IamPolicy **p, IamError *err) {
  memset(err, 0, sizeof *err);
  int rc = iam_policy_parse(f->s, f->n, flags, p, err);
  if (rc == IAM_OK) {
    CHECK(*p != NULL);
    CHECK(iam_compact_policy(*p, NULL) >= sizeof **p);
  } else {
    CHECK(*p == NULL);
    CHECK(rc == IAM_ENOMEM || rc == IAM_EPARSE || rc == IAM_EINVAL || rc == IAM_ELIMIT);
    if (rc != IAM_ENOMEM) CHECK(err->msg[0] != 0 && strlen(err->msg) < sizeof err->msg);
  }
  return rc;
}

static void count_bytes(void *arg, const char *s, size_t n) {
  (void)s;
  *(size_t *)arg += n;
}

/* Every row of the explanation: the same verdict as iam_stmt_applies, a
** reason exactly when the statement does not apply, a JSON array of keys. */
static void explain(const IamPolicy *p, const IamRequest *r0) {
  IamExplain x;
  IamWork w;
  IamRequest r1 = fresh(r0, &w);
  const IamRequest *r = &r1;
  if (iam_explain_begin(&x, p, r) != IAM_OK) return;
  for (uint32_t i = 0; i < p->nstmt; i++) {
    IamExplainRow row;
    size_t reason = 0, keys = 0;
    IamSink rs = {count_bytes, &reason}, ks = {count_bytes, &keys};
    if (iam_explain_row(&x, i, &row) != IAM_OK) break;
    CHECK(row.applies == (row.v.action == 1 && row.v.resource == 1 && row.v.conditions == 1));
    CHECK(!row.decisive || (row.applies && (int)i == x.decider));
    if (iam_explain_reason(&x, i, &row, &rs) != IAM_OK) break;
    CHECK(row.applies ? reason == 0 : reason > 0);
    if (iam_explain_missing_keys(&x, i, &ks) != IAM_OK) break;
    CHECK(keys >= 2);
  }
  iam_explain_end(&x);
}

/* A whole-request object: the checks listed at the top. */
static void evaluate_authz(const IamPolicy *p, const IamRequest *r) {
  IamDecision d;
  IamAuthzResult fast, full;
  IamWork w1, w2, w3;
  IamRequest r1 = fresh(r, &w1), r2 = fresh(r, &w2), r3 = fresh(r, &w3);
  if (iam_eval(p, &r1, &d, NULL) == IAM_OK) CHECK(d == IAM_IMPLICIT_DENY);
  int rc = iam_authorize(p, &r2, 0, &fast);
  if (rc != IAM_OK) CHECK(fast.decision == IAM_IMPLICIT_DENY && fast.stmt == -1);
  if (rc != IAM_OK || iam_authorize(p, &r3, 1, &full) != IAM_OK) return;
  CHECK(fast.decision == full.decision && fast.step == full.step && fast.stmt == full.stmt);
  CHECK(fast.decision == IAM_ALLOW || fast.decision == IAM_EXPLICIT_DENY ||
        fast.decision == IAM_IMPLICIT_DENY);
  CHECK((unsigned)fast.step < IAM_NSTEPS);
  CHECK(fast.stmt >= -1 && fast.stmt < (int32_t)p->nstmt);
  CHECK((fast.decision == IAM_EXPLICIT_DENY) == (fast.step == IAM_STEP_EXPLICIT_DENY));
  if (fast.stmt >= 0) {
    const IamStatement *s = &p->stmt[fast.stmt];
    CHECK(s->effect == (fast.decision == IAM_ALLOW ? IAM_EFFECT_ALLOW : IAM_EFFECT_DENY));
    if (fast.decision == IAM_ALLOW) CHECK(s->set == IAM_SET_IDENTITY || s->set == IAM_SET_RESOURCE);
    if (s->effect == IAM_EFFECT_ALLOW) CHECK(s->set != IAM_SET_RCP);
  }
  if (fast.decision == IAM_EXPLICIT_DENY) CHECK(fast.stmt >= 0);
  if (fast.decision == IAM_ALLOW && fast.step != IAM_STEP_CALLER_IDENTITY)
    CHECK(fast.stmt >= 0 || p->authz->caller.kind == IAM_CALLER_ROOT);
  if (fast.step == IAM_STEP_SCP_LEVEL)
    CHECK(fast.level >= 0 && (uint32_t)fast.level < p->authz->nlevels[IAM_SET_SCP]);
}

static void evaluate(const IamPolicy *p, const IamRequest *r0) {
  IamDecision d, d2;
  int decider = -2, decider2 = -2;
  if (p->authz) {
    evaluate_authz(p, r0);
    return;
  }
  IamWork w;
  IamRequest r1 = fresh(r0, &w);
  const IamRequest *r = &r1;
  int rc = iam_eval(p, r, &d, &decider);
  if (rc != IAM_OK) { /* never a decision with an error */
    CHECK(d == IAM_IMPLICIT_DENY && decider == -1);
    return;
  }
  check_limit(p, r0, d, decider, w.used);
  CHECK(d == IAM_ALLOW || d == IAM_EXPLICIT_DENY || d == IAM_IMPLICIT_DENY);
  if (d == IAM_IMPLICIT_DENY) {
    CHECK(decider == -1);
  } else {
    CHECK(decider >= 0 && (uint32_t)decider < p->nstmt);
    CHECK(p->stmt[decider].effect == (d == IAM_ALLOW ? IAM_EFFECT_ALLOW : IAM_EFFECT_DENY));
    if (d == IAM_ALLOW) CHECK(p->stmt[decider].set == IAM_SET_IDENTITY);
  }
  if (d == IAM_ALLOW) CHECK(p->nallow > 0 && (!p->has_boundary || p->nballow > 0));

  /* the same request with the action's ASCII case flipped */
  char *flipped = malloc(r->action_len + 1);
  if (flipped == NULL) abort();
  for (size_t i = 0; i < r->action_len; i++) {
    char c = r->action[i];
    flipped[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  flipped[r->action_len] = 0;
  IamWork w2;
  IamRequest r2 = fresh(r0, &w2);
  r2.action = flipped;
  if (iam_eval(p, &r2, &d2, &decider2) == IAM_OK) {
    CHECK(d2 == d);
    CHECK(decider2 == decider);
  }
  free(flipped);

  /* explanations agree with the decision */
  char *lower = malloc(r->action_len + 1);
  if (lower == NULL) abort();
  iam_ascii_lower(lower, r->action, r->action_len);
  lower[r->action_len] = 0;
  int any_deny = 0, any_allow = 0, any_ballow = 0;
  iam_work_init(&w, FUZZ_WORK_LIMIT, NULL, NULL); /* for all the statements */
  for (uint32_t i = 0; i < p->nstmt; i++) {
    IamStmtVerdict res;
    int x = iam_stmt_applies(&p->stmt[i], r, lower, 1, &res);
    if (x < 0) goto out;
    int y = iam_stmt_applies(&p->stmt[i], r, lower, 0, NULL);
    if (y < 0) goto out;
    CHECK(x == y);
    CHECK(res.action == 0 || res.action == 1);
    CHECK(res.resource == 0 || res.resource == 1);
    CHECK(res.conditions == 0 || res.conditions == 1);
    CHECK(x == (res.action && res.resource && res.conditions));
    CHECK(res.conditions == 1 ? res.failed_cond == -1
                              : (res.failed_cond >= 0 && (uint32_t)res.failed_cond < p->stmt[i].ncond));
    if (x && p->stmt[i].effect == IAM_EFFECT_DENY) any_deny = 1;
    if (x && p->stmt[i].effect == IAM_EFFECT_ALLOW) {
      if (p->stmt[i].set == IAM_SET_BOUNDARY)
        any_ballow = 1;
      else
        any_allow = 1;
    }
  }
  CHECK(d == (any_deny                                              ? IAM_EXPLICIT_DENY
              : any_allow && (!p->has_boundary || any_ballow) ? IAM_ALLOW
                                                              : IAM_IMPLICIT_DENY));
  explain(p, r);
out:
  free(lower);
}

static void *compact_block(size_t n) {
  void *b = malloc(n);
  if (b == NULL) abort();
  return b;
}

/* Evaluate r on compact copies of *p and *ctx, made and then checked after
** the originals are freed (*p and *ctx become NULL). */
static void check_compact(IamPolicy **p, IamCtx **ctx, const IamRequest *r) {
  IamDecision d, d2;
  int w = -2, w2 = -2;
  IamWork k1, k2, k3, k4;
  IamRequest r1 = fresh(r, &k1), r2a = fresh(r, &k2);
  int rc = iam_eval(*p, &r1, &d, &w);
  IamAuthzResult a = {0}, a2;
  int arc = (*p)->authz ? iam_authorize(*p, &r2a, 1, &a) : IAM_ENOMEM;
  size_t n = iam_compact_policy(*p, NULL);
  IamPolicy *cp = compact_block(n);
  CHECK(iam_compact_policy(*p, cp) == n);
  IamCtx *cc = NULL;
  if (*ctx) {
    size_t m = iam_compact_ctx(*ctx, NULL);
    cc = compact_block(m);
    CHECK(iam_compact_ctx(*ctx, cc) == m);
  }
  iam_free(*p);
  iam_free(*ctx);
  *p = NULL;
  *ctx = NULL;
  IamRequest r2 = fresh(r, &k3), r3 = fresh(r, &k4);
  r2.ctx = r3.ctx = cc ? cc : iam_ctx_empty();
  if (rc == IAM_OK && iam_eval(cp, &r2, &d2, &w2) == IAM_OK) CHECK(d == d2 && w == w2);
  if (arc == IAM_OK && iam_authorize(cp, &r3, 1, &a2) == IAM_OK)
    CHECK(a.decision == a2.decision && a.step == a2.step && a.stmt == a2.stmt &&
          a.rp == a2.rp && a.id_ok == a2.id_ok && a.pb_ok == a2.pb_ok && a.sp_ok == a2.sp_ok);
  evaluate(cp, &r2); /* with fresh counters of its own */
  free(cp);
  free(cc);
}

/* The same text as a part of a request (iam_compose.h), composed alone
** (with a caller of its own when it has none): it decides as any request
** does; and when the text is a whole request, exactly as the text itself
** (decision, step, statement, and the procedure's findings). */
static void check_parts(const FuzzField *f, const IamPolicy *whole, const IamRequest *r) {
  static const char *const names[1] = {"policy"};
  static const char *const caller = "arn:aws:iam::123456789012:role/app";
  IamPolicy *pt = NULL;
  IamError err;
  if (parse(f, IAM_PARSE_PART, &pt, &err) != IAM_OK) {
    CHECK(whole->authz == NULL); /* a whole request is always a part */
    return;
  }
  const IamPolicy *parts[1] = {pt};
  const char *who = pt->authz->has_caller ? NULL : caller;
  IamComposed *c = NULL;
  int rc = iam_compose(parts, names, 1, who, who ? strlen(who) : 0, &c, &err);
  if (whole->authz != NULL) CHECK(rc == IAM_OK || rc == IAM_ENOMEM);
  if (rc == IAM_OK) {
    const IamPolicy *cp = iam_composed_policy(c);
    if (whole->authz != NULL) {
      IamAuthzResult a, b;
      IamWork w1, w2;
      IamRequest r1 = fresh(r, &w1), r2 = fresh(r, &w2);
      CHECK(cp->nstmt == whole->nstmt && cp->ndocs == whole->ndocs);
      if (iam_authorize(whole, &r1, 1, &a) == IAM_OK && iam_authorize(cp, &r2, 1, &b) == IAM_OK)
        CHECK(a.decision == b.decision && a.step == b.step && a.stmt == b.stmt && a.level == b.level &&
              a.rp == b.rp && a.id_ok == b.id_ok && a.pb_ok == b.pb_ok && a.sp_ok == b.sp_ok);
    }
    evaluate(cp, r);
    iam_composed_free(c);
  } else {
    CHECK(rc == IAM_ENOMEM || rc == IAM_EINVAL || rc == IAM_ELIMIT);
    if (rc != IAM_ENOMEM) CHECK(err.msg[0] != 0);
  }
  iam_free(pt);
}

/* cJSON's memory, as the C library would count it (glibc: a block of n bytes
** takes max(32, n + 8 rounded up to 16)): live and at its peak. The fuzzer
** may set cJSON's hooks (the extension never does). */
static size_t tree_live, tree_peak;

static void *tree_malloc(size_t n) {
  size_t *b = malloc(n + 16);
  if (b == NULL) return NULL;
  size_t chunk = (n + 8 + 15) & ~(size_t)15;
  b[0] = chunk < 32 ? 32 : chunk;
  tree_live += b[0];
  if (tree_live > tree_peak) tree_peak = tree_live;
  return b + 2;
}

static void tree_free(void *p) {
  if (p == NULL) return;
  size_t *b = (size_t *)p - 2;
  tree_live -= b[0];
  free(b);
}

/* The reservation that stands for cJSON's tree (iam_json_check) is at
** least what cJSON takes at its peak. */
static void check_tree_bound(const FuzzField *f) {
  static int hooked;
  IamError err;
  if (!hooked) {
    cJSON_Hooks h = {tree_malloc, tree_free};
    cJSON_InitHooks(&h);
    hooked = 1;
  }
  if (iam_json_precheck(f->s, f->n, "policy", &err) != IAM_OK) return;
  tree_live = tree_peak = 0;
  cJSON *root = cJSON_ParseWithLengthOpts(f->s, f->n + 1, NULL, 1);
  cJSON_Delete(root);
  CHECK(tree_peak <= iam_json_tree_bytes(f->s, f->n, sizeof(cJSON)));
}

/* iam_url_decode: see the header comment. */
static void check_url_decode(const FuzzField *in) {
  IamError err;
  size_t n = 0, n2 = 0;
  char *out = malloc(in->n + 1), *enc = NULL, *out2 = NULL;
  CHECK(out != NULL);
  if (iam_url_decode(in->s, in->n, out, &n, &err) != IAM_OK) {
    CHECK(err.pos >= 0 && (size_t)err.pos < in->n);
  } else {
    static const char hex[] = "0123456789abcdef";
    CHECK(n <= in->n);
    CHECK(iam_utf8_invalid_at((const unsigned char *)out, n) == n);
    enc = malloc(3 * n + 1);
    out2 = malloc(3 * n + 1);
    CHECK(enc != NULL && out2 != NULL);
    for (size_t i = 0; i < n; i++) {
      enc[3 * i] = '%';
      enc[3 * i + 1] = hex[(unsigned char)out[i] >> 4];
      enc[3 * i + 2] = hex[(unsigned char)out[i] & 15];
    }
    CHECK(iam_url_decode(enc, 3 * n, out2, &n2, &err) == IAM_OK);
    CHECK(n2 == n && memcmp(out, out2, n) == 0);
  }
  free(out);
  free(enc);
  free(out2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzField f[4];
  IamPolicy *p = NULL, *pp = NULL;
  IamCtx *ctx = NULL;
  IamError err;
  fuzz_split(data, size, f, 4);
  check_url_decode(&f[0]);
  check_tree_bound(&f[0]);
  int rc = parse(&f[0], 0, &p, &err);
  int rcp = parse(&f[0], IAM_PARSE_PRINCIPAL, &pp, &err);
  if (rc == IAM_OK) CHECK(rcp == IAM_OK); /* Principal allowed: a superset */
  if (rcp == IAM_OK && rc == IAM_OK) CHECK(p->nstmt == pp->nstmt && p->ndocs == pp->ndocs);
  iam_free(pp);
  if (rc == IAM_OK) {
    const char *action = f[1].present ? f[1].s : "ecs:RunTask";
    size_t alen = f[1].present ? f[1].n : strlen(action);
    const char *res = f[2].present ? f[2].s : "arn:aws:ecs:us-east-1:123456789012:cluster/default";
    size_t rlen = f[2].present ? f[2].n : strlen(res);
    if (f[3].present) {
      if (iam_ctx_parse(f[3].s, f[3].n, &ctx, &err) != IAM_OK) CHECK(ctx == NULL);
    }
    IamRequest r = {action, alen, res, rlen, ctx ? ctx : iam_ctx_empty(), NULL};
    if (iam_request_check(action, alen, NULL, 0, &err) == IAM_OK) {
      evaluate(p, &r);
      check_parts(&f[0], p, &r);
      check_compact(&p, &ctx, &r);
    }
  }
  iam_free(ctx);
  iam_free(p);
  fuzz_free(f, 4);
  return 0;
}
