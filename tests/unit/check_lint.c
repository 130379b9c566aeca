/* SPDX-License-Identifier: MIT */
/* The linter, without SQLite: codes on a rich document with an in-memory
** catalog, agreement with the parser, the limits, and clean failure at
** every allocation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_iam.h"
#include "fake_catalog.h"
#include "iam_lint.h"
#include "iam_mem.h"
#include "iam_policy.h"

static IamLintReport *lint(const char *text, const char *type, int with_catalog) {
  IamLintOptions o;
  IamLintReport *r = NULL;
  memset(&o, 0, sizeof o);
  if (type) ck_assert(iam_policy_type_parse(type, strlen(type), &o.type));
  if (with_catalog) {
    o.catalog = &fake_catalog;
    o.lists = &fake_lists;
  }
  ck_assert_int_eq(iam_lint(text, strlen(text), &o, &r), IAM_OK);
  return r;
}

static int count_code(const IamLintReport *r, const char *code) {
  int n = 0;
  for (uint32_t i = 0; i < iam_lint_count(r); i++) n += !strcmp(iam_lint_finding(r, i)->code, code);
  return n;
}

static int count_errors(const IamLintReport *r) {
  int n = 0;
  for (uint32_t i = 0; i < iam_lint_count(r); i++)
    n += iam_lint_finding(r, i)->severity == IAM_LINT_ERROR;
  return n;
}

static const char *rich =
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:Get*\",\"s3:GetObjekt\","
    "\"s4:GetObject\",\"iam:PassRole\",\"ec2:RunInstances\",\"iam:CreateAccessKey\"],"
    "\"Resource\":[\"*\",\"arn:aws:s3:::secrets/*\"],\"Condition\":{\"ForAllValues:StringEquals\":"
    "{\"aws:username\":\"a\"},\"IpAddress\":{\"aws:VpcSourceIp\":\"10.0.0.0/8\"},"
    "\"StringEquals\":{\"s3:ExistingObjectTag/team\":\"web*\"}}},"
    "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:PutBucketPolicy\",\"Resource\":"
    "\"arn:aws:s3:::b/*\"},"
    "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b\"},"
    "{\"Effect\":\"Allow\",\"NotAction\":\"s3:*\",\"NotResource\":\"arn:aws:s3:::x/"
    "${aws:username}\"}]}";

START_TEST(test_lint_codes) {
  IamLintReport *r = lint(rich, NULL, 1);
  static const char *const want[] = {"REDUNDANT_ACTION",
                                     "UNKNOWN_ACTION",
                                     "UNKNOWN_PREFIX",
                                     "PASS_ROLE_WITH_STAR_IN_RESOURCE",
                                     "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                                     "MISSING_PAIRED_CONDITION_KEYS",
                                     "WILDCARD_WITHOUT_LIKE_OPERATOR",
                                     "DUPLICATE_SID",
                                     "PRIVILEGE_ESCALATION",
                                     "CREDENTIALS_EXPOSURE",
                                     "SENSITIVE_ACCESS",
                                     "RESOURCE_MISMATCH",
                                     "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
                                     "ALLOW_WITH_NOT_ACTION",
                                     "NOTRESOURCE_WITH_ALLOW",
                                     "UNRESOLVABLE_VARIABLE_IN_NOTRESOURCE",
                                     "RESOURCE_STAR",
                                     "PERMISSIONS_MANAGEMENT_ACTIONS"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    ck_assert_msg(count_code(r, want[i]) > 0, "no %s", want[i]);
  ck_assert_int_eq(count_errors(r), 0);
  ck_assert_int_eq(count_code(r, "DATA_CHECKS_SKIPPED"), 0);
  /* document order: statement indexes never decrease */
  int32_t last = -1;
  for (uint32_t i = 0; i < iam_lint_count(r); i++) {
    const IamLintFinding *f = iam_lint_finding(r, i);
    ck_assert(f->code && f->msg && f->path);
    ck_assert(f->severity <= IAM_LINT_SUGGESTION);
    ck_assert_int_ge(f->stmt, last);
    last = f->stmt;
  }
  iam_lint_free(r);
  /* without the catalog: one row says what was skipped */
  r = lint(rich, NULL, 0);
  ck_assert_int_eq(count_code(r, "DATA_CHECKS_SKIPPED"), 1);
  ck_assert_int_eq(count_code(r, "UNKNOWN_PREFIX"), 0);
  iam_lint_free(r);
}
END_TEST

