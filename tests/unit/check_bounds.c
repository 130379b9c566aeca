/* SPDX-License-Identifier: MIT */
/* Bounds on the work of one call (ext/core/README.md, "Limits" and "The work
** limit"): parsing is linear in the size of its input, lists over a limit
** fail as fast as lists under it; matching counts its work, and a call over
** its limit, or interrupted, ends with an error and no decision.
**
** The linear cases time one input of size n and one of k n (the least CPU
** time of a few runs each) and require the ratio of the times to stay under
** 5 k; a quadratic parser gives k squared: a list walked once per element, a check
** of every key against every earlier one, a rescan of the rest of a pattern
** per "${", a search of every listed name per name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_iam.h"
#include "iam_authz.h"
#include "iam_explain.h"
#include "iam_mem.h"
#include "iam_policy.h"
#include "iam_work.h"

#define LINEAR_SMALL 4000 /* elements of the small input; the large one has ten times as many */
#define LINEAR_RUNS  3    /* runs of each size; the fastest counts */
#define LINEAR_SLACK                                                 \
  5 /* time ratio allowed: this times the size ratio (quadratic: the \
    ** size ratio squared) */

/* A growable text. */
typedef struct Text {
  char *s;
  size_t n, cap;
} Text;

static void put(Text *t, const char *s) {
  size_t k = strlen(s);
  if (t->n + k + 1 > t->cap) {
    t->cap = 2 * (t->n + k + 1);
    t->s = realloc(t->s, t->cap);
    ck_assert_ptr_nonnull(t->s);
  }
  memcpy(t->s + t->n, s, k + 1);
  t->n += k;
}

/* before, the number i, after. */
static void put_item(Text *t, const char *before, long i, const char *after) {
  char buf[32];
  snprintf(buf, sizeof buf, "%ld", i);
  put(t, before);
  put(t, buf);
  put(t, after);
}

/* The policies: n elements of one kind. */
enum { BIG_RESOURCES, BIG_KEYS, BIG_TOKENS };

static char *big_policy(int kind, long n) {
  Text t = {NULL, 0, 0};
  put(&t,
      "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:"
      "GetObject\",");
  switch (kind) {
    case BIG_RESOURCES: /* a Resource list of n ARNs */
      put(&t, "\"Resource\":[");
      for (long i = 0; i < n; i++)
        put_item(&t, i ? ",\"arn:aws:s3:::b" : "\"arn:aws:s3:::b", i, "/*\"");
      put(&t, "]}}");
      break;
    case BIG_KEYS: /* an operator block of n keys (no values) */
      put(&t, "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{");
      for (long i = 0; i < n; i++) put_item(&t, i ? ",\"k" : "\"k", i, "\":[]");
      put(&t, "}}}}");
      break;
    case BIG_TOKENS: /* n "${" that share one '}' and are all plain text */
      put(&t, "\"Resource\":\"arn:aws:s3:::");
      for (long i = 0; i < n; i++) put(&t, "${a");
      put(&t, " b}\"}}");
      break;
    default: break;
  }
  return t.s;
}

static double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void count_bytes(void *arg, const char *s, size_t n) {
  (void)s;
  *(size_t *)arg += n;
}

/* What is timed: parse the policy (and with explain, list the missing keys
** of its statement). Returns the parse's return code. */
static int work(const char *text, int explain) {
  IamPolicy *p;
  IamError err;
  int rc = iam_policy_parse(text, strlen(text), 0, &p, &err);
  if (rc != IAM_OK || !explain) {
    iam_free(p);
    return rc;
  }
  IamExplain x;
  IamRequest r = {"s3:GetObject", 12, "arn:aws:s3:::b/k", 16, iam_ctx_empty(), NULL};
  size_t bytes = 0;
  ck_assert_int_eq(iam_explain_begin(&x, p, &r), IAM_OK);
  IamSink out = {count_bytes, &bytes};
  ck_assert_int_eq(iam_explain_missing_keys(&x, 0, &out), IAM_OK);
  ck_assert_uint_gt(bytes, 2);
  iam_explain_end(&x);
  iam_free(p);
  return rc;
}

/* The least CPU time of LINEAR_RUNS runs of work(text). */
static double best_time(const char *text, int explain, int expect) {
  double best = 1e30;
  for (int k = 0; k < LINEAR_RUNS; k++) {
    double t0 = cpu_seconds();
    ck_assert_int_eq(work(text, explain), expect);
    double t = cpu_seconds() - t0;
    if (t < best) best = t;
  }
  return best > 1e-6 ? best : 1e-6;
}

