/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the request-context parser and policy-variable expansion.
**
** Input: CONTEXT [RS RESOURCE [RS ACTION]] (RS = 0x1e, see fuzz_common.h).
** The context is parsed; when it parses, fixed policies full of policy
** variables (defaults, escapes, unterminated and malformed tokens, every
** operator family) are evaluated against it. Checked besides memory safety:
**   - a failed parse returns no context and, unless out of memory, a message;
**   - entries are sorted, lower-cased, unique, and each is found by lookup;
**   - the deciding statement has the decision's Effect;
**   - a Deny-only policy never allows.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "iam_ctx.h"
#include "iam_eval.h"
#include "iam_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                  \
  do {                                                                            \
    if (!(c)) {                                                                   \
      fprintf(stderr, "fuzz_ctx: check failed: %s (line %d)\n", #c, __LINE__);   \
      abort();                                                                    \
    }                                                                             \
  } while (0)

/* Each condition is an Allow statement of its own, so every operator is
** evaluated whatever the others give. */
static const char *const policy_texts[] = {
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":"
    "\"arn:aws:ecs:*:*:cluster/${aws:username}-*\"},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":"
    "[\"arn:aws:ecs:${aws:RequestedRegion}:${aws:PrincipalAccount}:task/${aws:PrincipalTag/team}/*\","
    "\"arn:aws:s3:::bucket/${aws:userid, 'anon'}/${*}${?}${$}/x\","
    "\"arn:aws:s3:::b/${ aws:username }/${aws:x,'d'}${unterminated\","
    "\"arn:aws:s3:::b/${}${ }${a b}${x,}${x,'}${x,''}${\"]},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"StringEquals\":{\"aws:PrincipalTag/team\":\"${aws:ResourceTag/team}\"}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"StringLike\":{\"ecs:cluster\":[\"*${aws:username}*\",\"${aws:x, '*'}?\"]}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"StringNotEqualsIgnoreCase\":{\"aws:username\":[\"${aws:PrincipalTag/Name}\",\"ROOT\"]}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"${aws:username}\",\"env\"]}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"ForAnyValue:StringLike\":{\"aws:TagKeys\":\"${aws:PrincipalTag/prefix}*\"}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"ArnLike\":{\"ecs:cluster\":\"arn:aws:ecs:*:${aws:PrincipalAccount}:cluster/*\"}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"ArnNotEquals\":{\"aws:SourceArn\":\"arn:aws:iam::${aws:PrincipalAccount}:role/${aws:username}\"}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"Bool\":{\"aws:SecureTransport\":\"${aws:PrincipalTag/secure}\"}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":[true,\"${aws:x,'false'}\"]}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"NumericLessThanEquals\":{\"aws:MultiFactorAuthAge\":[\"3600\",1e300,-0.5]}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"NumericNotEquals\":{\"ecs:count\":\"${aws:x}\"}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"DateGreaterThan\":{\"aws:CurrentTime\":[\"2020-01-01T00:00:00Z\",\"1700000000\"]}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"DateLessThanEquals\":{\"aws:EpochTime\":\"2030-02-28T23:59:59.999+05:30\"}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\",\"::ffff:1.2.3.4/128\"]}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"NotIpAddressIfExists\":{\"aws:VpcSourceIp\":\"192.168.0.1\"}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"BinaryEquals\":{\"ecs:blob\":[\"QmluYXJ5\",\"AAEC/w==\"]}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\",\"Condition\":{"
    "\"Null\":{\"aws:TokenIssueTime\":\"true\",\"aws:username\":false}}},"
    "{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"NotResource\":"
    "\"arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}\"}"
    "]}",
    /* Deny only: must never allow */
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"arn:aws:ecs:*:*:*/${aws:username}\","
    "\"Condition\":{\"StringLike\":{\"aws:userid\":\"*${aws:username}*\"}}},"
    "{\"Effect\":\"Deny\",\"NotAction\":\"ecs:List*\",\"NotResource\":\"${aws:username}\"}]}",
    /* Version 2008: ${...} is plain text */
    "{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"ecs:*\","
    "\"Resource\":\"arn:aws:ecs:*:*:cluster/${aws:username}\",\"Condition\":{\"StringEquals\":"
    "{\"aws:username\":\"${aws:username}\"}}}}",
};
#define NPOL (sizeof policy_texts / sizeof policy_texts[0])

static IamPolicy *policies[NPOL];

static void setup(void) {
  static int done = 0;
  if (done) return;
  for (size_t i = 0; i < NPOL; i++) {
    IamError err;
    if (iam_policy_parse(policy_texts[i], strlen(policy_texts[i]), 0, &policies[i], &err) != IAM_OK) {
      fprintf(stderr, "fuzz_ctx: fixed policy %zu does not parse: %s\n", i, err.msg);
      abort();
    }
  }
  done = 1;
}

static void check_ctx(const IamCtx *c) {
  for (uint32_t i = 0; i < c->n; i++) {
    const IamCtxEntry *e = &c->e[i];
    CHECK(strlen(e->key) == e->key_len);
    for (uint32_t k = 0; k < e->key_len; k++) CHECK(!(e->key[k] >= 'A' && e->key[k] <= 'Z'));
    if (i) CHECK(strcmp(c->e[i - 1].key, e->key) < 0);
    CHECK(iam_ctx_get(c, e->key, e->key_len) == (e->is_null ? NULL : e));
    CHECK(e->is_null ? (e->n == 0 && !e->multi) : (e->multi || e->n == 1));
    for (uint32_t v = 0; v < e->n; v++) CHECK(e->val[v] != NULL && strlen(e->val[v]) == e->len[v]);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzField f[3];
  IamCtx *c = NULL;
  IamError err;
  setup();
  fuzz_split(data, size, f, 3);
  memset(&err, 0, sizeof err);
  int rc = iam_ctx_parse(f[0].s, f[0].n, &c, &err);
  if (rc != IAM_OK) {
    CHECK(c == NULL);
    CHECK(rc == IAM_ENOMEM || rc == IAM_EPARSE || rc == IAM_EINVAL || rc == IAM_ELIMIT);
    if (rc != IAM_ENOMEM) CHECK(err.msg[0] != 0);
  } else {
    check_ctx(c);
    static const char *const resources[] = {
        "arn:aws:ecs:us-east-1:123456789012:cluster/alice-prod",
        "arn:aws:ecs:us-east-1:123456789012:task/blue/0123",
        "arn:aws:s3:::bucket/anon/*?$/x",
        "*",
    };
    const char *action = f[2].present && f[2].n ? f[2].s : "ecs:RunTask";
    size_t alen = f[2].present && f[2].n ? f[2].n : strlen(action);
    if (iam_request_check(action, alen, NULL, 0, &err) != IAM_OK) action = "ecs:RunTask", alen = 11;
    for (size_t i = 0; i < NPOL; i++) {
      for (size_t k = 0; k <= sizeof resources / sizeof resources[0]; k++) {
        IamWork w;
        iam_work_init(&w, FUZZ_WORK_LIMIT, NULL, NULL);
        IamRequest r = {action, alen, NULL, 0, c, &w};
        if (k < sizeof resources / sizeof resources[0]) {
          r.resource = resources[k];
          r.resource_len = strlen(resources[k]);
        } else if (f[1].present) {
          r.resource = f[1].s;
          r.resource_len = f[1].n;
        } else {
          continue;
        }
        IamDecision d;
        int decider;
        int erc = iam_eval(policies[i], &r, &d, &decider);
        if (erc != IAM_OK) { /* never a decision with an error */
          CHECK(d == IAM_IMPLICIT_DENY && decider == -1);
          continue;
        }
        if (d != IAM_IMPLICIT_DENY) {
          CHECK(decider >= 0 && (uint32_t)decider < policies[i]->nstmt);
          CHECK(policies[i]->stmt[decider].effect ==
                (d == IAM_ALLOW ? IAM_EFFECT_ALLOW : IAM_EFFECT_DENY));
        }
        if (i == 1) CHECK(d != IAM_ALLOW);
      }
    }
    /* every template expanded directly, too */
    for (size_t i = 0; i < NPOL; i++) {
      const IamPolicy *p = policies[i];
      for (uint32_t s = 0; s < p->nstmt; s++) {
        const IamStatement *st = &p->stmt[s];
        for (uint32_t k = 0; k < st->nres; k++) {
          IamGlobCode buf[8], *codes = NULL;
          uint32_t n = 0;
          if (!st->res[k].has_vars) continue;
          IamWork w;
          iam_work_init(&w, FUZZ_WORK_LIMIT, NULL, NULL);
          int x = iam_template_codes(&st->res[k], c, SIZE_MAX, buf, 8, &codes, &n, &w);
          if (x == 1) iam_template_codes_release(&st->res[k], codes, buf);
        }
      }
    }
  }
  iam_free(c);
  fuzz_free(f, 3);
  return 0;
}
