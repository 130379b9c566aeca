/* SPDX-License-Identifier: MIT */
/* Explanations (iam_explain.h): per-statement verdicts, the deciding
** statement, reasons in words, missing context keys, allocation failures.
** The SQL goldens (tests/sql/tvf_explain.sql) show the same through
** iam_explain(); explain_check.sh compares decisions over the corpus. */
#include <stdio.h>
#include <string.h>

#include "check_iam.h"
#include "iam_explain.h"
#include "iam_mem.h"

#define OUT_MAX 1024

typedef struct Out {
  char text[OUT_MAX];
} Out;

static void to_out(void *arg, const char *s, size_t n) { strncat(((Out *)arg)->text, s, n); }

typedef struct Fixture {
  IamPolicy *p;
  IamCtx *ctx;
  IamExplain x;
} Fixture;

static void begin(Fixture *f, const char *policy, const char *action, const char *resource,
                  const char *ctxjson) {
  IamError err;
  ck_assert_msg(iam_policy_parse(policy, strlen(policy), 0, &f->p, &err) == IAM_OK, "%s", err.msg);
  ck_assert_msg(iam_ctx_parse(ctxjson, strlen(ctxjson), &f->ctx, &err) == IAM_OK, "%s", err.msg);
  IamRequest r = {action, strlen(action), resource, strlen(resource), f->ctx, NULL};
  ck_assert_int_eq(iam_explain_begin(&f->x, f->p, &r), IAM_OK);
}

static void end(Fixture *f) {
  iam_explain_end(&f->x);
  iam_free(f->p);
  iam_free(f->ctx);
}

/* Row i's reason ("" when it applies) and missing keys. */
static void explain(Fixture *f, uint32_t i, IamExplainRow *row, Out *reason, Out *missing) {
  IamSink rs = {to_out, reason}, ms = {to_out, missing};
  reason->text[0] = missing->text[0] = 0;
  ck_assert_int_eq(iam_explain_row(&f->x, i, row), IAM_OK);
  ck_assert_int_eq(iam_explain_reason(&f->x, i, row, &rs), IAM_OK);
  ck_assert_int_eq(iam_explain_missing_keys(&f->x, i, &ms), IAM_OK);
}

static const char three[] =
    "[{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\"},"
    "{\"Effect\":\"Allow\",\"NotAction\":\"ecs:*\",\"Resource\":\"*\"}]},"
    "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"ecs:RunTask\","
    "\"NotResource\":[\"arn:aws:ecs:*:*:task-definition/web:*\"]}},"
    "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"ecs:*\",\"Resource\":\"*\"}}]";

START_TEST(test_explain_rows) {
  Fixture f;
  IamExplainRow row;
  Out reason, missing;
  begin(&f, three, "ecs:RunTask", "arn:aws:ecs:us-east-1:1:task-definition/web:3", "{}");
  ck_assert_int_eq(f.x.decision, IAM_EXPLICIT_DENY);
  ck_assert_int_eq(f.x.decider, 3);
  explain(&f, 0, &row, &reason, &missing);
  ck_assert_int_eq(row.applies, 1);
  ck_assert_int_eq(row.decisive, 0);
  ck_assert_str_eq(reason.text, "");
  explain(&f, 1, &row, &reason, &missing);
  ck_assert_int_eq(row.v.action, 0);
  ck_assert_int_eq(row.v.resource, 1); /* every part is evaluated */
  ck_assert_str_eq(reason.text, "NotAction: 'ecs:RunTask' matches 'ecs:*'");
  explain(&f, 2, &row, &reason, &missing);
  ck_assert_int_eq(row.v.action, 1);
  ck_assert_int_eq(row.v.resource, 0);
  ck_assert_str_eq(reason.text,
                   "NotResource: 'arn:aws:ecs:us-east-1:1:task-definition/web:3' matches "
                   "'arn:aws:ecs:*:*:task-definition/web:*'");
  explain(&f, 3, &row, &reason, &missing);
  ck_assert_int_eq(row.applies, 1);
  ck_assert_int_eq(row.decisive, 1);
  ck_assert_str_eq(missing.text, "[]");
  end(&f);
}
END_TEST

