/* SPDX-License-Identifier: MIT */
/* A request in parts (iam_compose.h): what each part may give, who gives
** the caller, the caller checked against the composed policy types, the
** limits of one text, and the decision equal to the one text's. The whole
** corpus is compared too, in tests/conformance/run_authz.c. JSON in this file
** is written with ' for " (see J). */
#include <stdio.h>
#include <string.h>

#include "check_iam.h"
#include "iam_authz.h"
#include "iam_compose.h"
#include "iam_ctx.h"
#include "iam_mem.h"

#define ALICE    "arn:aws:iam::111122223333:user/alice"
#define ALLOW(a) "{'Effect':'Allow','Action':'" a "','Resource':'*'}"
#define DENY(a)  "{'Effect':'Deny','Action':'" a "','Resource':'*'}"
#define DOC(s)   "{'Version':'2012-10-17','Statement':[" s "]}"

static const char *const names[2] = {"policy", "members"};

/* Compile text as a part (NULL: none); fails the test on an error. */
static IamPolicy *part(const char *text, int members) {
  IamPolicy *p = NULL;
  IamError err;
  if (text == NULL) return NULL;
  const char *t = J(text);
  int rc =
      iam_policy_parse(t, strlen(t), IAM_PARSE_PART | (members ? IAM_PARSE_MEMBERS : 0), &p, &err);
  ck_assert_msg(rc == IAM_OK, "%s: %s", text, err.msg);
  return p;
}

/* Compose a policy part, a members part and a caller; rc, and the message in err. */
static int compose(const char *pol, const char *mem, const char *principal, IamComposed **c,
                   IamError *err) {
  IamPolicy *pp = part(pol, 0), *mp = part(mem, 1);
  const IamPolicy *parts[2] = {pp, mp};
  int rc = iam_compose(parts, names, 2, principal, principal ? strlen(principal) : 0, c, err);
  if (rc == IAM_OK) {
    /* the composed request borrows the parts: keep them while deciding */
    IamRequest r = {"s3:GetObject", 12, "arn:aws:s3:::b/k", 16, iam_ctx_empty(), NULL};
    IamAuthzResult res;
    ck_assert_int_eq(iam_authorize(iam_composed_policy(*c), &r, 0, &res), IAM_OK);
    rc = 100 + (int)res.decision; /* the decision, told apart from the codes */
    iam_composed_free(*c);
    *c = NULL;
  }
  iam_free(pp);
  iam_free(mp);
  return rc;
}

START_TEST(test_compose_decides) {
  IamComposed *c = NULL;
  IamError err;
  /* identity in the policy, SCPs in the members, the caller as an argument */
  ck_assert_int_eq(compose(DOC(ALLOW("s3:*")), "{'scps':[[" DOC(ALLOW("*")) "]]}", ALICE, &c, &err),
                   100 + IAM_ALLOW);
  ck_assert_int_eq(
      compose(DOC(ALLOW("s3:*")), "{'scps':[[" DOC(DENY("s3:*")) "]]}", ALICE, &c, &err),
      100 + IAM_EXPLICIT_DENY);
  /* an SCP level without an Allow */
  ck_assert_int_eq(
      compose(DOC(ALLOW("s3:*")), "{'scps':[[" DOC(ALLOW("ec2:*")) "]]}", ALICE, &c, &err),
      100 + IAM_IMPLICIT_DENY);
  /* the caller in a part; a null member is not given */
  ck_assert_int_eq(
      compose("{'principal':'" ALICE "','identity':" DOC(ALLOW("s3:*")) ",'boundary':null}",
              "{'boundary':" DOC(ALLOW("ec2:*")) "}", NULL, &c, &err),
      100 + IAM_IMPLICIT_DENY);
  ck_assert_int_eq(compose("[" DOC(ALLOW("s3:*")) "]", "{'principal':'" ALICE "'}", NULL, &c, &err),
                   100 + IAM_ALLOW);
  /* an empty members object, and no members at all */
  ck_assert_int_eq(compose(DOC(ALLOW("s3:*")), "{}", ALICE, &c, &err), 100 + IAM_ALLOW);
  ck_assert_int_eq(compose(DOC(ALLOW("s3:*")), NULL, ALICE, &c, &err), 100 + IAM_ALLOW);
}
END_TEST

