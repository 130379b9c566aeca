/* SPDX-License-Identifier: MIT */
/* Policy grammar: what parses, the error text and location for what does not,
** and clean failure at every allocation. */
#include <string.h>

#include "check_iam.h"
#include "iam_mem.h"
#include "iam_policy.h"

static int parse(const char *json, IamPolicy **p, IamError *err) {
  err->msg[0] = 0;
  return iam_policy_parse(json, strlen(json), 0, p, err);
}

static const struct {
  const char *json;
  int rc;
  const char *msg; /* expected error text (IAM_OK: NULL) */
} rows[] = {
    {"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"ecs:*\","
     "\"Resource\":\"*\"}}",
     IAM_OK, NULL},
    {"[]", IAM_OK, NULL},
    {"{\"Statement\":[]}", IAM_OK, NULL},
    {"{\"Statement\":[", IAM_EPARSE, "malformed policy JSON: unexpected end of input"},
    {"{\"Statement\":[}", IAM_EPARSE, "malformed policy JSON at byte 14"},
    {"42", IAM_EINVAL, "policy must be a JSON object or an array of objects, not a number"},
    {"[1]", IAM_EINVAL, "policy[0].document must be a JSON object, not a number"},
    {"{\"Version\":\"2012-10-18\",\"Statement\":[]}", IAM_EINVAL,
     "Version: must be \"2012-10-17\" or \"2008-10-17\", not '2012-10-18'"},
    {"{\"Statements\":[]}", IAM_EINVAL, "unknown policy element 'Statements'"},
    {"{\"Version\":\"2012-10-17\"}", IAM_EINVAL, "Statement: missing"},
    {"{\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"a:b\",\"Resource\":\"*\"}]}", IAM_EINVAL,
     "Statement[0].Effect: must be \"Allow\" or \"Deny\""},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"NotAction\":\"c:d\",\"Resource\":"
     "\"*\"}]}",
     IAM_EINVAL, "Statement[0]: needs exactly one of Action and NotAction"},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\"}]}", IAM_EINVAL,
     "Statement[0]: needs exactly one of Resource and NotResource"},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"a:b\",7],\"Resource\":\"*\"}]}",
     IAM_EINVAL, "Statement[0].Action[1]: must be a string, not a number"},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"a:b\",\"Resource\":\"*"
     "\"}]}",
     IAM_EINVAL, "Statement[0]: Principal is not allowed in an identity policy"},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"Effect\":\"Deny\",\"Action\":\"a:b\",\"Resource\":\"*"
     "\"}]}",
     IAM_EINVAL, "Statement[0]: duplicate member 'Effect'"},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\",\"Condition\":{"
     "\"StringEqualz\":{\"k\":\"v\"}}}]}",
     IAM_EINVAL, "Statement[0].Condition: unknown operator 'StringEqualz'"},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\",\"Condition\":{"
     "\"NullIfExists\":{\"k\":\"true\"}}}]}",
     IAM_EINVAL, "Statement[0].Condition: 'NullIfExists' is not allowed: Null takes no IfExists"},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\",\"Condition\":{"
     "\"StringEquals\":{\"k\":\"v\",\"K\":\"w\"}}}]}",
     IAM_EINVAL, "Statement[0].Condition.StringEquals: keys 'k' and 'K' differ only in case"},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\",\"Condition\":{"
     "\"StringEquals\":{\"k\":[\"v\",null]}}}]}",
     IAM_EINVAL,
     "Statement[0].Condition.StringEquals.k[1]: must be a string, number or boolean, not null"},
    {"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\",\"Condition\":{"
     "\"StringEquals\":\"x\"}}]}",
     IAM_EINVAL,
     "Statement[0].Condition.StringEquals: must be an object of condition keys, not a string"},
    {"[{\"Statement\":[]},{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*"
     "\",\"Foo\":1}}]",
     IAM_EINVAL, "policy[1].Statement: unknown statement element 'Foo'"},
    {"{\"Statement\":[],\"x\":\"\\u0000\"}", IAM_EPARSE,
     "policy contains a \\u0000 escape at byte 21"},
    {"{\"Statement\":[],\"Id\":\"\xff\"}", IAM_EPARSE, "policy is not valid UTF-8 at byte 22"},
};

