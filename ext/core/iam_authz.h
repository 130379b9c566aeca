/* SPDX-License-Identifier: MIT */
/* Deciding a whole request (ext/core/SEMANTICS.md, "Whole requests"): the caller,
** the accounts, and every policy type of a policy parsed in the
** whole-request form (IamPolicy.authz), combined as AWS's enforcement does. */
#ifndef IAM_AUTHZ_H
#define IAM_AUTHZ_H

#include <stdint.h>

#include "iam.h"
#include "iam_eval.h"
#include "iam_policy.h"
#include "iam_principal.h"

/* The step of the decision procedure that gave the answer. */
typedef enum IamStep {
  IAM_STEP_CALLER_IDENTITY = 0, /* sts:GetCallerIdentity is always allowed (built-in rule) */
  IAM_STEP_EXPLICIT_DENY,       /* a Deny statement applies (stmt) */
  IAM_STEP_PROTECTED,           /* an AWS-owned entity no policy can touch (built-in rule) */
  IAM_STEP_SCP_LEVEL,           /* an SCP level (level) has no applicable Allow */
  IAM_STEP_ENDPOINT,            /* the endpoint policy has no applicable Allow */
  IAM_STEP_UNAUTHENTICATED,     /* anonymous or service caller: only a direct grant counts */
  IAM_STEP_CROSS_ACCOUNT,       /* another account's resource: both sides must allow */
  IAM_STEP_DIRECT_GRANT,        /* the resource policy names the caller itself (stmt) */
  IAM_STEP_ROLE_GRANT,          /* the resource policy names the caller's role (stmt) */
  IAM_STEP_RESOURCE_POLICY,     /* trust and key policies must allow (built-in rule) */
  IAM_STEP_IDENTITY,            /* same account: the identity side decides */
  IAM_NSTEPS
} IamStep;

typedef struct IamAuthzResult {
  IamDecision decision;
  IamStep step;
  int32_t stmt;  /* the statement that decided (an explicit Deny, the resource-policy
                 ** grant, the first identity Allow), or -1 */
  int32_t level; /* IAM_STEP_SCP_LEVEL: the level; else -1 */
  /* What the procedure found (each only meaningful once reached). */
  uint8_t rp;                  /* IamMatchKind: the strongest applicable resource-policy Allow */
  uint8_t id_ok, pb_ok, sp_ok; /* identity, boundary and session policy allow */
  uint8_t same_account;        /* the caller's account owns the resource */
  uint8_t scps_apply, rcps_apply;
  char resource_account[IAM_ACCOUNT_LEN + 1]; /* "" when unknown */
} IamAuthzResult;

/* Decide r for a policy parsed in the whole-request form (p->authz != NULL).
** The derived context keys are added under r->ctx for the evaluation. With
** full set, every quantity of the result is computed even when an earlier step
** decides (for explanations). Returns IAM_OK or IAM_ENOMEM. */
int iam_authorize(const IamPolicy *p, const IamRequest *r, int full, IamAuthzResult *out);

/* Whether statement i of p applies to r as whole-request evaluation sees it:
** action, resource and conditions (iam_stmt_applies), and the Principal
** element; r->ctx must already hold the derived keys (iam_authz_ctx). kind is
** the principal match kind. Returns 1, 0, or IAM_ENOMEM. */
int iam_authz_stmt_applies(const IamPolicy *p, uint32_t i, const IamRequest *r,
                           const char *action_lower, IamMatchKind *kind);

/* The context of a whole request: ctx with the derived keys under it. The
** result borrows ctx, the caller in p, and res->resource_account; keep all
** alive while using *view. */
typedef struct IamAuthzCtx {
  IamCtx view, derived;
  IamCtxEntry e[5];
  const char *val[5];
  uint32_t len[5];
} IamAuthzCtx;
void iam_authz_ctx(const IamPolicy *p, const IamCtx *ctx, const char *resource_account,
                   IamAuthzCtx *out);

/* The account that owns the resource (SEMANTICS.md): the request's
** resource_account, else the ARN's account field if it is 12 digits, else
** the caller's account ("" when none is known). */
void iam_authz_resource_account(const IamPolicy *p, const char *resource, size_t n,
                                char out[IAM_ACCOUNT_LEN + 1]);

const char *iam_step_name(IamStep s); /* "explicit-deny", ... */

#endif /* IAM_AUTHZ_H */