START_TEST(test_compose_errors) {
  IamComposed *c = NULL;
  IamError err;
  ck_assert_int_eq(compose(DOC(ALLOW("s3:*")), "{'identity':[]}", ALICE, &c, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "identity: given by both policy and members");
  ck_assert_int_eq(
      compose("{'principal':'" ALICE "'}", "{'principal':'" ALICE "'}", NULL, &c, &err),
      IAM_EINVAL);
  ck_assert_str_eq(err.msg, "principal: given by both policy and members");
  ck_assert_int_eq(compose("{'principal':'" ALICE "'}", NULL, ALICE, &c, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "principal: given by both policy and the principal argument");
  ck_assert_int_eq(compose(DOC(ALLOW("s3:*")), "{'scps':[]}", NULL, &c, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "missing \"principal\" (the caller)");
  ck_assert_int_eq(compose(DOC(ALLOW("s3:*")), NULL, "nobody", &c, &err), IAM_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.msg, "'nobody'"));
  /* the caller against the policy types, once they are together */
  ck_assert_int_eq(
      compose("{'identity':[],'boundary':" DOC(ALLOW("*")) "}", NULL, "anonymous", &c, &err),
      IAM_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.msg, "boundary: must be null for an anonymous caller"));
  ck_assert_int_eq(compose(DOC(ALLOW("*")), NULL, "ecs-tasks.amazonaws.com", &c, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "identity: must be null or [] for a service caller");
  ck_assert_int_eq(compose("[]", "{'session':" DOC(ALLOW("*")) "}", ALICE, &c, &err), IAM_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.msg, "session: must be null for a user caller"));
  ck_assert_int_eq(compose("[]", NULL, "anonymous", &c, &err), 100 + IAM_IMPLICIT_DENY);
  ck_assert_ptr_null(c);
}
END_TEST

START_TEST(test_compose_parts_parse) {
  IamPolicy *p = NULL;
  IamError err;
  /* the members argument is an object of members, never documents */
  const char *t = J(DOC(ALLOW("*")));
  ck_assert_int_eq(iam_policy_parse(t, strlen(t), IAM_PARSE_PART | IAM_PARSE_MEMBERS, &p, &err),
                   IAM_EINVAL);
  ck_assert_str_eq(err.msg,
                   "members must be a JSON object of request members, not a policy document");
  t = "{\"scps\":";
  ck_assert_int_eq(iam_policy_parse(t, strlen(t), IAM_PARSE_PART | IAM_PARSE_MEMBERS, &p, &err),
                   IAM_EPARSE);
  ck_assert_ptr_nonnull(strstr(err.msg, "malformed members JSON"));
  /* what iam_authorize alone takes is not a member of a part */
  t = J("{'action':'s3:GetObject'}");
  ck_assert_int_eq(iam_policy_parse(t, strlen(t), IAM_PARSE_PART | IAM_PARSE_MEMBERS, &p, &err),
                   IAM_EINVAL);
  ck_assert_str_eq(err.msg, "members: unknown member 'action'");
  /* a part's documents are read by their type's rules */
  t = J("{'resource_policy':" DOC(ALLOW("*")) "}");
  ck_assert_int_ne(iam_policy_parse(t, strlen(t), IAM_PARSE_PART | IAM_PARSE_MEMBERS, &p, &err),
                   IAM_OK);
  /* a policy compiled whole is not a part */
  t = J(DOC(ALLOW("*")));
  ck_assert_int_eq(iam_policy_parse(t, strlen(t), 0, &p, &err), IAM_OK);
  const IamPolicy *parts[1] = {p};
  IamComposed *c = NULL;
  ck_assert_int_eq(iam_compose(parts, names, 1, ALICE, strlen(ALICE), &c, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "policy: not compiled as a part of a request");
  iam_free(p);
}
END_TEST

START_TEST(test_compose_limits) {
  /* 600 documents in each part: each is within the limit, the whole is not */
  size_t cap = 600 * 64 + 64, n = 0;
  char *a = iam_malloc(cap), *b = iam_malloc(cap + 16);
  n += (size_t)snprintf(a + n, cap - n, "[");
  for (int i = 0; i < 600; i++)
    n += (size_t)snprintf(a + n, cap - n, "%s{\"Version\":\"2012-10-17\",\"Statement\":[]}",
                          i ? "," : "");
  snprintf(a + n, cap - n, "]");
  snprintf(b, cap + 16, "{\"scps\":[%s]}", a);
  IamPolicy *pa = NULL, *pb = NULL;
  IamError err;
  ck_assert_int_eq(iam_policy_parse(a, strlen(a), IAM_PARSE_PART, &pa, &err), IAM_OK);
  ck_assert_int_eq(iam_policy_parse(b, strlen(b), IAM_PARSE_PART | IAM_PARSE_MEMBERS, &pb, &err),
                   IAM_OK);
  const IamPolicy *parts[2] = {pa, pb};
  IamComposed *c = NULL;
  ck_assert_int_eq(iam_compose(parts, names, 2, ALICE, strlen(ALICE), &c, &err), IAM_ELIMIT);
  ck_assert_str_eq(err.msg, "more than 1024 policy documents");
  parts[1] = NULL;
  ck_assert_int_eq(iam_compose(parts, names, 2, ALICE, strlen(ALICE), &c, &err), IAM_OK);
  ck_assert_uint_eq(iam_composed_policy(c)->ndocs, 600);
  iam_composed_free(c);
  iam_free(pa);
  iam_free(pb);
  iam_free(a);
  iam_free(b);
}
END_TEST

Suite *compose_suite(void) {
  Suite *s = suite_create("compose");
  TCase *tc = tcase_create("compose");
  tcase_add_test(tc, test_compose_decides);
  tcase_add_test(tc, test_compose_errors);
  tcase_add_test(tc, test_compose_parts_parse);
  tcase_add_test(tc, test_compose_limits);
  suite_add_tcase(s, tc);
  return s;
}
