/* SPDX-License-Identifier: MIT */
/* Request contexts: value normalisation, case-insensitive lookup, errors,
** allocation failures. */
#include <string.h>

#include "check_iam.h"
#include "iam_ctx.h"
#include "iam_mem.h"

static IamCtx *ctx_ok(const char *json) {
  IamCtx *c = NULL;
  IamError err;
  int rc = iam_ctx_parse(json, strlen(json), &c, &err);
  ck_assert_msg(rc == IAM_OK, "%s: %s", json, err.msg);
  return c;
}

START_TEST(test_ctx_values) {
  IamCtx *c = ctx_ok(
      "{\"aws:UserName\":\"alice\",\"n\":256,\"f\":1.5,\"b\":true,\"m\":[\"x\",2],\"e\":[],\"z\":"
      "null}");
  const IamCtxEntry *e = iam_ctx_get(c, "aws:username", 12);
  ck_assert_ptr_nonnull(e);
  ck_assert_str_eq(e->val[0], "alice");
  ck_assert_str_eq(iam_ctx_get(c, "n", 1)->val[0], "256");
  ck_assert_str_eq(iam_ctx_get(c, "f", 1)->val[0], "1.5");
  ck_assert_str_eq(iam_ctx_get(c, "b", 1)->val[0], "true");
  e = iam_ctx_get(c, "m", 1);
  ck_assert_int_eq(e->multi, 1);
  ck_assert_int_eq(e->n, 2);
  ck_assert_str_eq(e->val[1], "2");
  e = iam_ctx_get(c, "e", 1);
  ck_assert_int_eq(e->multi, 1);
  ck_assert_int_eq(e->n, 0);
  ck_assert_ptr_null(iam_ctx_get(c, "z", 1)); /* null = absent */
  ck_assert_ptr_null(iam_ctx_get(c, "q", 1));
  iam_free(c);
}
END_TEST

static const struct {
  const char *json, *msg;
} bad[] = {
    {"[]", "context must be a JSON object, not an array"},
    {"{\"a\":1,\"A\":2}", "context: duplicate key 'a' (keys ignore case)"},
    {"{\"a\":{}}", "context.a: must be a string, number, boolean, null or an array, not an object"},
    {"{\"a\":[[1]]}", "context.a[0]: must be a string, number or boolean, not an array"},
    {"{\"a\":[null]}", "context.a[0]: must be a string, number or boolean, not null"},
    {"{\"a\":", "malformed context JSON: unexpected end of input"},
    {"{\"a\":1e999}",
     "context.a: must be a string, number, boolean, null or an array, not an out-of-range number"},
};

START_TEST(test_ctx_errors) {
  IamCtx *c = NULL;
  IamError err;
  int rc = iam_ctx_parse(bad[_i].json, strlen(bad[_i].json), &c, &err);
  ck_assert_int_ne(rc, IAM_OK);
  ck_assert_ptr_null(c);
  ck_assert_str_eq(err.msg, bad[_i].msg);
}
END_TEST

START_TEST(test_ctx_alloc) {
  const char *json = "{\"a\":\"x\",\"b\":[\"1\",\"2\",3],\"c\":true,\"d\":null}";
  int i, done = 0;
  IamError err;
  for (i = 0; i < 200 && !done; i++) {
    IamCtx *c = NULL;
    iam_mem_fail_at(i);
    int rc = iam_ctx_parse(json, strlen(json), &c, &err);
    if (rc == IAM_OK) {
      done = 1;
      iam_free(c);
    } else {
      ck_assert_int_eq(rc, IAM_ENOMEM);
      ck_assert_ptr_null(c);
    }
  }
  iam_mem_fail_at(-1);
  ck_assert(done);
  ck_assert_int_gt(i, 1);
}
END_TEST

Suite *ctx_suite(void) {
  Suite *s = suite_create("ctx");
  TCase *tc = tcase_create("parse");
  tcase_add_test(tc, test_ctx_values);
  tcase_add_loop_test(tc, test_ctx_errors, 0, sizeof bad / sizeof bad[0]);
  suite_add_tcase(s, tc);
  tc = tcase_create("alloc");
  tcase_add_test(tc, test_ctx_alloc);
  suite_add_tcase(s, tc);
  return s;
}
