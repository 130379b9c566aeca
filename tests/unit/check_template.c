/* SPDX-License-Identifier: MIT */
/* Templates: policy variables and their defaults, escapes, literal text
** around them, Resource patterns whose variables are only read in the
** resource part, allocation failures. */
#include <string.h>

#include "check_iam.h"
#include "iam_ctx.h"
#include "iam_mem.h"
#include "iam_template.h"

static IamCtx *ctx_ok(const char *json) {
  IamCtx *c = NULL;
  IamError err;
  int rc = iam_ctx_parse(json, strlen(json), &c, &err);
  ck_assert_msg(rc == IAM_OK, "%s: %s", json, err.msg);
  return c;
}

#define SMALL_BUF 4 /* forces the allocated path for longer results */

/* The text of a literal-mode template for a context, or NULL when a variable
** is unresolved; with a small stack buffer every other time. */
static const char *expand(const char *pattern, const char *ctxjson, char *out) {
  static int small;
  IamTemplate *t;
  ck_assert_int_eq(iam_template_new(pattern, strlen(pattern), IAM_TEMPLATE_LITERAL, 1, &t), IAM_OK);
  IamCtx *c = ctx_ok(ctxjson);
  IamGlobCode buf[64], *codes;
  uint32_t n;
  const char *res = out;
  small = !small;
  IamWork w;
  iam_work_init(&w, 0, NULL, NULL);
  int r = iam_template_codes(t, c, SIZE_MAX, buf, small ? SMALL_BUF : 64, &codes, &n, &w);
  if (r == 1) {
    for (uint32_t i = 0; i < n; i++) out[i] = (char)codes[i];
    out[n] = 0;
    iam_template_codes_release(t, codes, buf);
  } else {
    ck_assert_int_eq(r, 0);
    res = NULL; /* unresolved */
  }
  iam_free(c);
  iam_free(t);
  return res;
}

START_TEST(test_template_variables) {
  char out[128];
  ck_assert_str_eq(
      expand("team/${aws:PrincipalTag/team}", "{\"AWS:principaltag/TEAM\":\"red\"}", out),
      "team/red");
  ck_assert_str_eq(expand("${aws:x, 'dflt'}", "{}", out), "dflt");
  ck_assert_str_eq(expand("${aws:x,'dflt'}", "{\"aws:x\":\"v\"}", out), "v");
  ck_assert_ptr_null(expand("${aws:x}", "{}", out));
  ck_assert_ptr_null(
      expand("${aws:x}", "{\"aws:x\":[\"v\"]}", out)); /* multivalued: not a variable */
  ck_assert_str_eq(expand("${aws:x, 'd'}", "{\"aws:x\":[\"v\"]}", out), "d");
  ck_assert_str_eq(expand("q${?}d${$}${*}", "{}", out), "q?d$*");
  ck_assert_str_eq(expand("${}", "{}", out), "${}");
  ck_assert_str_eq(expand("${aws:x", "{}", out), "${aws:x");
  ck_assert_str_eq(expand("${aws:x, dflt}", "{}", out), "${aws:x, dflt}");
  ck_assert_str_eq(expand("${aws:x}", "{\"aws:x\":\"\"}", out), "");
  ck_assert_str_eq(expand("${aws:x}", "{\"aws:x\":\"*\"}", out), "*");
}
END_TEST

START_TEST(test_template_resource) {
  IamTemplate *t;
  IamCtx *c = ctx_ok("{\"aws:username\":\"ann\"}");
  IamWork w;
  iam_work_init(&w, 0, NULL, NULL);
  /* a variable before the fifth ':' is literal text */
  static const char p1[] = "arn:aws:s3:${aws:username}::b/${aws:username}/*";
  ck_assert_int_eq(iam_template_new(p1, strlen(p1), IAM_TEMPLATE_RESOURCE, 1, &t), IAM_OK);
  static const char t1[] = "arn:aws:s3:${aws:username}::b/ann/x", t2[] = "arn:aws:s3:ann::b/ann/x";
  ck_assert_int_eq(iam_template_match(t, t1, strlen(t1), c, &w), 1);
  ck_assert_int_eq(iam_template_match(t, t2, strlen(t2), c, &w), 0);
  ck_assert_int_eq(iam_template_match(t, t1, strlen(t1), iam_ctx_empty(), &w), 0); /* unresolved */
  iam_free(t);
  /* without variables (Version 2008-10-17), ${...} is text */
  static const char p2[] = "arn:aws:s3:::b/${aws:username}";
  ck_assert_int_eq(iam_template_new(p2, strlen(p2), IAM_TEMPLATE_RESOURCE, 0, &t), IAM_OK);
  ck_assert_int_eq(t->has_vars, 0);
  ck_assert_int_eq(iam_template_match(t, p2, strlen(p2), c, &w), 1);
  iam_free(t);
  iam_free(c);
}
END_TEST

START_TEST(test_template_alloc) {
  static const char p[] = "arn:aws:s3:::b-${aws:username, 'x'}/${*}/*";
  int i, done = 0;
  for (i = 0; i < 100 && !done; i++) {
    IamTemplate *t = NULL;
    iam_mem_fail_at(i);
    int rc = iam_template_new(p, strlen(p), IAM_TEMPLATE_RESOURCE, 1, &t);
    iam_mem_fail_at(-1);
    if (rc == IAM_OK) {
      done = 1;
      iam_free(t);
    } else {
      ck_assert_int_eq(rc, IAM_ENOMEM);
      ck_assert_ptr_null(t);
    }
  }
  ck_assert(done);
  ck_assert_int_gt(i, 1);
}
END_TEST

Suite *template_suite(void) {
  Suite *s = suite_create("template");
  TCase *tc = tcase_create("expand");
  tcase_add_test(tc, test_template_variables);
  tcase_add_test(tc, test_template_resource);
  suite_add_tcase(s, tc);
  tc = tcase_create("alloc");
  tcase_add_test(tc, test_template_alloc);
  suite_add_tcase(s, tc);
  return s;
}
