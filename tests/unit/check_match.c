/* SPDX-License-Identifier: MIT */
/* Wildcard matching: actions (case folded), Like, Resource field rules, ArnLike. */
#include <stdlib.h>
#include <string.h>

#include "check_iam.h"
#include "iam_match.h"

static int match_with(void (*compile)(IamGlobCode *, const char *, size_t), const char *pat,
                      const char *text) {
  size_t n = strlen(pat);
  IamGlobCode *ops = malloc((n + 1) * sizeof *ops);
  compile(ops, pat, n);
  IamWork w;
  iam_work_init(&w, 0, NULL, NULL);
  int r = iam_glob_match_codes(ops, (uint32_t)n, text, strlen(text), &w);
  free(ops);
  return r;
}

static void ops_resource0(IamGlobCode *ops, const char *s, size_t n) {
  iam_glob_codes_resource(ops, s, n, 0);
}

static const struct {
  const char *pat, *text;
  int want;
} action_rows[] = {
    {"ecs:*", "ecs:runtask", 1},
    {"ecs:*", "ec2:runinstances", 0},
    {"iam:*AccessKey*", "iam:listaccesskeys", 1},
    {"IAM:ListAccessKeys", "iam:listaccesskeys", 1},
    {"ecs:Run?ask", "ecs:runtask", 1},
    {"ecs:Run?ask", "ecs:runttask", 0},
    {"ec*:RunTask", "ecs:runtask", 1},
    {"*", "s3:getobject", 1},
    {"ecs:", "ecs:runtask", 0},
    {"ecs:RunTask*", "ecs:runtask", 1},
    {"ecs:*Task", "ecs:runtask", 1},
    {"ecs:*Task", "ecs:runtasks", 0},
    {"*:*", "a:b", 1},
    {"ecs:${aws:username}", "ecs:${aws:username}", 1},
};

START_TEST(test_match_action) {
  int r = match_with(iam_glob_codes_action, action_rows[_i].pat, action_rows[_i].text);
  ck_assert_msg(r == action_rows[_i].want, "%s ~ %s: got %d", action_rows[_i].pat,
                action_rows[_i].text, r);
}
END_TEST

static const struct {
  const char *pat, *text;
  int want;
} resource_rows[] = {
    {"*", "*", 1},
    {"*", "arn:aws:s3:::b", 1},
    {"arn:aws:s3:::*", "*", 0},
    {"arn:aws:ecs:*:cluster/prod", "arn:aws:ecs:us-east-1:123456789012:cluster/prod", 1},
    {"arn:aws:ecs:*", "arn:aws:ecs:us-east-1:123456789012:task/c/1", 1},
    {"arn:aws:ecs:us-*-1:*:*", "arn:aws:ecs:us-east-1:1:cluster/x", 1},
    {"arn:aws:ecs:us-*-1:*:*", "arn:aws:ecs:us-east:x-1:1:cluster/x", 0},
    {"arn:aws:ecs:?s-east-1:*:*", "arn:aws:ecs:us-east-1:1:x", 1},
    {"arn:aws:ecs:u?:*:*", "arn:aws:ecs:u::1:x", 0},
    {"arn:aws:ecs:*:*:task-definition/web*", "arn:aws:ecs:r:1:task-definition/web:12", 1},
    {"arn:aws:ecs:*:*:*/prod", "arn:aws:ecs:r:1:cluster/prod", 1},
    {"arn:aws:s3:::bkt/*/test/*", "arn:aws:s3:::bkt/1///test///object.jpg", 1},
    {"arn:aws:s3:::bkt/*/test/*", "arn:aws:s3:::bkt//test/x", 1},
    {"arn:aws:s3:::bkt/*/test/*", "arn:aws:s3:::bkt/1-test/object.jpg", 0},
    {"arn:aws:ecs", "arn:aws:ecs:r:1:x", 0},
    {"arn:aws:iam::*:role/Admin", "arn:aws:iam::1:role/admin", 0},
    {"arn:aws:s3:::b/?", "arn:aws:s3:::b/\xc3\xa9", 1},
    {"arn:aws:s3:::b/??", "arn:aws:s3:::b/\xe2\x82\xac", 0},
    {"arn:aws:ecs:*:*:container-instance/prod/*",
     "arn:aws:ecs:r:1:container-instance/3f7e1c2a-0000-4b3c-9d1e-123456789abc", 0},
};

