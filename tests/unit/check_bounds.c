/* SPDX-License-Identifier: MIT */
/* Bounds on the work of one call (ext/core/README.md, "Limits" and "Hostile
** input"): parsing is linear in the size of its input, lists over a limit
** fail as fast as lists under it.
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
#include "iam_explain.h"
#include "iam_mem.h"
#include "iam_policy.h"

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
  IamRequest r = {"s3:GetObject", 12, "arn:aws:s3:::b/k", 16, iam_ctx_empty()};
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
  return s;
}
