/* SPDX-License-Identifier: MIT */
/* Deciding a whole request (ext/core/SEMANTICS.md, "Whole requests": the decision
** procedure and its built-in rules). */
#include "iam_authz.h"

#include <string.h>

#include "iam_ctx.h"
#include "iam_index.h"
#include "iam_match.h"
#include "iam_text.h"

/* Services whose resources RCPs govern (SEMANTICS.md, "When SCPs and RCPs apply"). */
static const char *const rcp_services[] = {"s3",   "sts",     "sqs",  "secretsmanager",
                                           "kms",  "ecr",     "aoss", "cognito-identity",
                                           "logs", "dynamodb"};

/* Built-in rule: AWS-owned IAM entities no policy can change. Actions are
** lower-cased; resources are ArnLike patterns. */
static const char *const protected_policy_actions[] = {"iam:createpolicy",
                                                       "iam:createpolicyversion",
                                                       "iam:deletepolicy",
                                                       "iam:deletepolicyversion",
                                                       "iam:setdefaultpolicyversion",
                                                       "iam:tagpolicy",
                                                       "iam:untagpolicy",
                                                       NULL};
static const char *const protected_reserved_actions[] = {"iam:attachrolepolicy",
                                                         "iam:createrole",
                                                         "iam:createservicelinkedrole",
                                                         "iam:deleterole",
                                                         "iam:deleterolepermissionsboundary",
                                                         "iam:deleterolepolicy",
                                                         "iam:deleteservicelinkedrole",
                                                         "iam:detachrolepolicy",
                                                         "iam:passrole",
                                                         "iam:putrolepermissionsboundary",
                                                         "iam:putrolepolicy",
                                                         "iam:tagrole",
                                                         "iam:untagrole",
                                                         "iam:updateassumerolepolicy",
                                                         "iam:updaterole",
                                                         "iam:updateroledescription",
                                                         NULL};
static const char *const protected_slr_actions[] = {"iam:attachrolepolicy",
                                                    "iam:detachrolepolicy",
                                                    "iam:putrolepolicy",
                                                    "iam:deleterolepolicy",
                                                    "iam:updateassumerolepolicy",
                                                    "iam:putrolepermissionsboundary",
                                                    "iam:deleterolepermissionsboundary",
                                                    "iam:deleterole",
                                                    NULL};
static const char *const protected_alias_actions[] = {"kms:createalias", "kms:deletealias",
                                                      "kms:updatealias", NULL};
static const struct {
  const char *resource;
  const char *const *actions;
} protected_rules[] = {
    {"arn:*:iam::aws:policy/*", protected_policy_actions},
    {"arn:*:iam::*:role/aws-reserved/*", protected_reserved_actions},
    {"arn:*:iam::*:role/aws-service-role/*", protected_slr_actions},
    {"arn:*:kms:*:*:alias/aws/*", protected_alias_actions},
};

/* ArnLike of a short constant pattern against the request resource: 1, 0,
** or w's IAM_EWORK / IAM_EINTERRUPT. */
static int arn_like(const char *pattern, const char *res, size_t n, IamWork *w) {
  IamGlobCode codes[64];
  size_t k = strlen(pattern);
  if (k > sizeof codes / sizeof codes[0]) return 0;
  iam_glob_codes_like(codes, pattern, k);
  int r = iam_glob_arn_like(codes, (uint32_t)k, res, n, w);
  return r < 0 ? r : r == 1;
}

static int in_list(const char *const *list, const char *s) {
  for (; *list; list++)
    if (strcmp(*list, s) == 0) return 1;
  return 0;
}

/* 1, 0, or a negative IamRc (as arn_like). */
static int is_protected(const char *lower, const char *res, size_t n, IamWork *w) {
  for (size_t i = 0; i < sizeof protected_rules / sizeof protected_rules[0]; i++) {
    if (!in_list(protected_rules[i].actions, lower)) continue;
    int x = arn_like(protected_rules[i].resource, res, n, w);
    if (x != 0) return x;
  }
  return 0;
}