static void check_linear(int kind, int explain, long small, long large, int expect_large) {
  char *a = big_policy(kind, small), *b = big_policy(kind, large);
  double ta = best_time(a, explain, IAM_OK), tb = best_time(b, explain, expect_large);
  double allowed = LINEAR_SLACK * (double)large / (double)small;
  ck_assert_msg(tb < allowed * ta,
                "%ld elements took %.4f s, %ld took %.4f s: %.0f times as long (at most %.0f)",
                small, ta, large, tb, tb / ta, allowed);
  free(a);
  free(b);
}

START_TEST(test_linear_resource_list) {
  check_linear(BIG_RESOURCES, 0, LINEAR_SMALL, 10 * LINEAR_SMALL, IAM_OK);
}
END_TEST

/* Over the limit of 65,536 patterns: the error comes as fast as a parse. */
START_TEST(test_linear_resource_list_over_limit) {
  check_linear(BIG_RESOURCES, 0, LINEAR_SMALL, 100000, IAM_ELIMIT);
}
END_TEST

START_TEST(test_linear_condition_keys) {
  check_linear(BIG_KEYS, 0, LINEAR_SMALL, 10 * LINEAR_SMALL, IAM_OK);
}
END_TEST

START_TEST(test_linear_variable_tokens) {
  check_linear(BIG_TOKENS, 0, LINEAR_SMALL, 10 * LINEAR_SMALL, IAM_OK);
}
END_TEST

START_TEST(test_linear_missing_keys) {
  check_linear(BIG_KEYS, 1, LINEAR_SMALL, 10 * LINEAR_SMALL, IAM_OK);
}
END_TEST

/* ---- the work limit (iam_work.h) ------------------------------------------- */

/* Allow all, but a Deny whose Resource pattern restarts many times against
** the resource: its evaluation is what the work limit cuts. */
static const char deny_costly[] =
    "[{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":"
    "\"arn:aws:s3:::*a*a*a*b\"}},"
    "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}]";
static const char costly_arn[] = "arn:aws:s3:::aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

static IamPolicy *policy_ok(const char *text, int flags) {
  IamPolicy *p;
  IamError err;
  ck_assert_msg(iam_policy_parse(text, strlen(text), flags, &p, &err) == IAM_OK, "%s", err.msg);
  return p;
}

/* The decision with a limit of limit units; *used receives what was counted. */
static int decide_with(const IamPolicy *p, uint64_t limit, IamDecision *d, int *decider,
                       uint64_t *used) {
  IamWork w;
  iam_work_init(&w, limit, NULL, NULL);
  IamRequest r = {"s3:GetObject", 12, costly_arn, strlen(costly_arn), iam_ctx_empty(), &w};
  int rc = iam_eval(p, &r, d, decider);
  *used = w.used;
  return rc;
}

START_TEST(test_work_limit_exact) {
  IamPolicy *p = policy_ok(deny_costly, 0);
  IamDecision d;
  int decider;
  uint64_t used, used2;
  ck_assert_int_eq(decide_with(p, 0, &d, &decider, &used), IAM_OK);
  ck_assert_int_eq(d, IAM_ALLOW); /* the Deny does not apply: no 'b' */
  ck_assert_uint_gt(used, 40);    /* its restarts were counted */
  /* a limit of exactly the work decides the same; one unit less is an error, never a decision */
  ck_assert_int_eq(decide_with(p, used, &d, &decider, &used2), IAM_OK);
  ck_assert_int_eq(d, IAM_ALLOW);
  ck_assert_uint_eq(used2, used);
  ck_assert_int_eq(decide_with(p, used - 1, &d, &decider, &used2), IAM_EWORK);
  ck_assert_int_eq(d, IAM_IMPLICIT_DENY);
  ck_assert_int_eq(decider, -1);
  IamWork w;
  IamError err;
  iam_work_init(&w, 7, NULL, NULL);
  w.rc = IAM_EWORK;
  iam_work_error(&w, &err);
  ck_assert_str_eq(err.msg,
                   "needs more work than the limit of 7 units (matching patterns and condition "
                   "values against this request; iam_config('work_limit') sets it)");
  iam_free(p);
}
END_TEST

/* A counter whose stop callback says stop on its n-th call. */
typedef struct Stopper {
  int calls, stop_at;
} Stopper;

static int stopper(void *arg) {
  Stopper *s = arg;
  return ++s->calls >= s->stop_at;
}

