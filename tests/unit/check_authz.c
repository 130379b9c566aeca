/* SPDX-License-Identifier: MIT */
/* Whole requests: callers, Principal matching with its kinds, NotPrincipal
** and the chain, per-type validation, and each step and built-in rule of the
** decision procedure (SEMANTICS.md, "Whole requests"). JSON in this file is
** written with ' for " (see J) to keep it readable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_iam.h"
#include "iam_authz.h"
#include "iam_ctx.h"
#include "iam_explain.h"
#include "iam_mem.h"

#define ALICE         "arn:aws:iam::111122223333:user/alice"
#define BOB           "arn:aws:iam::444455556666:user/bob"
#define APP_ROLE      "arn:aws:iam::111122223333:role/svc/app"
#define SESSION       "arn:aws:sts::111122223333:assumed-role/app/s-1"
#define FED           "arn:aws:sts::111122223333:federated-user/fed"
#define ROOT          "arn:aws:iam::111122223333:root"
#define OBJ           "arn:aws:s3:::b/k"
#define ALLOW(a)      "{'Effect':'Allow','Action':'" a "','Resource':'*'}"
#define DENY(a)       "{'Effect':'Deny','Action':'" a "','Resource':'*'}"
#define DOC(s)        "{'Version':'2012-10-17','Statement':[" s "]}"
#define RP_ALLOW(p)   "{'Effect':'Allow','Action':'*','Principal':" p "}"
#define RP_DENY(p)    "{'Effect':'Deny','Action':'*','Principal':" p "}"
#define RP_NOTDENY(p) "{'Effect':'Deny','Action':'*','NotPrincipal':" p "}"
#define RCP_DENY      "{'Effect':'Deny','Action':'*','Resource':'*','Principal':'*'}"
#define RCP_ALLOW     "{'Effect':'Allow','Action':'*','Resource':'*','Principal':'*'}"

/* ---- callers ------------------------------------------------------------- */

START_TEST(test_caller_parse) {
  static const struct {
    const char *s;
    int kind, slr;
    const char *account, *principal_arn, *name;
  } ok[] = {
      {ALICE, IAM_CALLER_USER, 0, "111122223333", ALICE, "alice"},
      {"arn:aws:iam::111122223333:user/dev/ops/bob", IAM_CALLER_USER, 0, "111122223333",
       "arn:aws:iam::111122223333:user/dev/ops/bob", "bob"},
      {APP_ROLE, IAM_CALLER_ROLE, 0, "111122223333", APP_ROLE, "app"},
      {"arn:aws-cn:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
       IAM_CALLER_ROLE, 1, "111122223333", NULL, "AWSServiceRoleForECS"},
      {SESSION, IAM_CALLER_ROLE_SESSION, 0, "111122223333", "arn:aws:iam::111122223333:role/app",
       "app"},
      {"arn:aws-us-gov:sts::111122223333:assumed-role/AWSServiceRoleForECS/ecs",
       IAM_CALLER_ROLE_SESSION, 1, "111122223333",
       "arn:aws-us-gov:iam::111122223333:role/AWSServiceRoleForECS", "AWSServiceRoleForECS"},
      {FED, IAM_CALLER_FEDERATED, 0, "111122223333", FED, "fed"},
      {ROOT, IAM_CALLER_ROOT, 0, "111122223333", ROOT, NULL},
      {"anonymous", IAM_CALLER_ANONYMOUS, 0, "", NULL, NULL},
      {"ecs-tasks.amazonaws.com", IAM_CALLER_SERVICE, 0, "", NULL, NULL},
  };
  static const char *const bad[] = {"arn:aws:iam::111122223333:group/devs",
                                    "arn:aws:iam::11112222333:user/alice",
                                    "arn:aws:iam:us-east-1:111122223333:user/alice",
                                    "arn:aws:iam::111122223333:user/",
                                    "arn:aws:iam::111122223333:user//alice",
                                    "arn:aws:iam::111122223333:user/a*",
                                    "arn:aws:sts::111122223333:assumed-role/app",
                                    "arn:aws:sts::111122223333:assumed-role/app/",
                                    "arn:aws:s3:::bucket",
                                    "arn:azure:iam::111122223333:root",
                                    "Anonymous",
                                    "",
                                    "ecs-tasks",
                                    "amazonaws.com",
                                    ".amazonaws.com",
                                    "ecs tasks.amazonaws.com",
                                    "*",
                                    "111122223333",
                                    "arn:aws:sts::111122223333:federated-user/a/b"};
  IamArena a;
  IamError err;
  iam_arena_init(&a, 0);
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    IamCaller c;
    ck_assert_int_eq(iam_caller_parse(ok[i].s, strlen(ok[i].s), &a, &c, &err), IAM_OK);
    ck_assert_int_eq(c.kind, ok[i].kind);
    ck_assert_int_eq(c.service_linked, ok[i].slr);
    ck_assert_str_eq(c.account, ok[i].account);
    ck_assert_str_eq(c.arn, ok[i].s);
    if (ok[i].principal_arn) ck_assert_str_eq(c.principal_arn, ok[i].principal_arn);
    if (ok[i].name) {
      ck_assert_uint_eq(c.name_len, strlen(ok[i].name));
      ck_assert_int_eq(memcmp(c.name, ok[i].name, c.name_len), 0);
    } else {
      ck_assert_ptr_null(c.name);
    }
  }
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    IamCaller c;
    ck_assert_msg(iam_caller_parse(bad[i], strlen(bad[i]), &a, &c, &err) == IAM_EINVAL, "%s",
                  bad[i]);
    ck_assert_ptr_nonnull(strstr(err.msg, "principal '"));
  }
  iam_arena_free(&a);
}
END_TEST