/* An error finding exactly when the parser rejects the text, found by the walk. */
static const struct {
  const char *type, *json;
} texts[] = {
    {NULL, "{\"Statement\":[]}"},
    {NULL, "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\"}]}"},
    {NULL, "[{\"Statement\":[]},{\"Statement\":{}}]"},
    {NULL, "{\"identity\":[],\"boundary\":null}"},
    {NULL, "{\"identity\":[],\"boundary\":null,\"x\":1}"},
    {NULL, "{\"principal\":\"anonymous\",\"resource_policy\":{\"Statement\":[]}}"},
    {NULL, "{\"principal\":\"arn:aws:iam::111122223333:root\",\"session\":{\"Statement\":[]}}"},
    {NULL,
     "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\","
     "\"Condition\":{\"StringEquals\":{\"k\":{}}}}}"},
    {NULL, "{\"Version\":\"2012-10-17\",\"Id\":null,\"Statement\":[]}"},
    {"resource", "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\"}}"},
    {"resource", "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"},
    {"scp", "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}}"},
    {"rcp",
     "{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"*\","
     "\"Resource\":\"*\"}}"},
    {"endpoint",
     "[{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\","
     "\"Resource\":\"*\"}},7]"},
};

START_TEST(test_lint_agrees_with_parser) {
  IamPolicyType t;
  IamPolicy *p = NULL;
  IamError err;
  const char *json = texts[_i].json;
  memset(&t, 0, sizeof t);
  if (texts[_i].type) iam_policy_type_parse(texts[_i].type, strlen(texts[_i].type), &t);
  int rc = iam_policy_parse(json, strlen(json), iam_policy_type_flags(&t), &p, &err);
  if (rc == IAM_OK) iam_free(p);
  IamLintReport *r = lint(json, texts[_i].type, 1);
  ck_assert_msg((count_errors(r) > 0) == (rc != IAM_OK), "%s: parser %d, %d errors", json, rc,
                count_errors(r));
  if (rc != IAM_OK) {
    char fallback[IAM_ERROR_MAX + 2];
    snprintf(fallback, sizeof fallback, "%s.", err.msg);
    for (uint32_t i = 0; i < iam_lint_count(r); i++)
      ck_assert_msg(strcmp(iam_lint_finding(r, i)->msg, fallback) != 0,
                    "%s: only the parser found it", json);
  }
  iam_lint_free(r);
}
END_TEST

START_TEST(test_lint_limits) {
  /* more statements than the limit: one error, and the walk stops */
  size_t n = 16385, len = 0;
  const char *st = "{\"Effect\":\"Allow\",\"Action\":\"s3:x\",\"Resource\":\"*\"},";
  char *text = malloc(n * strlen(st) + 64);
  ck_assert_ptr_nonnull(text);
  len += (size_t)sprintf(text, "{\"Statement\":[");
  for (size_t i = 0; i < n; i++) len += (size_t)sprintf(text + len, "%s", st);
  sprintf(text + len - 1, "]}");
  IamLintReport *r = lint(text, NULL, 0);
  ck_assert_int_eq(count_errors(r), 1);
  ck_assert_int_eq(count_code(r, "MALFORMED"), 1);
  iam_lint_free(r);
  free(text);
  /* more patterns than the limit */
  n = 65537;
  text = malloc(n * 8 + 128);
  ck_assert_ptr_nonnull(text);
  len =
      (size_t)sprintf(text, "{\"Statement\":{\"Effect\":\"Allow\",\"Resource\":\"*\",\"Action\":[");
  for (size_t i = 0; i < n; i++) len += (size_t)sprintf(text + len, "\"a:b\",");
  sprintf(text + len - 1, "]}}");
  r = lint(text, NULL, 1);
  ck_assert_int_eq(count_errors(r), 1);
  iam_lint_free(r);
  free(text);
}
END_TEST

/* Expat-style: fail the i-th allocation for every i until linting succeeds. */
START_TEST(test_lint_alloc) {
  const char *texts2[] = {rich, "{\"Statement\":[", "{\"principal\":\"x\",\"scps\":[[7]]}"};
  for (size_t t = 0; t < sizeof texts2 / sizeof texts2[0]; t++) {
    int done = 0, i;
    for (i = 0; i < 5000 && !done; i++) {
      IamLintOptions o;
      IamLintReport *r = NULL;
      memset(&o, 0, sizeof o);
      o.catalog = &fake_catalog;
      o.lists = &fake_lists;
      iam_mem_fail_at(i);
      int rc = iam_lint(texts2[t], strlen(texts2[t]), &o, &r);
      iam_mem_fail_at(-1);
      if (rc == IAM_OK) {
        done = 1;
        ck_assert_int_gt(iam_lint_count(r), 0);
        iam_lint_free(r);
      } else {
        ck_assert_int_eq(rc, IAM_ENOMEM);
        ck_assert_ptr_null(r);
      }
    }
    ck_assert_msg(done, "text %zu never succeeded", t);
  }
}
END_TEST

Suite *lint_suite(void) {
  Suite *s = suite_create("lint");
  TCase *tc = tcase_create("lint");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_lint_codes);
  tcase_add_loop_test(tc, test_lint_agrees_with_parser, 0, sizeof texts / sizeof texts[0]);
  tcase_add_test(tc, test_lint_limits);
  suite_add_tcase(s, tc);
  tc = tcase_create("alloc");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_lint_alloc);
  suite_add_tcase(s, tc);
  return s;
}