START_TEST(test_policy_grammar) {
  IamPolicy *p = NULL;
  IamError err;
  int rc = parse(rows[_i].json, &p, &err);
  ck_assert_msg(rc == rows[_i].rc, "row %d: rc %d (%s)", _i, rc, err.msg);
  if (rc == IAM_OK) {
    ck_assert_ptr_nonnull(p);
    iam_free(p);
  } else {
    ck_assert_ptr_null(p);
    ck_assert_str_eq(err.msg, rows[_i].msg);
  }
}
END_TEST

START_TEST(test_policy_model) {
  IamPolicy *p;
  IamError err;
  const char *json =
      "[{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":["
      "\"ECS:Run*\",\"ecs:Stop\"],"
      "\"Resource\":\"arn:aws:ecs:*:*:cluster/"
      "${aws:username}\",\"Condition\":{\"NumericLessThan\":{\"ecs:task-cpu\":1024}}}]},"
      "{\"Statement\":{\"Effect\":\"Deny\",\"NotAction\":\"iam:*\",\"NotResource\":[]}}]";
  ck_assert_int_eq(parse(json, &p, &err), IAM_OK);
  ck_assert_int_eq(p->ndocs, 2);
  ck_assert_int_eq(p->nstmt, 2);
  ck_assert_int_eq(p->nallow, 1);
  ck_assert_int_eq(p->ndeny, 1);
  IamStatement *a = &p->stmt[0], *d = &p->stmt[1];
  ck_assert_str_eq(a->sid, "A");
  ck_assert_int_eq(a->nact, 2);
  ck_assert_str_eq(a->act_text[0], "ECS:Run*");
  ck_assert_int_eq(a->act[1].kind, IAM_GLOB_LITERAL);
  ck_assert_str_eq(a->act[1].lit, "ecs:stop");
  ck_assert_int_eq(a->res[0].has_vars, 1); /* 2012-10-17: a variable */
  ck_assert_int_eq(a->ncond, 1);
  ck_assert_str_eq(a->cond[0].key_lower, "ecs:task-cpu");
  ck_assert_str_eq(a->cond[0].vals[0].t.text, "1024");
  ck_assert_int_eq(a->cond[0].vals[0].ok, 1);
  ck_assert_int_eq(d->doc, 1);
  ck_assert_int_eq(d->not_action, 1);
  ck_assert_int_eq(d->not_resource, 1);
  ck_assert_int_eq(d->nres, 0);
  ck_assert_ptr_null(d->sid);
  iam_free(p);
}
END_TEST

START_TEST(test_policy_principal_flag) {
  IamPolicy *p;
  IamError err;
  const char *json =
      "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"}"
      ","
      "\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}}";
  ck_assert_int_eq(iam_policy_parse(json, strlen(json), IAM_PARSE_PRINCIPAL, &p, &err), IAM_OK);
  ck_assert_str_eq(p->stmt[0].principal_json, "{\"Service\":\"ecs-tasks.amazonaws.com\"}");
  iam_free(p);
  ck_assert_int_eq(iam_policy_parse(json, strlen(json), 0, &p, &err), IAM_EINVAL);
}
END_TEST

/* One policy type, by its rules (IAM_PARSE_TYPE). */
static const struct {
  IamSet set;
  const char *json;
  const char *msg; /* NULL: valid */
} typed_rows[] = {
    {IAM_SET_RESOURCE,
     "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},"
     "\"Action\":\"sts:AssumeRole\"}}",
     NULL},
    {IAM_SET_RESOURCE,
     "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}",
     "Statement: a resource policy statement needs Principal or NotPrincipal"},
    {IAM_SET_SCP,
     "[{\"Statement\":[]},{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":\"*\","
     "\"Action\":\"s3:*\",\"Resource\":\"*\"}}]",
     "policy[1].Statement: Principal is not allowed in an SCP"},
    {IAM_SET_RCP,
     "{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:*\","
     "\"Resource\":\"*\"}}",
     "Statement: an RCP statement needs \"Principal\": \"*\""},
    {IAM_SET_ENDPOINT,
     "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\","
     "\"Resource\":\"*\"}}",
     NULL},
    {IAM_SET_SESSION,
     "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\","
     "\"Resource\":\"*\"}}",
     "Statement: Principal is not allowed in a session policy"},
    /* a policy object is a document here */
    {IAM_SET_IDENTITY, "{\"identity\":[],\"boundary\":null}", "unknown policy element 'identity'"},
    {IAM_SET_BOUNDARY, "\"x\"",
     "policy must be a JSON object or an array of objects, not a string"},
};