START_TEST(test_match_resource) {
  int r = match_with(ops_resource0, resource_rows[_i].pat, resource_rows[_i].text);
  ck_assert_msg(r == resource_rows[_i].want, "%s ~ %s: got %d", resource_rows[_i].pat,
                resource_rows[_i].text, r);
}
END_TEST

static const struct {
  const char *pat, *text;
  int want;
} like_rows[] = {
    {"", "", 1},
    {"", "a", 0},
    {"a*b", "axxb", 1},
    {"a*b", "a\nb", 1},
    {"?", "\xc3\xa9", 1},
    {"??", "\xc3\xa9", 0},
    {"*??", "\xe2\x82\xac", 0},
    {"te*", "team", 1},
    {"a\\*", "a\\xyz", 1},
    {"*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0},
};

START_TEST(test_match_like) {
  int r = match_with(iam_glob_codes_like, like_rows[_i].pat, like_rows[_i].text);
  ck_assert_msg(r == like_rows[_i].want, "%s ~ %s: got %d", like_rows[_i].pat, like_rows[_i].text,
                r);
}
END_TEST

START_TEST(test_match_arn_like) {
  const char *pat = "arn:aws:someservice:*:111122223333:finance/*";
  IamGlobCode ops[64];
  IamWork w;
  iam_work_init(&w, 0, NULL, NULL);
  iam_glob_codes_like(ops, pat, strlen(pat));
  const char *other =
      "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
  ck_assert_int_eq(iam_glob_arn_like(ops, (uint32_t)strlen(pat), other, strlen(other), &w), 0);
  const char *mine = "arn:aws:someservice:us-east-2:111122223333:finance/x:y";
  ck_assert_int_eq(iam_glob_arn_like(ops, (uint32_t)strlen(pat), mine, strlen(mine), &w), 1);
  ck_assert_int_eq(iam_glob_arn_like(ops, (uint32_t)strlen(pat), "arn:aws:x", 9, &w), 2); /* fail */
}
END_TEST

/* Worst cases stay linear-ish: 10,000-character patterns against 10,000 characters. */
START_TEST(test_match_pathological) {
  size_t n = 10000;
  char *pat = malloc(n + 1), *text = malloc(n + 1);
  for (size_t i = 0; i < n; i++) pat[i] = (i % 2) ? 'a' : '*';
  pat[n - 1] = 'b';
  pat[n] = 0;
  memset(text, 'a', n);
  text[n] = 0;
  ck_assert_int_eq(match_with(iam_glob_codes_like, pat, text), 0);
  /* restricted wildcards go through the DP matcher */
  memcpy(pat, "arn:", 4);
  ck_assert_int_eq(match_with(ops_resource0, pat, text), 0);
  free(pat);
  free(text);
}
END_TEST

Suite *match_suite(void) {
  Suite *s = suite_create("match");
  TCase *tc = tcase_create("action");
  tcase_add_loop_test(tc, test_match_action, 0, sizeof action_rows / sizeof action_rows[0]);
  suite_add_tcase(s, tc);
  tc = tcase_create("resource");
  tcase_add_loop_test(tc, test_match_resource, 0, sizeof resource_rows / sizeof resource_rows[0]);
  suite_add_tcase(s, tc);
  tc = tcase_create("like");
  tcase_add_loop_test(tc, test_match_like, 0, sizeof like_rows / sizeof like_rows[0]);
  tcase_add_test(tc, test_match_arn_like);
  suite_add_tcase(s, tc);
  tc = tcase_create("limits");
  tcase_set_timeout(tc, 10);
  tcase_add_test(tc, test_match_pathological);
  suite_add_tcase(s, tc);
  return s;
}