/* ---- Principal values and match kinds ---------------------------------------- */

static IamMatchKind match_one(const char *type, const char *value, const char *caller) {
  IamArena a;
  IamCaller c;
  IamError err;
  IamPrincipalValue v;
  IamPrincipalBlock b = {&v, 1, 0};
  iam_arena_init(&a, 0);
  ck_assert_int_eq(iam_caller_parse(caller, strlen(caller), &a, &c, &err), IAM_OK);
  iam_principal_value_init(&v, type, value, strlen(value));
  IamMatchKind k = iam_principal_match(&b, &c);
  iam_arena_free(&a);
  return k;
}

START_TEST(test_principal_match_kinds) {
  static const struct {
    const char *type, *value, *caller;
    IamMatchKind want;
  } rows[] = {
      {NULL, "*", "anonymous", IAM_MATCH_DIRECT},
      {"AWS", "*", "ecs-tasks.amazonaws.com", IAM_MATCH_DIRECT},
      {"AWS", "*", ALICE, IAM_MATCH_DIRECT},
      {"AWS", "111122223333", ALICE, IAM_MATCH_ACCOUNT},
      {"AWS", "111122223333", SESSION, IAM_MATCH_ACCOUNT},
      {"AWS", "111122223333", FED, IAM_MATCH_ACCOUNT},
      {"AWS", "111122223333", ROOT, IAM_MATCH_ACCOUNT},
      {"AWS", "111122223333", BOB, IAM_MATCH_NONE},
      {"AWS", "111122223333", "anonymous", IAM_MATCH_NONE},
      {"AWS", ROOT, APP_ROLE, IAM_MATCH_ACCOUNT},
      {"AWS", "arn:aws-cn:iam::111122223333:root", ALICE, IAM_MATCH_NONE}, /* another partition */
      {"AWS", ALICE, ALICE, IAM_MATCH_DIRECT},
      {"AWS", ALICE, "arn:aws:iam::111122223333:user/x/alice", IAM_MATCH_NONE}, /* path counts */
      {"AWS", "arn:aws:iam::111122223333:user/*", ALICE, IAM_MATCH_NONE},       /* no wildcards */
      {"AWS", APP_ROLE, APP_ROLE, IAM_MATCH_ROLE},
      {"AWS", APP_ROLE, SESSION, IAM_MATCH_ROLE}, /* path ignored */
      {"AWS", "arn:aws:iam::111122223333:role/app", SESSION, IAM_MATCH_ROLE},
      {"AWS", "arn:aws:iam::444455556666:role/svc/app", SESSION, IAM_MATCH_NONE},
      {"AWS", "arn:aws:iam::111122223333:role/app", APP_ROLE, IAM_MATCH_NONE}, /* exact */
      {"AWS", SESSION, SESSION, IAM_MATCH_DIRECT},
      {"AWS", "arn:aws:sts::111122223333:assumed-role/app/s-2", SESSION, IAM_MATCH_NONE},
      {"AWS", FED, FED, IAM_MATCH_DIRECT},
      {"Service", "ECS-Tasks.amazonaws.com", "ecs-tasks.amazonaws.com", IAM_MATCH_DIRECT},
      {"Service", "ecs-tasks.amazonaws.com", ALICE, IAM_MATCH_NONE},
      {"Federated", "cognito-identity.amazonaws.com", FED, IAM_MATCH_NONE},
      {"CanonicalUser", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", ALICE,
       IAM_MATCH_NONE},
      {"AWS", "alice", ALICE, IAM_MATCH_NONE},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    ck_assert_msg(match_one(rows[i].type, rows[i].value, rows[i].caller) == rows[i].want,
                  "row %zu: %s %s vs %s", i, rows[i].type ? rows[i].type : "-", rows[i].value,
                  rows[i].caller);
}
END_TEST

/* ---- the decision procedure ------------------------------------------------- */

typedef struct Outcome {
  int rc;
  IamDecision d;
  IamStep step;
  int32_t stmt;
  char msg[256];
} Outcome;

/* Parse a request (J-quoted), decide it (fast and full modes must agree). */
static Outcome authorize(const char *req) {
  Outcome o;
  IamPolicy *p = NULL;
  IamCtx *c = NULL;
  IamError err;
  const char *text = J(req);
  memset(&o, 0, sizeof o);
  o.rc = iam_policy_parse(text, strlen(text), IAM_PARSE_REQUEST, &p, &err);
  if (o.rc != IAM_OK) {
    snprintf(o.msg, sizeof o.msg, "%s", err.msg);
    return o;
  }
  const IamAuthz *az = p->authz;
  ck_assert_ptr_nonnull(az);
  o.rc = iam_request_check(az->action, az->action_len, az->resource, az->resource_len, &err);
  if (o.rc == IAM_OK && az->context) o.rc = iam_ctx_parse(az->context, az->context_len, &c, &err);
  if (o.rc != IAM_OK) {
    snprintf(o.msg, sizeof o.msg, "%s", err.msg);
    iam_free(p);
    return o;
  }
  IamRequest r = {az->action,       az->action_len,          az->resource,
                  az->resource_len, c ? c : iam_ctx_empty(), NULL};
  IamAuthzResult fast, full;
  ck_assert_int_eq(iam_authorize(p, &r, 0, &fast), IAM_OK);
  ck_assert_int_eq(iam_authorize(p, &r, 1, &full), IAM_OK);
  ck_assert_int_eq(fast.decision, full.decision);
  ck_assert_int_eq(fast.step, full.step);
  ck_assert_int_eq(fast.stmt, full.stmt);
  o.d = fast.decision;
  o.step = fast.step;
  o.stmt = fast.stmt;
  iam_free(p);
  iam_free(c);
  return o;
}

#define REQ(principal, action, resource, rest) \
  "{'principal':'" principal "','action':'" action "','resource':'" resource "'" rest "}"

static const struct {
  const char *name, *req;
  IamDecision want;
  IamStep step;
  int32_t stmt; /* -2: not checked */
} steps[] = {
    /* identity side, same account */
    {"identity allows",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_account':'111122223333','identity':" DOC(ALLOW("s3:*"))),
     IAM_ALLOW, IAM_STEP_IDENTITY, 0},
    {"no identity policy", REQ(ALICE, "s3:GetObject", OBJ, ",'resource_account':'111122223333'"),
     IAM_IMPLICIT_DENY, IAM_STEP_IDENTITY, -1},
    {"resource account from the ARN",
     REQ(ALICE, "sqs:SendMessage", "arn:aws:sqs:us-east-1:444455556666:q",
         ",'identity':" DOC(ALLOW("*"))),
     IAM_IMPLICIT_DENY, IAM_STEP_CROSS_ACCOUNT, -1},
    {"resource account defaults to the caller's",
     REQ(ALICE, "s3:GetObject", OBJ, ",'identity':" DOC(ALLOW("*"))), IAM_ALLOW, IAM_STEP_IDENTITY,
     0},
    /* explicit deny beats everything, in every policy type */
    {"deny in identity",
     REQ(ALICE, "s3:GetObject", OBJ, ",'identity':[" DOC(ALLOW("*")) "," DOC(DENY("s3:Get*")) "]"),
     IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, 1},
    {"deny in boundary",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'boundary':" DOC(ALLOW("*") "," DENY("s3:*"))),
     IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, 2},
    {"deny in a resource policy beats a direct grant",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_policy':" DOC(RP_ALLOW("{'AWS':'" ALICE "'}") "," RP_DENY("'*'"))),
     IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, 1},
    {"scp deny beats a direct grant",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_policy':" DOC(RP_ALLOW("{'AWS':'" ALICE "'}")) ",'scps':[[" DOC(
             ALLOW("*") "," DENY("s3:GetObject")) "]]"),
     IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, 2},
    {"session policy deny",
     REQ(SESSION, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'session':" DOC(DENY("s3:*"))),
     IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, 1},
    {"endpoint deny",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'endpoint':" DOC(ALLOW("*") "," DENY("s3:*"))),
     IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, 2},
    /* built-in rules */
    {"GetCallerIdentity beats a Deny",
     REQ(ALICE, "STS:getCallerIdentity", "*", ",'identity':" DOC(DENY("*"))), IAM_ALLOW,
     IAM_STEP_CALLER_IDENTITY, -1},
    {"GetCallerIdentity not for anonymous", REQ("anonymous", "sts:GetCallerIdentity", "*", ""),
     IAM_IMPLICIT_DENY, IAM_STEP_UNAUTHENTICATED, -1},
    {"protected AWS managed policy",
     REQ(ALICE, "iam:DeletePolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess",
         ",'identity':" DOC(ALLOW("*"))),
     IAM_IMPLICIT_DENY, IAM_STEP_PROTECTED, -1},
    {"protected Identity Center role",
     REQ(ALICE, "iam:PassRole",
         "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_x",
         ",'identity':" DOC(ALLOW("*"))),
     IAM_IMPLICIT_DENY, IAM_STEP_PROTECTED, -1},
    {"service-linked role description may change",
     REQ(ALICE, "iam:UpdateRoleDescription",
         "arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
         ",'identity':" DOC(ALLOW("*"))),
     IAM_ALLOW, IAM_STEP_IDENTITY, 0},
    {"protected AWS managed key alias",
     REQ(ALICE, "kms:DeleteAlias", "arn:aws:kms:us-east-1:111122223333:alias/aws/s3",
         ",'identity':" DOC(ALLOW("*"))),
     IAM_IMPLICIT_DENY, IAM_STEP_PROTECTED, -1},
    {"explicit deny is reported before the protected entity",
     REQ(ALICE, "iam:DeletePolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess",
         ",'identity':" DOC(DENY("iam:*"))),
     IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, 0},
    {"trust policy required",
     REQ(ALICE, "sts:AssumeRole", "arn:aws:iam::111122223333:role/ops",
         ",'identity':" DOC(ALLOW("*"))),
     IAM_IMPLICIT_DENY, IAM_STEP_RESOURCE_POLICY, -1},
    {"trust policy delegates to the account",
     REQ(ALICE, "sts:AssumeRole", "arn:aws:iam::111122223333:role/ops",
         ",'identity':" DOC(ALLOW("sts:AssumeRole")) ",'resource_policy':" DOC(
             RP_ALLOW("{'AWS':'111122223333'}"))),
     IAM_ALLOW, IAM_STEP_RESOURCE_POLICY, 1},
    {"key policy names the account, identity silent",
     REQ(ALICE, "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k",
         ",'resource_policy':" DOC(RP_ALLOW("{'AWS':'" ROOT "'}"))),
     IAM_IMPLICIT_DENY, IAM_STEP_RESOURCE_POLICY, -1},
    /* guardrails */
    {"an SCP level without an Allow",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'scps':[[" DOC(ALLOW("*")) "],[" DOC(
             ALLOW("ec2:*")) "]]"),
     IAM_IMPLICIT_DENY, IAM_STEP_SCP_LEVEL, -1},
    {"an empty SCP level",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'scps':[[" DOC(ALLOW("*")) "],[]]"),
     IAM_IMPLICIT_DENY, IAM_STEP_SCP_LEVEL, -1},
    {"every SCP level allows",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'scps':[[" DOC(ALLOW("*")) "],[" DOC(
             ALLOW("ec2:*")) "," DOC(ALLOW("s3:*")) "]]"),
     IAM_ALLOW, IAM_STEP_IDENTITY, 0},
    {"root is bound by SCPs",
     REQ(ROOT, "ec2:RunInstances", "*", ",'scps':[[" DOC(ALLOW("s3:*")) "]]"), IAM_IMPLICIT_DENY,
     IAM_STEP_SCP_LEVEL, -1},
    {"root has its account by default", REQ(ROOT, "ec2:RunInstances", "*", ""), IAM_ALLOW,
     IAM_STEP_IDENTITY, -1},
    {"SCPs skip service-linked roles",
     REQ("arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForECS/ecs", "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'scps':[[" DOC(DENY("*")) "]]"),
     IAM_ALLOW, IAM_STEP_IDENTITY, 0},
    {"SCPs skip anonymous callers",
     REQ("anonymous", "s3:GetObject", OBJ,
         ",'resource_account':'111122223333','resource_policy':" DOC(
             RP_ALLOW("'*'")) ",'scps':[[" DOC(DENY("*")) "]]"),
     IAM_ALLOW, IAM_STEP_UNAUTHENTICATED, 0},
    {"RCPs bind anonymous callers",
     REQ("anonymous", "s3:GetObject", OBJ,
         ",'resource_account':'111122223333','resource_policy':" DOC(
             RP_ALLOW("'*'")) ",'rcps':[[" DOC(RCP_DENY) "]]"),
     IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, 1},
    {"RCPs only for their services",
     REQ(ALICE, "ec2:RunInstances", "*",
         ",'identity':" DOC(ALLOW("*")) ",'rcps':[[" DOC(RCP_DENY) "]]"),
     IAM_ALLOW, IAM_STEP_IDENTITY, 0},
    {"RCP Allow statements grant nothing",
     REQ("anonymous", "s3:GetObject", OBJ,
         ",'resource_account':'111122223333','rcps':[[" DOC(RCP_ALLOW) "]]"),
     IAM_IMPLICIT_DENY, IAM_STEP_UNAUTHENTICATED, -1},
    {"endpoint without an Allow",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'endpoint':" DOC(ALLOW("s3:List*"))),
     IAM_IMPLICIT_DENY, IAM_STEP_ENDPOINT, -1},
    {"endpoint Principal is matched",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'endpoint':" DOC(
             "{'Effect':'Allow','Action':'*','Resource':'*','Principal':{'AWS':'" BOB "'}}")),
     IAM_IMPLICIT_DENY, IAM_STEP_ENDPOINT, -1},
    /* resource policies and match kinds */
    {"direct grant ignores the boundary",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'boundary':" DOC(ALLOW("ec2:*")) ",'resource_policy':" DOC(
             RP_ALLOW("{'AWS':'" ALICE "'}"))),
     IAM_ALLOW, IAM_STEP_DIRECT_GRANT, 1},
    {"role grant is cut by the boundary",
     REQ(SESSION, "s3:GetObject", OBJ,
         ",'boundary':" DOC(ALLOW("ec2:*")) ",'resource_policy':" DOC(
             RP_ALLOW("{'AWS':'" APP_ROLE "'}"))),
     IAM_IMPLICIT_DENY, IAM_STEP_ROLE_GRANT, -1},
    {"role grant with no boundary",
     REQ(SESSION, "s3:GetObject", OBJ,
         ",'resource_policy':" DOC(RP_ALLOW("{'AWS':'" APP_ROLE "'}"))),
     IAM_ALLOW, IAM_STEP_ROLE_GRANT, 0},
    {"session grant ignores the session policy",
     REQ(SESSION, "s3:GetObject", OBJ,
         ",'session':" DOC(ALLOW("ec2:*")) ",'resource_policy':" DOC(
             RP_ALLOW("{'AWS':'" SESSION "'}"))),
     IAM_ALLOW, IAM_STEP_DIRECT_GRANT, 1},
    {"account grant delegates only",
     REQ(ALICE, "s3:GetObject", OBJ, ",'resource_policy':" DOC(RP_ALLOW("{'AWS':'111122223333'}"))),
     IAM_IMPLICIT_DENY, IAM_STEP_IDENTITY, -1},
    {"the strongest kind wins",
     REQ(SESSION, "s3:GetObject", OBJ,
         ",'boundary':" DOC(ALLOW("ec2:*")) ",'resource_policy':" DOC(
             RP_ALLOW("{'AWS':'111122223333'}") "," RP_ALLOW("{'AWS':'" APP_ROLE "'}") "," RP_ALLOW(
                 "{'AWS':['x','" SESSION "']}"))),
     IAM_ALLOW, IAM_STEP_DIRECT_GRANT, 3},
    {"resource policy without Resource is about this resource",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_policy':" DOC("{'Effect':'Allow','Action':'s3:GetObject','Principal':'*'}")),
     IAM_ALLOW, IAM_STEP_DIRECT_GRANT, 0},
    {"resource policy Resource still matches",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_policy':" DOC("{'Effect':'Allow','Action':'s3:GetObject','Principal':'*','"
                                   "Resource':'arn:aws:s3:::other/*'}")),
     IAM_IMPLICIT_DENY, IAM_STEP_IDENTITY, -1},
    /* cross-account: both sides */
    {"cross-account, both allow",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_account':'444455556666','identity':" DOC(
             ALLOW("s3:*")) ",'resource_policy':" DOC(RP_ALLOW("{'AWS':'111122223333'}"))),
     IAM_ALLOW, IAM_STEP_CROSS_ACCOUNT, 1},
    {"cross-account, only the resource side",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_account':'444455556666','resource_policy':" DOC(
             RP_ALLOW("{'AWS':'" ALICE "'}"))),
     IAM_IMPLICIT_DENY, IAM_STEP_CROSS_ACCOUNT, -1},
    {"cross-account, boundary cuts",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_account':'444455556666','identity':" DOC(ALLOW("s3:*")) ",'boundary':" DOC(
             ALLOW("ec2:*")) ",'resource_policy':" DOC(RP_ALLOW("{'AWS':'" ALICE "'}"))),
     IAM_IMPLICIT_DENY, IAM_STEP_CROSS_ACCOUNT, -1},
    {"cross-account trust",
     REQ(BOB, "sts:AssumeRole", "arn:aws:iam::111122223333:role/ops",
         ",'identity':" DOC(ALLOW("sts:AssumeRole")) ",'resource_policy':" DOC(
             RP_ALLOW("{'AWS':'444455556666'}"))),
     IAM_ALLOW, IAM_STEP_CROSS_ACCOUNT, 1},
    /* sessions */
    {"federated user without a session policy",
     REQ(FED, "s3:GetObject", OBJ, ",'identity':" DOC(ALLOW("*"))), IAM_IMPLICIT_DENY,
     IAM_STEP_IDENTITY, -1},
    {"federated user with one",
     REQ(FED, "s3:GetObject", OBJ, ",'identity':" DOC(ALLOW("*")) ",'session':" DOC(ALLOW("s3:*"))),
     IAM_ALLOW, IAM_STEP_IDENTITY, 0},
    {"role session: the session policy cuts",
     REQ(SESSION, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'session':" DOC(ALLOW("ec2:*"))),
     IAM_IMPLICIT_DENY, IAM_STEP_IDENTITY, -1},
    {"an empty boundary allows nothing",
     REQ(ALICE, "s3:GetObject", OBJ, ",'identity':" DOC(ALLOW("*")) ",'boundary':[]"),
     IAM_IMPLICIT_DENY, IAM_STEP_IDENTITY, -1},
    /* services and anonymous */
    {"service in a trust policy",
     REQ("ecs-tasks.amazonaws.com", "sts:AssumeRole", "arn:aws:iam::111122223333:role/task",
         ",'resource_policy':" DOC(RP_ALLOW("{'Service':'ecs-tasks.amazonaws.com'}"))),
     IAM_ALLOW, IAM_STEP_UNAUTHENTICATED, 0},
    {"service named through the account is not",
     REQ("ecs-tasks.amazonaws.com", "sts:AssumeRole", "arn:aws:iam::111122223333:role/task",
         ",'resource_policy':" DOC(RP_ALLOW("{'AWS':'111122223333'}"))),
     IAM_IMPLICIT_DENY, IAM_STEP_UNAUTHENTICATED, -1},
    /* NotPrincipal */
    {"Allow NotPrincipal excluding the account",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_policy':" DOC(
             "{'Effect':'Allow','Action':'*','NotPrincipal':{'AWS':'111122223333'}}")),
     IAM_IMPLICIT_DENY, IAM_STEP_IDENTITY, -1},
    {"Allow NotPrincipal excluding someone else",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_policy':" DOC("{'Effect':'Allow','Action':'*','NotPrincipal':{'AWS':'" BOB
                                   "'}}")),
     IAM_ALLOW, IAM_STEP_DIRECT_GRANT, 0},
    {"Deny NotPrincipal: the user alone is not enough",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'resource_policy':" DOC(
             RP_NOTDENY("{'AWS':'" ALICE "'}"))),
     IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, 1},
    {"Deny NotPrincipal: user and account listed",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'resource_policy':" DOC(
             RP_NOTDENY("{'AWS':['" ALICE "','111122223333']}"))),
     IAM_ALLOW, IAM_STEP_IDENTITY, 0},
    {"Deny NotPrincipal always hits a caller with a boundary",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'boundary':" DOC(ALLOW("*")) ",'resource_policy':" DOC(
             RP_NOTDENY("{'AWS':['" ALICE "','111122223333']}"))),
     IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, 2},
    {"Deny NotPrincipal: a session needs session, role and account",
     REQ(SESSION, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'resource_policy':" DOC(
             RP_NOTDENY("{'AWS':['" APP_ROLE "','111122223333']}"))),
     IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, 1},
    {"Deny NotPrincipal: whole chain listed",
     REQ(SESSION, "s3:GetObject", OBJ,
         ",'identity':" DOC(ALLOW("*")) ",'resource_policy':" DOC(
             RP_NOTDENY("{'AWS':['" SESSION "','" APP_ROLE "','111122223333']}"))),
     IAM_ALLOW, IAM_STEP_IDENTITY, 0},
    {"Deny NotPrincipal '*' excludes everyone",
     REQ("anonymous", "s3:GetObject", OBJ,
         ",'resource_account':'111122223333','resource_policy':" DOC(
             RP_ALLOW("'*'") "," RP_NOTDENY("{'AWS':'*'}"))),
     IAM_ALLOW, IAM_STEP_UNAUTHENTICATED, 0},
    /* derived keys */
    {"derived keys",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':" DOC(
             "{'Effect':'Allow','Action':'*','Resource':'*','Condition':{'StringEquals':{'aws:"
             "PrincipalArn':'" ALICE
             "','aws:username':'alice','aws:PrincipalAccount':'111122223333','aws:ResourceAccount':"
             "'111122223333','aws:PrincipalIsAWSService':'false'}}}")),
     IAM_ALLOW, IAM_STEP_IDENTITY, 0},
    {"a session's PrincipalArn is its role without the path",
     REQ(SESSION, "s3:GetObject", OBJ,
         ",'identity':" DOC("{'Effect':'Allow','Action':'*','Resource':'${aws:PrincipalArn}','"
                            "Condition':{'Null':{'aws:username':'true'}}}")),
     IAM_IMPLICIT_DENY, IAM_STEP_IDENTITY, -1},
    {"the request's keys win",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'context':{'AWS:USERNAME':'bob'},'identity':" DOC(
             "{'Effect':'Allow','Action':'*','Resource':'*','Condition':{'StringEquals':{'aws:"
             "username':'bob'}}}")),
     IAM_ALLOW, IAM_STEP_IDENTITY, 0},
    {"a key given as null stays absent",
     REQ(ALICE, "s3:GetObject", OBJ,
         ",'context':{'aws:username':null},'identity':" DOC(
             "{'Effect':'Allow','Action':'*','Resource':'*','Condition':{'Null':{'aws:username':'"
             "true'}}}")),
     IAM_ALLOW, IAM_STEP_IDENTITY, 0},
    {"services are AWS services",
     REQ("ecs-tasks.amazonaws.com", "s3:GetObject", OBJ,
         ",'resource_account':'111122223333','resource_policy':" DOC(
             "{'Effect':'Allow','Action':'*','Principal':'*','Condition':{'Bool':{'aws:"
             "PrincipalIsAWSService':'true'}}}")),
     IAM_ALLOW, IAM_STEP_UNAUTHENTICATED, 0},
};