START_TEST(test_work_interrupt) {
  IamWork w;
  Stopper st = {0, 3};
  iam_work_init(&w, UINT64_MAX, stopper, &st);
  uint64_t n = 0;
  int rc = IAM_OK;
  while (rc == IAM_OK && n < 10 * IAM_WORK_CHECK_EVERY) rc = IAM_WORK_CHARGE(&w, 1000), n += 1000;
  ck_assert_int_eq(rc, IAM_EINTERRUPT);
  ck_assert_int_eq(st.calls, 3); /* asked once per IAM_WORK_CHECK_EVERY units */
  ck_assert_uint_gt(n, 3 * IAM_WORK_CHECK_EVERY);
  ck_assert_uint_le(n, 3 * (IAM_WORK_CHECK_EVERY + 1000));
  ck_assert_int_eq(IAM_WORK_CHARGE(&w, 1), IAM_EINTERRUPT); /* sticky */
  ck_assert_int_eq(st.calls, 3);
  /* through an evaluation: no decision */
  IamPolicy *p = policy_ok(deny_costly, 0);
  Stopper now = {0, 1};
  iam_work_init(&w, UINT64_MAX, stopper, &now);
  w.next = 0; /* ask at the first charge */
  IamRequest r = {"s3:GetObject", 12, costly_arn, strlen(costly_arn), iam_ctx_empty(), &w};
  IamDecision d;
  ck_assert_int_eq(iam_eval(p, &r, &d, NULL), IAM_EINTERRUPT);
  ck_assert_int_eq(d, IAM_IMPLICIT_DENY);
  iam_free(p);
}
END_TEST

/* Whole requests count their matching and their Principal blocks. */
START_TEST(test_work_whole_request) {
  static const char req[] =
      "{\"principal\":\"arn:aws:iam::111122223333:user/alice\",\"resource_account\":"
      "\"444455556666\",\"identity\":[{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\","
      "\"Resource\":\"*\"}}],\"resource_policy\":{\"Statement\":{\"Effect\":\"Allow\","
      "\"Action\":\"*\",\"Resource\":\"*\",\"Principal\":{\"AWS\":[\"1\",\"2\",\"3\",\"4\","
      "\"111122223333\"]}}}}";
  IamPolicy *p = policy_ok(req, 0);
  IamWork w;
  IamAuthzResult res;
  iam_work_init(&w, 0, NULL, NULL);
  IamRequest r = {"s3:GetObject", 12, "arn:aws:s3:::b/k", 16, iam_ctx_empty(), &w};
  ck_assert_int_eq(iam_authorize(p, &r, 0, &res), IAM_OK);
  ck_assert_int_eq(res.decision, IAM_ALLOW);
  ck_assert_uint_ge(w.used, 5); /* the five Principal values */
  uint64_t used = w.used;
  iam_work_init(&w, used - 1, NULL, NULL);
  ck_assert_int_eq(iam_authorize(p, &r, 0, &res), IAM_EWORK);
  ck_assert_int_eq(res.decision, IAM_IMPLICIT_DENY);
  ck_assert_int_eq(res.stmt, -1);
  iam_free(p);
}
END_TEST

/* Condition values against context values: a product, counted. */
START_TEST(test_work_conditions) {
  Text t = {NULL, 0, 0}, c = {NULL, 0, 0};
  put(&t,
      "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
      "{\"ForAnyValue:StringEquals\":{\"k\":[");
  for (long i = 0; i < 1000; i++) put_item(&t, i ? ",\"v" : "\"v", i, "\"");
  put(&t, "]}}}}");
  put(&c, "{\"k\":[");
  for (long i = 0; i < 1000; i++) put_item(&c, i ? ",\"w" : "\"w", i, "\"");
  put(&c, "]}");
  IamPolicy *p = policy_ok(t.s, 0);
  IamCtx *ctx;
  IamError err;
  ck_assert_int_eq(iam_ctx_parse(c.s, c.n, &ctx, &err), IAM_OK);
  IamWork w;
  iam_work_init(&w, 0, NULL, NULL);
  IamRequest r = {"s3:GetObject", 12, "*", 1, ctx, &w};
  IamDecision d;
  ck_assert_int_eq(iam_eval(p, &r, &d, NULL), IAM_OK);
  ck_assert_int_eq(d, IAM_IMPLICIT_DENY);
  ck_assert_uint_ge(w.used, 1000 * 1000); /* at least a unit per pair */
  iam_work_init(&w, 1000000, NULL, NULL);
  ck_assert_int_eq(iam_eval(p, &r, &d, NULL), IAM_EWORK);
  iam_free(ctx);
  iam_free(p);
  free(t.s);
  free(c.s);
}
END_TEST

Suite *bounds_suite(void) {
  Suite *s = suite_create("bounds");
  TCase *tc = tcase_create("linear");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_linear_resource_list);
  tcase_add_test(tc, test_linear_resource_list_over_limit);
  tcase_add_test(tc, test_linear_condition_keys);
  tcase_add_test(tc, test_linear_variable_tokens);
  tcase_add_test(tc, test_linear_missing_keys);
  suite_add_tcase(s, tc);
  tc = tcase_create("work");
  tcase_add_test(tc, test_work_limit_exact);
  tcase_add_test(tc, test_work_interrupt);
  tcase_add_test(tc, test_work_whole_request);
  tcase_add_test(tc, test_work_conditions);
  suite_add_tcase(s, tc);
  return s;
}