static const struct {
  const char *cond, *ctx, *reason;
} reasons[] = {
    {"{\"StringLike\":{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}}",
     "{\"iam:PassedToService\":\"ec2.amazonaws.com\"}",
     "StringLike iam:PassedToService: 'ec2.amazonaws.com' matches none of "
     "['ecs-tasks.amazonaws.com']"},
    {"{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"team\",\"env\"]}}",
     "{\"aws:TagKeys\":[\"team\",\"owner\"]}",
     "ForAllValues:StringEquals aws:TagKeys: 'owner' matches none of ['team', 'env']"},
    {"{\"ForAnyValue:StringLike\":{\"aws:TagKeys\":[\"env*\",\"cost*\"]}}", "{\"aws:TagKeys\":[]}",
     "ForAnyValue:StringLike aws:TagKeys: the request has an empty list of values"},
    {"{\"NumericLessThanEquals\":{\"s3:max-keys\":\"100\"}}", "{\"s3:max-keys\":\"lots\"}",
     "NumericLessThanEquals s3:max-keys: request value 'lots' is not a number"},
    {"{\"StringNotEquals\":{\"aws:ResourceTag/team\":[\"web\",\"ops\"]}}",
     "{\"aws:resourcetag/TEAM\":\"web\"}",
     "StringNotEquals aws:ResourceTag/team: 'web' matches 'web'"},
    {"{\"StringEquals\":{\"k\":\"v\"}}", "{\"k\":[\"v\"]}",
     "StringEquals k: the request has a list of values ['v']; without ForAnyValue/ForAllValues "
     "the operator needs one value"},
    {"{\"Null\":{\"k\":\"true\"}}", "{\"k\":\"\"}", "Null k: key present in the request"},
    {"{\"DateLessThan\":{\"aws:CurrentTime\":\"2020\"}}", "{}",
     "DateLessThan aws:CurrentTime: key absent from the request"},
    {"{\"StringEquals\":{\"k\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\"]}}",
     "{\"k\":\"0\"}",
     "StringEquals k: '0' matches none of ['1', '2', '3', '4', '5', '6', '7', '8', ... 2 more]"},
};

START_TEST(test_explain_reasons) {
  char policy[512];
  Fixture f;
  IamExplainRow row;
  Out reason, missing;
  snprintf(policy, sizeof policy,
           "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
           "\"Condition\":%s}}",
           reasons[_i].cond);
  begin(&f, policy, "ecs:TagResource", "*", reasons[_i].ctx);
  explain(&f, 0, &row, &reason, &missing);
  ck_assert_int_eq(row.applies, 0);
  ck_assert_int_eq(row.v.failed_cond, 0);
  ck_assert_str_eq(reason.text, reasons[_i].reason);
  end(&f);
}
END_TEST

START_TEST(test_explain_missing_keys) {
  static const char p[] =
      "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iam:*\","
      "\"Resource\":\"arn:aws:iam::*:user/${aws:username}\",\"Condition\":{\"StringEquals\":{"
      "\"aws:PrincipalTag/team\":\"${aws:PrincipalTag/Team}\",\"aws:Username\":\"x\","
      "\"aws:SourceVpc\":\"vpc-1\"}}}}";
  Fixture f;
  IamExplainRow row;
  Out reason, missing;
  begin(&f, p, "iam:GetUser", "arn:aws:iam::1:user/bob", "{\"aws:PrincipalTag/TEAM\":\"web\"}");
  explain(&f, 0, &row, &reason, &missing);
  /* each key once (aws:username and aws:Username are one key), present ones left out */
  ck_assert_str_eq(missing.text, "[\"aws:username\",\"aws:SourceVpc\"]");
  end(&f);
}
END_TEST

START_TEST(test_explain_alloc) {
  static const char p[] =
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
      "{\"ForAllValues:StringEquals\":{\"k\":[\"a\"]},\"StringEquals\":{\"m\":\"x\"}}}]}";
  IamPolicy *pol;
  IamCtx *ctx;
  IamError err;
  ck_assert_int_eq(iam_policy_parse(p, strlen(p), 0, &pol, &err), IAM_OK);
  ck_assert_int_eq(iam_ctx_parse("{\"k\":[\"a\",\"b\"]}", 15, &ctx, &err), IAM_OK);
  IamRequest r = {"s3:GetObject", 12, "*", 1, ctx, NULL};
  int i, done = 0;
  for (i = 0; i < 50 && !done; i++) {
    IamExplain x;
    IamExplainRow row;
    Out reason, missing;
    IamSink rs = {to_out, &reason}, ms = {to_out, &missing};
    reason.text[0] = missing.text[0] = 0;
    iam_mem_fail_at(i);
    int rc = iam_explain_begin(&x, pol, &r);
    if (rc == IAM_OK) {
      if ((rc = iam_explain_row(&x, 0, &row)) == IAM_OK &&
          (rc = iam_explain_reason(&x, 0, &row, &rs)) == IAM_OK)
        rc = iam_explain_missing_keys(&x, 0, &ms);
      iam_explain_end(&x);
    }
    iam_mem_fail_at(-1);
    if (rc == IAM_OK) {
      done = 1;
      ck_assert_str_eq(reason.text, "ForAllValues:StringEquals k: 'b' matches none of ['a']");
      ck_assert_str_eq(missing.text, "[\"m\"]");
    } else {
      ck_assert_int_eq(rc, IAM_ENOMEM);
    }
  }
  ck_assert(done);
  ck_assert_int_gt(i, 1);
  iam_free(pol);
  iam_free(ctx);
}
END_TEST

Suite *explain_suite(void) {
  Suite *s = suite_create("explain");
  TCase *tc = tcase_create("explain");
  tcase_add_test(tc, test_explain_rows);
  tcase_add_loop_test(tc, test_explain_reasons, 0, sizeof reasons / sizeof reasons[0]);
  tcase_add_test(tc, test_explain_missing_keys);
  suite_add_tcase(s, tc);
  tc = tcase_create("alloc");
  tcase_add_test(tc, test_explain_alloc);
  suite_add_tcase(s, tc);
  return s;
}