START_TEST(test_authz_steps) {
  const char *name = steps[_i].name;
  Outcome o = authorize(steps[_i].req);
  ck_assert_msg(o.rc == IAM_OK, "%s: %s", name, o.msg);
  ck_assert_msg(o.d == steps[_i].want, "%s: decision %s", name, iam_decision_name(o.d));
  ck_assert_msg(o.step == steps[_i].step, "%s: step %s", name, iam_step_name(o.step));
  if (steps[_i].stmt != -2)
    ck_assert_msg(o.stmt == steps[_i].stmt, "%s: statement %d", name, (int)o.stmt);
}
END_TEST

/* ---- validation ------------------------------------------------------------- */

static const struct {
  const char *req, *msg;
} invalid[] = {
    {REQ(ALICE, "s3:GetObject", OBJ,
         ",'scps':[[" DOC(ALLOW("*")) "," DOC(
             ALLOW("*") ",{'Effect':'Allow','Action':'*','Resource':'*','Principal':'*'}") "]]"),
     "scps[0][1].Statement[1]: Principal is not allowed in an SCP"},
    {REQ(ALICE, "s3:GetObject", OBJ,
         ",'identity':[" DOC(
             "{'Effect':'Allow','Action':'*','Resource':'*','NotPrincipal':'*'}") "]"),
     "identity[0].Statement[0]: NotPrincipal is not allowed in an identity policy"},
    {REQ(ALICE, "s3:GetObject", OBJ,
         ",'boundary':" DOC("{'Effect':'Allow','Action':'*','Resource':'*','Principal':'*'}")),
     "boundary.Statement[0]: Principal is not allowed in a permissions boundary"},
    {REQ(ALICE, "s3:GetObject", OBJ,
         ",'rcps':[[" DOC(
             "{'Effect':'Deny','Action':'*','Resource':'*','Principal':{'AWS':'*'}}") "]]"),
     "rcps[0][0].Statement[0]: an RCP statement needs \"Principal\": \"*\""},
    {REQ(ALICE, "s3:GetObject", OBJ,
         ",'rcps':[[" DOC("{'Effect':'Deny','Action':'*','Principal':'*'}") "]]"),
     "rcps[0][0].Statement[0]: needs exactly one of Resource and NotResource"},
    {REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_policy':" DOC(
             "{'Effect':'Allow','Action':'*','Principal':'*','NotPrincipal':'*'}")),
     "resource_policy.Statement[0]: has both Principal and NotPrincipal"},
    {REQ(ALICE, "s3:GetObject", OBJ,
         ",'resource_policy':" DOC("{'Effect':'Allow','Action':'*','Principal':'" ALICE "'}")),
     "resource_policy.Statement[0].Principal: must be \"*\" or an object such as {\"AWS\": [...]}, "
     "not a bare string"},
    {REQ(ALICE, "s3:GetObject", OBJ, ",'resource_policy':[]"),
     "resource_policy: must be a policy document or null, not an array"},
    {REQ(ALICE, "s3:GetObject", OBJ,
         ",'endpoint':" DOC("{'Effect':'Allow','Action':'*','Principal':'*'}")),
     "endpoint.Statement[0]: needs exactly one of Resource and NotResource"},
    {REQ(ALICE, "s3:GetObject", OBJ, ",'scps':[" DOC(ALLOW("*")) "]"),
     "scps[0]: a level must be an array of documents, not an object"},
    {REQ(ALICE, "s3:GetObject", OBJ, ",'session':" DOC(ALLOW("*"))),
     "session: must be null for a user caller (only role sessions and federated users have one)"},
    {REQ(FED, "s3:GetObject", OBJ, ",'boundary':" DOC(ALLOW("*"))),
     "boundary: must be null for a federated user caller (only users, roles and role sessions have "
     "one)"},
    {REQ(ROOT, "s3:GetObject", OBJ, ",'boundary':[]"),
     "boundary: must be null for a root caller (only users, roles and role sessions have one)"},
    {REQ("anonymous", "s3:GetObject", OBJ, ",'identity':" DOC(ALLOW("*"))),
     "identity: must be null or [] for an anonymous caller"},
    {REQ("ecs.amazonaws.com", "s3:GetObject", OBJ, ",'identity':[" DOC(ALLOW("*")) "]"),
     "identity: must be null or [] for a service caller"},
    {REQ(ALICE, "s3:GetObject", OBJ, ",'resource_account':111122223333"),
     "resource_account: must be 12 digits or null"},
    {REQ(ALICE, "s3:GetObject", OBJ, ",'Identity':[]"), "request: unknown member 'Identity'"},
    {"{'action':'s3:GetObject','resource':'*'}", "request: missing \"principal\""},
    {"{'principal':5,'action':'s3:GetObject','resource':'*'}",
     "principal: must be a string, not a number"},
    {"{'principal':'" ALICE "','resource':'*'}", "request: missing \"action\""},
    {REQ(ALICE, "s3GetObject", OBJ, ""), "action 's3GetObject' is not shaped 'service:Name'"},
    {REQ(ALICE, "s3:GetObject", OBJ, ",'context':{'k':{}}"),
     "context.k: must be a string, number, boolean, null or an array, not an object"},
    {"[]", "request must be a JSON object with \"principal\", \"action\" and \"resource\""},
};