/* The service prefix of a lower-cased action is `svc`. */
static int service_is(const char *lower, const char *svc) {
  size_t k = strlen(svc);
  return strncmp(lower, svc, k) == 0 && lower[k] == ':';
}

/* Built-in rule: a role's trust policy and a KMS key's policy must allow.
** 1, 0, or a negative IamRc (as arn_like). */
static int needs_resource_policy(const char *lower, const char *res, size_t n, IamWork *w) {
  if (service_is(lower, "sts")) return arn_like("arn:*:iam::*:role/*", res, n, w);
  if (service_is(lower, "kms")) return arn_like("arn:*:kms:*:*:key/*", res, n, w);
  return 0;
}

static int rcp_service(const char *lower) {
  for (size_t i = 0; i < sizeof rcp_services / sizeof rcp_services[0]; i++)
    if (service_is(lower, rcp_services[i])) return 1;
  return 0;
}

void iam_authz_resource_account(const IamPolicy *p, const char *res, size_t n,
                                char out[IAM_ACCOUNT_LEN + 1]) {
  const IamAuthz *az = p->authz;
  const char *f = res;
  int field = 0;
  memset(out, 0, IAM_ACCOUNT_LEN + 1);
  if (az->resource_account[0]) {
    memcpy(out, az->resource_account, IAM_ACCOUNT_LEN);
    return;
  }
  /* the ARN's fifth field: arn:partition:service:region:ACCOUNT:... */
  if (n >= 4 && memcmp(res, "arn:", 4) == 0) {
    for (size_t i = 0; i < n && field < 4; i++)
      if (res[i] == ':') f = res + i + 1, field++;
    if (field == 4) {
      size_t k = 0;
      while (f + k < res + n && f[k] >= '0' && f[k] <= '9') k++;
      if (k == IAM_ACCOUNT_LEN && (f + k == res + n || f[k] == ':')) {
        memcpy(out, f, IAM_ACCOUNT_LEN);
        return;
      }
    }
  }
  memcpy(out, az->caller.account, IAM_ACCOUNT_LEN + 1);
}

/* Derived keys, in the sorted order of their lower-cased names. */
enum { D_PRINCIPAL_ACCOUNT, D_PRINCIPAL_ARN, D_IS_SERVICE, D_RESOURCE_ACCOUNT, D_USERNAME, D_N };
static const char *const derived_keys[D_N] = {"aws:principalaccount", "aws:principalarn",
                                              "aws:principalisawsservice", "aws:resourceaccount",
                                              "aws:username"};

void iam_authz_ctx(const IamPolicy *p, const IamCtx *ctx, const char *resource_account,
                   IamAuthzCtx *out) {
  const IamCaller *c = &p->authz->caller;
  const char *val[D_N] = {NULL};
  uint32_t len[D_N] = {0};
  int service = c->kind == IAM_CALLER_SERVICE;
  if (c->principal_arn) {
    val[D_PRINCIPAL_ARN] = c->principal_arn, len[D_PRINCIPAL_ARN] = c->principal_arn_len;
    val[D_PRINCIPAL_ACCOUNT] = c->account, len[D_PRINCIPAL_ACCOUNT] = IAM_ACCOUNT_LEN;
  }
  if (c->kind == IAM_CALLER_USER) val[D_USERNAME] = c->name, len[D_USERNAME] = c->name_len;
  if (resource_account[0])
    val[D_RESOURCE_ACCOUNT] = resource_account, len[D_RESOURCE_ACCOUNT] = IAM_ACCOUNT_LEN;
  val[D_IS_SERVICE] = service ? "true" : "false", len[D_IS_SERVICE] = service ? 4 : 5;
  memset(out, 0, sizeof *out);
  uint32_t n = 0;
  for (int i = 0; i < D_N; i++) {
    if (val[i] == NULL) continue;
    out->val[n] = val[i];
    out->len[n] = len[i];
    out->e[n].key = derived_keys[i];
    out->e[n].key_len = (uint32_t)strlen(derived_keys[i]);
    out->e[n].n = 1;
    out->e[n].val = &out->val[n];
    out->e[n].len = &out->len[n];
    n++;
  }
  out->derived.n = n;
  out->derived.e = out->e;
  out->view = *ctx; /* the request's keys first: they win over derived ones */
  out->view.under = &out->derived;
}

