/* SPDX-License-Identifier: MIT */
/* Containment and overlap of globs: hand-picked cases, and small random
** patterns checked against every text up to a length (a brute force). */
#include <stdlib.h>
#include <string.h>

#include "check_iam.h"
#include "iam_cover.h"
#include "iam_match.h"

typedef void (*Compile)(IamGlobCode *, const char *, size_t);

static void resource0(IamGlobCode *codes, const char *s, size_t n) {
  iam_glob_codes_resource(codes, s, n, 0);
}

static int covers(Compile c, const char *b, const char *a) {
  IamGlobCode cb[256], ca[256];
  c(cb, b, strlen(b));
  c(ca, a, strlen(a));
  return iam_glob_covers(cb, (uint32_t)strlen(b), ca, (uint32_t)strlen(a), NULL);
}

static int overlaps(Compile c, const char *a, const char *b) {
  IamGlobCode cb[256], ca[256];
  c(cb, b, strlen(b));
  c(ca, a, strlen(a));
  return iam_glob_overlaps(ca, (uint32_t)strlen(a), cb, (uint32_t)strlen(b), NULL);
}

static const struct {
  const char *b, *a;
  int want;
} action_cover[] = {
    {"s3:*", "s3:getobject", 1},
    {"s3:get*", "s3:getobject", 1},
    {"s3:get*", "s3:*", 0},
    {"s3:*", "s3:get*", 1},
    {"*", "ec?:run*", 1},
    {"ec?:*", "ecs:run*", 1},
    {"ecs:*", "ec?:run*", 0},
    {"s3:get*", "s3:get?bject", 1},
    {"s3:get?bject", "s3:get*", 0},
    {"s3:*object*", "s3:get*object", 1},
    {"s3:*object", "s3:*object*", 0},
    {"s3:*a*b*", "s3:*ab*", 1},
    {"s3:*ab*", "s3:*a*b*", 0},
    {"s3:getobject", "s3:getobject", 1},
    {"s3:getobject", "s3:getobjec?", 0},
    {"a?*", "a*?", 1},
    {"a*?", "a?*", 1},
};

START_TEST(test_cover_actions) {
  int r = covers(iam_glob_codes_action, action_cover[_i].b, action_cover[_i].a);
  ck_assert_msg(r == action_cover[_i].want, "%s covers %s: got %d", action_cover[_i].b,
                action_cover[_i].a, r);
}
END_TEST

static const struct {
  const char *b, *a;
  int want;
} resource_cover[] = {
    {"*", "arn:aws:s3:::b/*", 1},
    {"arn:aws:s3:::b/*", "*", 0},
    {"arn:aws:s3:::*", "arn:aws:s3:::b/*", 1},
    {"arn:aws:s3:::b*", "arn:aws:s3:::b/x", 1},
    /* a mid-field '*' of the region stays in its field */
    {"arn:aws:ecs:us-*-1:*:*", "arn:aws:ecs:us-east-1:1:cluster/x", 1},
    {"arn:aws:ecs:us-*-1:*:*", "arn:aws:ecs:*:1:cluster/x", 0},
    {"arn:aws:ecs:*:*:*", "arn:aws:ecs:us-*-1:1:cluster/x", 1},
    /* a field-final '*' may run past ':' */
    {"arn:aws:ecs:*", "arn:aws:ecs:us-east-1:1:cluster/x", 1},
    {"arn:aws:ecs:*:cluster/*", "arn:aws:ecs:us-east-1:1:cluster/x", 1},
    {"arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:role/app-*", 1},
    {"arn:aws:iam::*:role/app-*", "arn:aws:iam::*:role/*", 0},
};

START_TEST(test_cover_resources) {
  int r = covers(resource0, resource_cover[_i].b, resource_cover[_i].a);
  ck_assert_msg(r == resource_cover[_i].want, "%s covers %s: got %d", resource_cover[_i].b,
                resource_cover[_i].a, r);
}
END_TEST