START_TEST(test_policy_typed) {
  IamPolicy *p = NULL;
  IamError err;
  const char *json = typed_rows[_i].json;
  err.msg[0] = 0;
  int rc = iam_policy_parse(json, strlen(json), IAM_PARSE_TYPE(typed_rows[_i].set), &p, &err);
  if (typed_rows[_i].msg == NULL) {
    ck_assert_msg(rc == IAM_OK, "%s: %s", json, err.msg);
    ck_assert_int_eq(p->stmt[0].set, typed_rows[_i].set);
    ck_assert_ptr_null(p->authz);
    iam_free(p);
  } else {
    ck_assert_int_eq(rc, IAM_EINVAL);
    ck_assert_str_eq(err.msg, typed_rows[_i].msg);
  }
}
END_TEST

START_TEST(test_policy_nesting_limit) {
  char buf[400];
  size_t n = 0;
  for (int i = 0; i < 100; i++) buf[n++] = '[';
  buf[n] = 0;
  IamPolicy *p;
  IamError err;
  ck_assert_int_eq(iam_policy_parse(buf, n, 0, &p, &err), IAM_ELIMIT);
  ck_assert_str_eq(err.msg, "policy JSON nests deeper than 64 levels at byte 64");
}
END_TEST

/* Expat-style: fail the i-th allocation for every i until parsing succeeds. */
START_TEST(test_policy_alloc) {
  const char *json =
      "[{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":["
      "\"ecs:*\",\"ec2:Describe*\"],"
      "\"Resource\":[\"arn:aws:ecs:*:*:cluster/${aws:username, 'x'}\",\"arn:aws:s3:::b/${*}\"],"
      "\"Condition\":{\"StringLike\":{\"k\":[\"a*\",\"${aws:x}\"]},\"IpAddress\":{\"aws:SourceIp\":"
      "\"10.0.0.0/8\"},"
      "\"BinaryEquals\":{\"b\":\"QQ==\"},\"Null\":{\"n\":true}}}]}]";
  IamError err;
  int i, done = 0;
  for (i = 0; i < 500 && !done; i++) {
    IamPolicy *p = NULL;
    iam_mem_fail_at(i);
    int rc = iam_policy_parse(json, strlen(json), 0, &p, &err);
    if (rc == IAM_OK) {
      done = 1;
      iam_free(p);
    } else {
      ck_assert_msg(rc == IAM_ENOMEM, "allocation %d: rc %d (%s)", i, rc, err.msg);
      ck_assert_ptr_null(p);
    }
  }
  iam_mem_fail_at(-1);
  ck_assert_msg(done, "never succeeded");
  ck_assert_int_gt(i, 3); /* some allocations really failed */
}
END_TEST

Suite *policy_suite(void) {
  Suite *s = suite_create("policy");
  TCase *tc = tcase_create("grammar");
  tcase_add_loop_test(tc, test_policy_grammar, 0, sizeof rows / sizeof rows[0]);
  tcase_add_test(tc, test_policy_model);
  tcase_add_test(tc, test_policy_principal_flag);
  tcase_add_loop_test(tc, test_policy_typed, 0, sizeof typed_rows / sizeof typed_rows[0]);
  tcase_add_test(tc, test_policy_nesting_limit);
  suite_add_tcase(s, tc);
  tc = tcase_create("alloc");
  tcase_add_test(tc, test_policy_alloc);
  suite_add_tcase(s, tc);
  return s;
}