int iam_authz_stmt_applies(const IamPolicy *p, uint32_t i, const IamRequest *r,
                           const char *action_lower, IamMatchKind *kind) {
  const IamStatement *s = &p->stmt[i];
  const IamAuthz *az = p->authz;
  *kind = IAM_MATCH_NONE;
  int x = iam_stmt_applies(s, r, action_lower, 0, NULL);
  if (x <= 0) return x;
  if (s->principal == NULL) {
    *kind = IAM_MATCH_DIRECT;
    return 1;
  }
  if ((x = IAM_WORK_CHARGE(r->work, s->principal->nvals)) != IAM_OK) return x;
  return iam_principal_applies(s->principal, &az->caller, s->effect == IAM_EFFECT_DENY,
                               az->present[IAM_SET_BOUNDARY], kind);
}

/* Scan the statements of one type (and effect) for one that applies; *best
** gets the strongest match kind and *at its first statement (for Allow in a
** resource policy all are scanned, else the first that applies ends it).
** Returns 1, 0, or IAM_ENOMEM. */
static int scan(const IamPolicy *p, IamSet set, int effect, const IamRequest *r, const char *lower,
                uint64_t bit, int strongest, IamMatchKind *best, int32_t *at) {
  const IamAuthz *az = p->authz;
  uint32_t end = az->first[set] + az->count[set];
  *best = IAM_MATCH_NONE;
  *at = -1;
  for (uint32_t i = az->first[set]; i < end; i++) {
    IamMatchKind k;
    if (p->stmt[i].effect != effect || !(p->svc[i] & bit)) continue;
    int x = iam_authz_stmt_applies(p, i, r, lower, &k);
    if (x < 0) return x;
    if (!x || k <= *best) continue;
    *best = k;
    *at = (int32_t)i;
    if (!strongest || k == IAM_MATCH_DIRECT) break;
  }
  return *best != IAM_MATCH_NONE;
}

/* For each SCP level, some Allow applies: returns 1, or 0 with *level set to
** the first level without one, or IAM_ENOMEM. */
static int scp_levels(const IamPolicy *p, const IamRequest *r, const char *lower, uint64_t bit,
                      int32_t *level) {
  const IamAuthz *az = p->authz;
  uint32_t i = az->first[IAM_SET_SCP], end = i + az->count[IAM_SET_SCP];
  for (uint32_t l = 0; l < az->nlevels[IAM_SET_SCP]; l++) {
    int found = 0;
    while (i < end && p->stmt[i].level < l) i++;
    for (; i < end && p->stmt[i].level == l && !found; i++) {
      IamMatchKind k;
      if (p->stmt[i].effect != IAM_EFFECT_ALLOW || !(p->svc[i] & bit)) continue;
      int x = iam_authz_stmt_applies(p, i, r, lower, &k);
      if (x < 0) return x;
      found = x;
    }
    if (!found) {
      *level = (int32_t)l;
      return 0;
    }
  }
  return 1;
}

/* Record the step that decides (the first one reached; later steps are only
** computed for explanations). */
static void decide(IamAuthzResult *res, int *decided, IamDecision d, IamStep step, int32_t stmt) {
  if (*decided) return;
  *decided = 1;
  res->decision = d;
  res->step = step;
  res->stmt = stmt;
}

