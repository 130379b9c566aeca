/* SPDX-License-Identifier: MIT */
/* Decisions: Deny > Allow > implicit deny, and the condition rules of
** ext/core/SEMANTICS.md ("One condition entry", "Set qualifiers"),
** through the core API (the SQL surface and the conformance corpus test the rest). */
#include <string.h>

#include "check_iam.h"
#include "iam_eval.h"
#include "iam_mem.h"

static IamDecision decide(const char *policy, const char *action, const char *resource,
                          const char *ctxjson, int *decider) {
  IamPolicy *p;
  IamCtx *c = NULL;
  IamError err;
  IamDecision d;
  ck_assert_msg(iam_policy_parse(policy, strlen(policy), 0, &p, &err) == IAM_OK, "%s", err.msg);
  if (ctxjson)
    ck_assert_msg(iam_ctx_parse(ctxjson, strlen(ctxjson), &c, &err) == IAM_OK, "%s", err.msg);
  IamRequest r = {action,           strlen(action),          resource,
                  strlen(resource), c ? c : iam_ctx_empty(), NULL};
  ck_assert_int_eq(iam_eval(p, &r, &d, decider), IAM_OK);
  iam_free(p);
  iam_free(c);
  return d;
}

#define ALLOW_ALL "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"
#define COND(op, body)                                                                             \
  "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":" \
  "\"*\",\"Condition\":{\"" op "\":" body "}}}"

static const struct {
  const char *policy, *ctx;
  IamDecision want;
} rows[] = {
    {"{\"Statement\":[" ALLOW_ALL "]}", NULL, IAM_ALLOW},
    {"[]", NULL, IAM_IMPLICIT_DENY},
    {"{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"ecs:*\",\"Resource\":\"*\"}," ALLOW_ALL
     "]}",
     NULL, IAM_EXPLICIT_DENY},
    {"{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}," ALLOW_ALL
     "]}",
     NULL, IAM_ALLOW},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"ecs:*\",\"Resource\":\"*\"}]}", NULL,
     IAM_IMPLICIT_DENY},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotResource\":\"arn:aws:ecs:*:*:"
     "cluster/*\"}]}",
     NULL, IAM_IMPLICIT_DENY},
    {COND("StringEquals", "{\"k\":[\"a\",\"b\"]}"), "{\"K\":\"b\"}", IAM_ALLOW},
    {COND("StringEquals", "{\"k\":\"a\"}"), "{}", IAM_IMPLICIT_DENY},
    {COND("StringNotEquals", "{\"k\":\"a\"}"), "{}", IAM_ALLOW},
    {COND("StringNotEquals", "{\"k\":[\"a\",\"b\"]}"), "{\"k\":\"b\"}", IAM_IMPLICIT_DENY},
    {COND("StringEqualsIfExists", "{\"k\":\"a\"}"), "{}", IAM_ALLOW},
    {COND("StringEquals", "{\"k\":\"a\"}"), "{\"k\":[\"a\"]}", IAM_IMPLICIT_DENY},
    {COND("ForAllValues:StringEquals", "{\"k\":[\"a\",\"b\"]}"), "{}", IAM_ALLOW},
    {COND("ForAllValues:StringEquals", "{\"k\":[\"a\",\"b\"]}"), "{\"k\":[\"a\",\"c\"]}",
     IAM_IMPLICIT_DENY},
    {COND("ForAnyValue:StringNotEquals", "{\"k\":\"a\"}"), "{}", IAM_IMPLICIT_DENY},
    {COND("ForAnyValue:StringEqualsIfExists", "{\"k\":\"a\"}"), "{}", IAM_ALLOW},
    {COND("Null", "{\"k\":\"true\"}"), "{}", IAM_ALLOW},
    {COND("Null", "{\"k\":false}"), "{\"k\":\"\"}", IAM_ALLOW},
    {COND("ForAnyValue:Null", "{\"k\":\"true\"}"), "{}", IAM_IMPLICIT_DENY},
    {COND("NumericNotEquals", "{\"k\":\"12\"}"), "{\"k\":\"abc\"}", IAM_IMPLICIT_DENY},
    {COND("NumericEquals", "{\"k\":512}"), "{\"k\":\"512.0\"}", IAM_ALLOW},
    {COND("DateGreaterThan", "{\"k\":\"2023-11-14T22:13:20Z\"}"), "{\"k\":\"1710000000\"}",
     IAM_ALLOW},
    {COND("Bool", "{\"k\":true}"), "{\"k\":\"TRUE\"}", IAM_ALLOW},
    {COND("IpAddress", "{\"k\":\"203.0.113.77/24\"}"), "{\"k\":\"203.0.113.5\"}", IAM_ALLOW},
    {COND("NotIpAddress", "{\"k\":\"10.0.0.0/8\"}"), "{\"k\":\"2001:db8::1\"}", IAM_ALLOW},
    {COND("ArnLike", "{\"k\":\"arn:aws:ecs:*:1:task/*\"}"), "{\"k\":\"arn:aws:ecs:r:1:task/c/1\"}",
     IAM_ALLOW},
    {COND("StringEquals", "{\"k\":\"${aws:x}\"}"), "{\"k\":\"v\"}", IAM_IMPLICIT_DENY},
    {COND("StringNotEquals", "{\"k\":\"${aws:x}\"}"), "{\"k\":\"v\"}", IAM_ALLOW},
    {COND("StringLike", "{\"k\":\"a${*}b\"}"), "{\"k\":\"axxb\"}", IAM_IMPLICIT_DENY},
    {COND("StringLike", "{\"k\":[]}"), "{\"k\":\"a\"}", IAM_IMPLICIT_DENY},
    {COND("StringNotLike", "{\"k\":[]}"), "{\"k\":\"a\"}", IAM_ALLOW},
    {COND("BinaryEquals", "{\"k\":\"QQ==\"}"), "{\"k\":\"QQ\"}", IAM_ALLOW},
};