START_TEST(test_authz_invalid) {
  Outcome o = authorize(invalid[_i].req);
  ck_assert_msg(o.rc == IAM_EINVAL, "row %d: rc %d", _i, o.rc);
  ck_assert_str_eq(o.msg, invalid[_i].msg);
}
END_TEST

/* The iam_decision object form (no action/resource/context members) is the same request. */
START_TEST(test_authz_object_form) {
  const char *obj = J("{'principal':'" ALICE
                      "','identity':" DOC(ALLOW("s3:*")) ",'scps':[[" DOC(ALLOW("*")) "]]}");
  IamPolicy *p;
  IamError err;
  ck_assert_int_eq(iam_policy_parse(obj, strlen(obj), 0, &p, &err), IAM_OK);
  ck_assert_ptr_nonnull(p->authz);
  ck_assert_ptr_null(p->authz->action);
  ck_assert_uint_eq(p->authz->count[IAM_SET_IDENTITY], 1);
  ck_assert_uint_eq(p->authz->count[IAM_SET_SCP], 1);
  ck_assert_uint_eq(p->authz->nlevels[IAM_SET_SCP], 1);
  /* the identity-only evaluator never allows a whole-request policy (fail closed) */
  IamRequest r = {"s3:GetObject", 12, "*", 1, iam_ctx_empty(), NULL};
  IamDecision d;
  ck_assert_int_eq(iam_eval(p, &r, &d, NULL), IAM_OK);
  ck_assert_int_eq(d, IAM_IMPLICIT_DENY);
  IamAuthzResult res;
  ck_assert_int_eq(iam_authorize(p, &r, 0, &res), IAM_OK);
  ck_assert_int_eq(res.decision, IAM_ALLOW);
  iam_free(p);
  /* action, resource and context belong to iam_authorize's request only */
  const char *bad = J("{'principal':'" ALICE "','action':'s3:GetObject'}");
  ck_assert_int_eq(iam_policy_parse(bad, strlen(bad), 0, &p, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "policy: unknown member 'action'");
  /* aggregate rows are documents: the object form is not one */
  ck_assert_int_eq(iam_policy_parse(obj, strlen(obj), IAM_PARSE_DOCS, &p, &err), IAM_EINVAL);
}
END_TEST

/* Every allocation of parsing and deciding a rich request can fail: the
** result is IAM_ENOMEM, never a decision, and nothing leaks (valgrind). */
START_TEST(test_authz_alloc) {
  /* clang-format off */
  static const char rich[] =
      REQ(SESSION, "s3:GetObject", OBJ,
          ",'context':{'aws:SecureTransport':'true','k':['a','b']}"
          ",'identity':[" DOC(ALLOW("s3:*")) "]"
          ",'boundary':" DOC(ALLOW("*"))
          ",'session':" DOC(ALLOW("*"))
          ",'resource_policy':" DOC(RP_ALLOW("{'AWS':['111122223333','" APP_ROLE "'],'Service':'x.amazonaws.com'}")
                                    "," RP_NOTDENY("{'AWS':'*'}"))
          ",'scps':[[" DOC(ALLOW("*")) "],[" DOC(ALLOW("s3:*")) "]]"
          ",'rcps':[[" DOC(RCP_DENY) "]]"
          ",'endpoint':" DOC(ALLOW("*")));
  /* clang-format on */
  const char *req = J(rich);
  int done = 0;
  for (long i = 0; !done && i < 10000; i++) {
    IamPolicy *p = NULL;
    IamCtx *c = NULL;
    IamError err;
    IamAuthzResult res;
    iam_mem_fail_at(i);
    int rc = iam_policy_parse(req, strlen(req), IAM_PARSE_REQUEST, &p, &err);
    if (rc == IAM_OK) rc = iam_ctx_parse(p->authz->context, p->authz->context_len, &c, &err);
    if (rc == IAM_OK) {
      const char *big =
          "s3:"
          "GetObjectAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
      IamRequest r = {big, strlen(big), OBJ, strlen(OBJ), c, NULL};
      rc = iam_authorize(p, &r, 1, &res);
      if (rc == IAM_OK) {
        ck_assert_int_eq(res.decision, IAM_EXPLICIT_DENY); /* the RCP */
        done = 1;
      }
    }
    ck_assert_msg(rc == IAM_OK || rc == IAM_ENOMEM, "allocation %ld: rc %d (%s)", i, rc,
                  rc == IAM_ENOMEM ? "" : err.msg);
    iam_free(p);
    iam_free(c);
  }
  iam_mem_fail_at(-1);
  ck_assert(done);
}
END_TEST

/* Explanations of whole requests: rows, principal matches, the step in words. */
static void sink_append(void *arg, const char *s, size_t n) { strncat(arg, s, n); }

START_TEST(test_authz_explain) {
  static const struct {
    const char *req, *step;
    uint32_t nstmt;
    int principal1; /* row 1's principal: -1 none, 0 not named, 1 named */
    int applies1;
    const char *reason1;
  } rows[] = {
      {REQ(SESSION, "s3:GetObject", OBJ,
           ",'boundary':" DOC(ALLOW("ec2:*")) ",'resource_policy':" DOC(
               RP_ALLOW("{'AWS':'" APP_ROLE "'}"))),
       "the resource policy names the caller's role, but the permissions boundary does not "
       "allow it",
       2, 1, 1, ""},
      {REQ(ALICE, "s3:GetObject", OBJ,
           ",'identity':" DOC(ALLOW("*")) ",'resource_policy':" DOC(
               RP_NOTDENY("{'AWS':'" ALICE "'}"))),
       "explicit Deny in resource_policy.Statement[0]", 2, 1, 1, ""},
      {REQ(ALICE, "s3:GetObject", OBJ,
           ",'resource_account':'444455556666','identity':" DOC(
               ALLOW("*")) ",'resource_policy':" DOC(RP_ALLOW("{'AWS':'" BOB "'}"))),
       "the resource belongs to another account (444455556666): no resource policy names the "
       "caller",
       2, 0, 0,
       "Principal: 'arn:aws:iam::111122223333:user/alice' is not named by any of "
       "['arn:aws:iam::444455556666:user/bob']"},
      {REQ("arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForECS/ecs", "s3:GetObject", OBJ,
           ",'identity':" DOC(ALLOW("*")) ",'scps':[[" DOC(DENY("*")) "]]"),
       "allowed by identity[0].Statement[0]", 2, -1, 0,
       "SCPs do not apply to a service-linked role"},
      {REQ(ALICE, "ec2:RunInstances", "*",
           ",'identity':" DOC(ALLOW("*")) ",'rcps':[[" DOC(RCP_DENY) "]]"),
       "allowed by identity[0].Statement[0]", 2, 1, 0, "RCPs do not govern the service 'ec2'"},
      {REQ(ROOT, "ec2:RunInstances", "*", ",'scps':[[" DOC(ALLOW("s3:*")) "],[]]"),
       "SCP level 0 has no Allow statement that applies (every level needs one, such as "
       "FullAWSAccess)",
       1, -1, -1, NULL},
  };
  for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
    IamPolicy *p;
    IamError err;
    const char *text = J(rows[k].req);
    ck_assert_int_eq(iam_policy_parse(text, strlen(text), IAM_PARSE_REQUEST, &p, &err), IAM_OK);
    const IamAuthz *az = p->authz;
    IamRequest r = {az->action,       az->action_len,  az->resource,
                    az->resource_len, iam_ctx_empty(), NULL};
    IamExplain x;
    char buf[1024] = "";
    IamSink out = {sink_append, buf};
    ck_assert_int_eq(iam_explain_begin(&x, p, &r), IAM_OK);
    ck_assert_int_eq(iam_explain_step(&x, &out), IAM_OK);
    ck_assert_str_eq(buf, rows[k].step);
    ck_assert_uint_eq(p->nstmt, rows[k].nstmt);
    if (rows[k].applies1 >= 0) {
      IamExplainRow row;
      ck_assert_int_eq(iam_explain_row(&x, 1, &row), IAM_OK);
      ck_assert_int_eq(row.principal, rows[k].principal1);
      ck_assert_int_eq(row.applies, rows[k].applies1);
      buf[0] = 0;
      ck_assert_int_eq(iam_explain_reason(&x, 1, &row, &out), IAM_OK);
      ck_assert_str_eq(buf, rows[k].reason1);
      /* the decisive row is the deciding statement */
      ck_assert_int_eq(row.decisive, x.authz.stmt == 1);
    }
    iam_explain_end(&x);
    iam_free(p);
  }
}
END_TEST

Suite *authz_suite(void) {
  Suite *s = suite_create("authz");
  TCase *tc = tcase_create("principal");
  tcase_add_test(tc, test_caller_parse);
  tcase_add_test(tc, test_principal_match_kinds);
  suite_add_tcase(s, tc);
  tc = tcase_create("decide");
  tcase_add_loop_test(tc, test_authz_steps, 0, (int)(sizeof steps / sizeof steps[0]));
  tcase_add_loop_test(tc, test_authz_invalid, 0, (int)(sizeof invalid / sizeof invalid[0]));
  tcase_add_test(tc, test_authz_object_form);
  tcase_add_test(tc, test_authz_explain);
  suite_add_tcase(s, tc);
  tc = tcase_create("alloc");
  tcase_add_test(tc, test_authz_alloc);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);
  return s;
}