int iam_authorize(const IamPolicy *p, const IamRequest *r0, int full, IamAuthzResult *res) {
  const IamAuthz *az = p->authz;
  const IamCaller *c = &az->caller;
  char stack[256], *lower = stack;
  IamAuthzCtx actx;
  IamMatchKind k;
  int32_t at, rp_at = -1, id_at = -1;
  int rc = IAM_OK, x, decided = 0;
  IamWork own;
  IamWork *w = r0->work;
  if (w == NULL) { /* a counter of our own, with the default limit */
    iam_work_init(&own, 0, NULL, NULL);
    w = &own;
  }

  memset(res, 0, sizeof *res);
  res->stmt = res->level = -1;
  res->decision = IAM_IMPLICIT_DENY;
  if (r0->action_len >= sizeof stack && (lower = iam_malloc(r0->action_len + 1)) == NULL)
    return IAM_ENOMEM;
  iam_ascii_lower(lower, r0->action, r0->action_len);
  lower[r0->action_len] = 0;
  uint64_t bit = iam_service_bit(lower, r0->action_len);
  int anon = c->kind == IAM_CALLER_ANONYMOUS, service = c->kind == IAM_CALLER_SERVICE;

  /* built-in: sts:GetCallerIdentity, for every authenticated caller */
  if (!anon && strcmp(lower, "sts:getcalleridentity") == 0) {
    decide(res, &decided, IAM_ALLOW, IAM_STEP_CALLER_IDENTITY, -1);
    if (!full) goto done;
  }
  iam_authz_resource_account(p, r0->resource, r0->resource_len, res->resource_account);
  iam_authz_ctx(p, r0->ctx, res->resource_account, &actx);
  IamRequest r = *r0;
  r.ctx = &actx.view;
  r.work = w;
  res->scps_apply = az->present[IAM_SET_SCP] && !c->service_linked && !anon && !service;
  res->rcps_apply = az->present[IAM_SET_RCP] && !c->service_linked && rcp_service(lower);

  /* 1. an explicit Deny in any policy that applies */
  static const IamSet deny_order[] = {IAM_SET_SCP,      IAM_SET_RCP,      IAM_SET_ENDPOINT,
                                      IAM_SET_RESOURCE, IAM_SET_IDENTITY, IAM_SET_BOUNDARY,
                                      IAM_SET_SESSION};
  for (size_t i = 0; i < sizeof deny_order / sizeof deny_order[0]; i++) {
    IamSet set = deny_order[i];
    if ((set == IAM_SET_SCP && !res->scps_apply) || (set == IAM_SET_RCP && !res->rcps_apply))
      continue;
    if ((x = scan(p, set, IAM_EFFECT_DENY, &r, lower, bit, 0, &k, &at)) < 0) goto fail;
    if (x) {
      decide(res, &decided, IAM_EXPLICIT_DENY, IAM_STEP_EXPLICIT_DENY, at);
      break;
    }
  }
  if (decided && !full) goto done;

  /* 2. what AWS never allows, whatever the policies say */
  if ((x = is_protected(lower, r.resource, r.resource_len, w)) < 0) goto fail;
  if (x) {
    decide(res, &decided, IAM_IMPLICIT_DENY, IAM_STEP_PROTECTED, -1);
    if (!full) goto done;
  }

  /* 3. guardrails that must allow */
  if (res->scps_apply) {
    int32_t level = -1;
    if ((x = scp_levels(p, &r, lower, bit, &level)) < 0) goto fail;
    if (!x) {
      if (!decided) res->level = level;
      decide(res, &decided, IAM_IMPLICIT_DENY, IAM_STEP_SCP_LEVEL, -1);
      if (!full) goto done;
    }
  }
  if (az->present[IAM_SET_ENDPOINT]) {
    if ((x = scan(p, IAM_SET_ENDPOINT, IAM_EFFECT_ALLOW, &r, lower, bit, 0, &k, &at)) < 0)
      goto fail;
    if (!x) {
      decide(res, &decided, IAM_IMPLICIT_DENY, IAM_STEP_ENDPOINT, -1);
      if (!full) goto done;
    }
  }

  /* 4. grants */
  if ((x = scan(p, IAM_SET_RESOURCE, IAM_EFFECT_ALLOW, &r, lower, bit, 1, &k, &rp_at)) < 0)
    goto fail;
  res->rp = (uint8_t)k;
  if ((x = scan(p, IAM_SET_IDENTITY, IAM_EFFECT_ALLOW, &r, lower, bit, 0, &k, &id_at)) < 0)
    goto fail;
  res->id_ok = x || c->kind == IAM_CALLER_ROOT; /* root: its own account's permissions */
  res->pb_ok = 1;
  if (az->present[IAM_SET_BOUNDARY]) {
    if ((x = scan(p, IAM_SET_BOUNDARY, IAM_EFFECT_ALLOW, &r, lower, bit, 0, &k, &at)) < 0)
      goto fail;
    res->pb_ok = (uint8_t)x;
  }
  res->sp_ok = 1;
  if (az->present[IAM_SET_SESSION]) {
    if ((x = scan(p, IAM_SET_SESSION, IAM_EFFECT_ALLOW, &r, lower, bit, 0, &k, &at)) < 0) goto fail;
    res->sp_ok = (uint8_t)x;
  } else if (c->kind == IAM_CALLER_FEDERATED) {
    res->sp_ok = 0; /* a federated user without a session policy has no permissions */
  }
  int identity_side = res->id_ok && res->pb_ok && res->sp_ok;
  res->same_account = !anon && !service && res->resource_account[0] &&
                      memcmp(c->account, res->resource_account, IAM_ACCOUNT_LEN) == 0;
  int rp = res->rp;
  if (anon || service) {
    decide(res, &decided, rp == IAM_MATCH_DIRECT ? IAM_ALLOW : IAM_IMPLICIT_DENY,
           IAM_STEP_UNAUTHENTICATED, rp == IAM_MATCH_DIRECT ? rp_at : -1);
  } else if (!res->same_account) {
    int ok = rp != IAM_MATCH_NONE && identity_side;
    decide(res, &decided, ok ? IAM_ALLOW : IAM_IMPLICIT_DENY, IAM_STEP_CROSS_ACCOUNT,
           ok ? rp_at : -1);
  } else if (rp == IAM_MATCH_DIRECT) {
    decide(res, &decided, IAM_ALLOW, IAM_STEP_DIRECT_GRANT, rp_at);
  } else if (rp == IAM_MATCH_ROLE) {
    int ok = res->pb_ok && res->sp_ok;
    decide(res, &decided, ok ? IAM_ALLOW : IAM_IMPLICIT_DENY, IAM_STEP_ROLE_GRANT, ok ? rp_at : -1);
  } else if ((x = needs_resource_policy(lower, r.resource, r.resource_len, w)) < 0) {
    goto fail;
  } else if (x) {
    int ok = rp == IAM_MATCH_ACCOUNT && identity_side;
    decide(res, &decided, ok ? IAM_ALLOW : IAM_IMPLICIT_DENY, IAM_STEP_RESOURCE_POLICY,
           ok ? rp_at : -1);
  } else {
    decide(res, &decided, identity_side ? IAM_ALLOW : IAM_IMPLICIT_DENY, IAM_STEP_IDENTITY,
           identity_side ? id_at : -1);
  }
  goto done;
fail: /* out of memory, or the work limit or an interruption ended the call */
  rc = x;
done:
  /* no decision once the counter has stopped the call, whatever path saw it */
  if (rc == IAM_OK && w->rc != IAM_OK) rc = w->rc;
  if (rc != IAM_OK) {
    res->decision = IAM_IMPLICIT_DENY;
    res->stmt = -1;
  }
  if (lower != stack) iam_free(lower);
  return rc;
}

const char *iam_step_name(IamStep s) {
  static const char *const names[IAM_NSTEPS] = {"caller-identity",  "explicit-deny",
                                                "protected-entity", "scp-level",
                                                "endpoint",         "unauthenticated",
                                                "cross-account",    "direct-grant",
                                                "role-grant",       "resource-policy-required",
                                                "identity"};
  return (unsigned)s < IAM_NSTEPS ? names[s] : "?";
}