START_TEST(test_eval_rows) {
  int decider;
  IamDecision d =
      decide(rows[_i].policy, "ecs:RunTask", "arn:aws:ecs:r:1:cluster/x", rows[_i].ctx, &decider);
  ck_assert_msg(d == rows[_i].want, "row %d: got %s", _i, iam_decision_name(d));
}
END_TEST

START_TEST(test_eval_decider) {
  int decider;
  const char *p = "{\"Statement\":[" ALLOW_ALL
                  ",{\"Effect\":\"Deny\",\"Action\":\"ecs:Run*\",\"Resource\":\"*\"}]}";
  ck_assert_int_eq(decide(p, "ecs:RunTask", "*", NULL, &decider), IAM_EXPLICIT_DENY);
  ck_assert_int_eq(decider, 1);
  ck_assert_int_eq(decide(p, "ecs:StopTask", "*", NULL, &decider), IAM_ALLOW);
  ck_assert_int_eq(decider, 0);
}
END_TEST

START_TEST(test_eval_request_check) {
  IamError err;
  ck_assert_int_eq(iam_request_check("ecs:RunTask", 11, NULL, 0, &err), IAM_OK);
  ck_assert_int_eq(iam_request_check("ecsRunTask", 10, NULL, 0, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "action 'ecsRunTask' is not shaped 'service:Name'");
  ck_assert_int_eq(iam_request_check(":RunTask", 8, NULL, 0, &err), IAM_EINVAL);
  ck_assert_int_eq(iam_request_check("ecs:", 4, NULL, 0, &err), IAM_EINVAL);
  /* NUL bytes, invalid UTF-8 and over-long values, in the action and in the resource */
  ck_assert_int_eq(iam_request_check("s3:A\0x", 6, NULL, 0, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "action contains a NUL byte at byte 4");
  ck_assert_int_eq(iam_request_check("s3:A", 4, "arn:\0", 5, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "resource contains a NUL byte at byte 4");
  ck_assert_int_eq(iam_request_check("s3:\xc0\xaf", 5, NULL, 0, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "action is not valid UTF-8 at byte 3");
  ck_assert_int_eq(iam_request_check(NULL, 0, "arn:\xed\xa0\x80", 7, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "resource is not valid UTF-8 at byte 4");
  ck_assert_int_eq(iam_request_check("s3:\xe2\x82\xac", 6, "\xf0\x9f\x98\x80", 4, &err), IAM_OK);
  static char big[IAM_MAX_RESOURCE_BYTES + 1];
  memset(big, 'a', sizeof big);
  big[2] = ':';
  ck_assert_int_eq(iam_request_check(big, IAM_MAX_ACTION_BYTES, big, IAM_MAX_RESOURCE_BYTES, &err),
                   IAM_OK);
  ck_assert_int_eq(iam_request_check(big, IAM_MAX_ACTION_BYTES + 1, NULL, 0, &err), IAM_ELIMIT);
  ck_assert_int_eq(iam_request_check(NULL, 0, big, IAM_MAX_RESOURCE_BYTES + 1, &err), IAM_ELIMIT);
  ck_assert_str_eq(err.msg, "resource is 4097 bytes, over the limit of 4096");
}
END_TEST

/* Long request values take the heap path; a failed allocation is reported, never a decision. */
START_TEST(test_eval_alloc) {
  const char *p =
      "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:s?:::b*\"}]}";
  IamPolicy *pol;
  IamError err;
  IamDecision d;
  char res[3000];
  memset(res, 'a', sizeof res);
  memcpy(res, "arn:aws:s3:::b", 14);
  res[sizeof res - 1] = 0;
  ck_assert_int_eq(iam_policy_parse(p, strlen(p), 0, &pol, &err), IAM_OK);
  IamRequest r = {"s3:GetObject", 12, res, strlen(res), iam_ctx_empty(), NULL};
  iam_mem_fail_at(0);
  ck_assert_int_eq(iam_eval(pol, &r, &d, NULL), IAM_ENOMEM);
  ck_assert_int_eq(d, IAM_IMPLICIT_DENY);
  iam_mem_fail_at(-1);
  ck_assert_int_eq(iam_eval(pol, &r, &d, NULL), IAM_OK);
  iam_free(pol);
}
END_TEST

Suite *eval_suite(void) {
  Suite *s = suite_create("eval");
  TCase *tc = tcase_create("decision");
  tcase_add_loop_test(tc, test_eval_rows, 0, sizeof rows / sizeof rows[0]);
  tcase_add_test(tc, test_eval_decider);
  tcase_add_test(tc, test_eval_request_check);
  suite_add_tcase(s, tc);
  tc = tcase_create("alloc");
  tcase_add_test(tc, test_eval_alloc);
  suite_add_tcase(s, tc);
  return s;
}
