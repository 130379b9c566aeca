/* SPDX-License-Identifier: MIT */
/* New access, without SQLite: the rows against an in-memory catalog, the
** same policy giving none, the policy types, and clean failure at every
** allocation. */
#include <stdio.h>
#include <string.h>

#include "check_iam.h"
#include "fake_catalog.h"
#include "iam_access.h"
#include "iam_mem.h"
#include "iam_policy.h"

static IamPolicy *compile(const char *json, int set) {
  IamPolicy *p = NULL;
  IamError err;
  int flags = set < 0 ? IAM_PARSE_DOCS : IAM_PARSE_TYPE(set);
  ck_assert_msg(iam_policy_parse(json, strlen(json), flags, &p, &err) == IAM_OK, "%s", err.msg);
  return p;
}

/* The rows as "action/kind/conditional;" text. */
static void rows_text(const char *old_json, const char *new_json, int set, const IamCatalog *cat,
                      char *buf, size_t cap) {
  IamPolicy *o = compile(old_json, set), *n = compile(new_json, set);
  IamNewAccessList *l = NULL;
  ck_assert_int_eq(iam_new_access(o, n, set < 0 ? IAM_SET_IDENTITY : set, cat, &l), IAM_OK);
  size_t k = 0;
  buf[0] = 0;
  for (uint32_t i = 0; i < iam_new_access_count(l); i++) {
    const IamNewAccess *r = iam_new_access_row(l, i);
    k += (size_t)snprintf(buf + k, cap - k, "%s:%s/%s/%d;", r->svc ? r->svc->prefix : "",
                          r->action ? r->action->name : (r->pattern ? r->pattern : "NotAction"),
                          iam_new_kind_name((IamNewKind)r->kind), r->conditional);
  }
  iam_new_access_free(l);
  iam_free(o);
  iam_free(n);
}

static const struct {
  int set; /* -1: documents */
  int catalog;
  const char *old_json, *new_json, *want;
} cases[] = {
    {-1, 1, "[]",
     "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}}",
     "s3:GetObject/action/0;"},
    {-1, 1, "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}",
     "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::b/"
     "*\"}}",
     ""},
    {-1, 1,
     "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
     "b/*\"}}",
     "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*Object\",\"Resource\":\"*\"},{"
     "\"Effect\":"
     "\"Deny\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}]}",
     "s3:DeleteObject/action/0;s3:GetObject/resource/0;"},
    {-1, 1, "{\"Statement\":{\"Effect\":\"Allow\",\"NotAction\":\"s3:*\",\"Resource\":\"*\"}}",
     "{\"Statement\":{\"Effect\":\"Allow\",\"NotAction\":\"s3:Put*\",\"Resource\":\"*\"}}",
     "s3:DeleteObject/action/0;s3:GetObject/action/0;s3:ListAllMyBuckets/action/0;"},
    {-1, 0, "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}",
     "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"ec2:*\"],\"Resource\":\"*"
     "\"}}",
     ":ec2:*/pattern/0;"},
    {IAM_SET_RCP, 1,
     "{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"iam:*\",\"Resource\":\"*"
     "\"}}",
     "{\"Statement\":[]}",
     "iam:AttachUserPolicy/resource/1;iam:CreateAccessKey/resource/1;"
     "iam:PassRole/resource/1;"},
};

START_TEST(test_access_rows) {
  char buf[1024];
  rows_text(cases[_i].old_json, cases[_i].new_json, cases[_i].set,
            cases[_i].catalog ? &fake_catalog : NULL, buf, sizeof buf);
  ck_assert_msg(strcmp(buf, cases[_i].want) == 0, "case %d: got '%s', want '%s'", _i, buf,
                cases[_i].want);
  /* a policy against itself: nothing new */
  rows_text(cases[_i].new_json, cases[_i].new_json, cases[_i].set,
            cases[_i].catalog ? &fake_catalog : NULL, buf, sizeof buf);
  ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_access_alloc) {
  IamPolicy *o = compile(cases[2].old_json, -1), *n = compile(cases[3].new_json, -1);
  int done = 0;
  for (int i = 0; i < 5000 && !done; i++) {
    IamNewAccessList *l = NULL;
    iam_mem_fail_at(i);
    int rc = iam_new_access(o, n, IAM_SET_IDENTITY, &fake_catalog, &l);
    iam_mem_fail_at(-1);
    if (rc == IAM_OK) {
      done = 1;
      ck_assert_int_gt(iam_new_access_count(l), 0);
      iam_new_access_free(l);
    } else {
      ck_assert_int_eq(rc, IAM_ENOMEM);
      ck_assert_ptr_null(l);
    }
  }
  ck_assert(done);
  iam_free(o);
  iam_free(n);
}
END_TEST

Suite *access_suite(void) {
  Suite *s = suite_create("access");
  TCase *tc = tcase_create("access");
  tcase_add_loop_test(tc, test_access_rows, 0, sizeof cases / sizeof cases[0]);
  tcase_add_test(tc, test_access_alloc);
  suite_add_tcase(s, tc);
  return s;
}