START_TEST(test_overlap_cases) {
  ck_assert_int_eq(overlaps(resource0, "arn:aws:s3:::b/*", "arn:aws:s3:::*/x"), 1);
  ck_assert_int_eq(overlaps(resource0, "arn:aws:s3:::b/*", "arn:aws:s3:::c/*"), 0);
  /* the account field's final '*' may run past ':': ...:1:task/a:cluster/b matches both */
  ck_assert_int_eq(
      overlaps(resource0, "arn:aws:ecs:*:*:cluster/*", "arn:aws:ecs:us-east-1:1:task/*"), 1);
  ck_assert_int_eq(overlaps(resource0, "arn:aws:ecs:*:*:cluster/*", "arn:aws:s3:::b/*"), 0);
  ck_assert_int_eq(overlaps(resource0, "*", "arn:aws:ecs:us-east-1:1:task/*"), 1);
  ck_assert_int_eq(overlaps(resource0, "arn:aws:ecs:us-*:*:*", "arn:aws:ecs:*-1:1:task/*"), 1);
  ck_assert_int_eq(overlaps(iam_glob_codes_action, "ecs:run*", "ecs:*task"), 1);
  ck_assert_int_eq(overlaps(iam_glob_codes_action, "ecs:run*", "ecs:stop*"), 0);
  /* '?' against non-ASCII text is not decided */
  ck_assert_int_eq(overlaps(iam_glob_codes_like, "\xc3\xa9", "?"), IAM_COVER_UNKNOWN);
  ck_assert_int_eq(covers(iam_glob_codes_like, "?*", "\xc3\xa9*"), IAM_COVER_UNKNOWN);
}
END_TEST

START_TEST(test_cover_budget) {
  /* many stars in b: the subsets stay few; a long pattern still decides */
  char b[200], a[200];
  memset(b, 0, sizeof b);
  memset(a, 0, sizeof a);
  for (int i = 0; i < 60; i++) {
    b[2 * i] = '*';
    b[2 * i + 1] = (char)('a' + i % 2);
    a[i] = (char)('a' + i % 2);
  }
  a[60] = '*';
  int r = covers(iam_glob_codes_like, b, a);
  ck_assert(r == 0 || r == IAM_COVER_UNKNOWN);
  ck_assert_int_eq(covers(iam_glob_codes_like, "*", b), 1);
}
END_TEST

/* ---- brute force -------------------------------------------------------------- */

static unsigned rng = 12345;
static unsigned next_rand(void) {
  rng = rng * 1103515245u + 12345u;
  return rng >> 16;
}

static void random_pattern(char *p, int max) {
  static const char chars[] = "ab:*?";
  int n = (int)(next_rand() % (unsigned)(max + 1));
  for (int i = 0; i < n; i++) p[i] = chars[next_rand() % 5];
  p[n] = 0;
}

/* Every text over {a, b, :, x} up to length 6: 1 if a's texts are all b's, and
** whether some text is matched by both. */
static void brute(Compile c, const char *b, const char *a, int *cov, int *ovl) {
  static const char al[] = "ab:x";
  char t[8];
  IamGlobCode cb[16], ca[16];
  c(cb, b, strlen(b));
  c(ca, a, strlen(a));
  *cov = 1;
  *ovl = 0;
  for (int len = 0; len <= 6; len++) {
    int total = 1;
    for (int k = 0; k < len; k++) total *= 4;
    for (int x = 0; x < total; x++) {
      int v = x;
      for (int k = 0; k < len; k++, v /= 4) t[k] = al[v % 4];
      int ma = iam_glob_match_codes_short(ca, (uint32_t)strlen(a), t, (size_t)len);
      int mb = iam_glob_match_codes_short(cb, (uint32_t)strlen(b), t, (size_t)len);
      if (ma && !mb) *cov = 0;
      if (ma && mb) *ovl = 1;
    }
  }
}

START_TEST(test_cover_brute_force) {
  Compile compilers[2] = {iam_glob_codes_like, resource0};
  for (int round = 0; round < 3000; round++) {
    char a[8], b[8];
    random_pattern(a, 4);
    random_pattern(b, 4);
    Compile c = compilers[round % 2];
    int cov, ovl;
    brute(c, b, a, &cov, &ovl);
    int r = covers(c, b, a), o = overlaps(c, a, b);
    /* brute force sees texts up to 6 characters: a "no" it finds is certain,
    ** and for patterns of 4 codes a counterexample, if any, is that short */
    ck_assert_msg(r == cov, "covers('%s', '%s') = %d, brute force %d (%s)", b, a, r, cov,
                  round % 2 ? "resource" : "like");
    ck_assert_msg(o == ovl, "overlaps('%s', '%s') = %d, brute force %d (%s)", a, b, o, ovl,
                  round % 2 ? "resource" : "like");
  }
}
END_TEST

Suite *cover_suite(void) {
  Suite *s = suite_create("cover");
  TCase *tc = tcase_create("cover");
  tcase_add_loop_test(tc, test_cover_actions, 0, sizeof action_cover / sizeof action_cover[0]);
  tcase_add_loop_test(tc, test_cover_resources, 0,
                      sizeof resource_cover / sizeof resource_cover[0]);
  tcase_add_test(tc, test_overlap_cases);
  tcase_add_test(tc, test_cover_budget);
  tcase_add_test(tc, test_cover_brute_force);
  suite_add_tcase(s, tc);
  return s;
}
