/* SPDX-License-Identifier: MIT */
/* The decision (ext/core/SEMANTICS.md, "The decision"): explicit Deny beats
** Allow beats the implicit deny, and a permissions boundary must allow too;
** plus the per-statement verdict that explanations use. */
#ifndef IAM_EVAL_H
#define IAM_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "iam.h"
#include "iam_ctx.h"
#include "iam_policy.h"
#include "iam_work.h"

typedef struct IamRequest {
  const char *action; /* "service:Name", as given */
  size_t action_len;
  const char *resource; /* "*" or an ARN, always literal */
  size_t resource_len;
  const IamCtx *ctx; /* never NULL: use iam_ctx_empty() */
  /* The call's work counter (iam_work.h). NULL: iam_eval, iam_authorize and
  ** iam_explain_begin count against IAM_WORK_LIMIT_DEFAULT, without stopping
  ** early; the functions below them need one. */
  IamWork *work;
} IamRequest;

/* Check the request's text before any matching: the action is shaped
** "service:Name" (both parts non-empty); action and resource (either NULL:
** not checked) are valid UTF-8 without NUL bytes and within IAM_MAX_ACTION_BYTES
** and IAM_MAX_RESOURCE_BYTES. IAM_OK, or IAM_EINVAL/IAM_ELIMIT with err filled. */
int iam_request_check(const char *action, size_t an, const char *resource, size_t rn,
                      IamError *err);

/* Decide. *decider (if not NULL) is the index (into p->stmt) of the statement
** that decided (the first applicable Deny, else the first applicable Allow),
** or -1. IAM_OK, or IAM_ENOMEM, IAM_EWORK or IAM_EINTERRUPT: then there is no
** decision (*out is IAM_IMPLICIT_DENY, and the caller reports the error). */
int iam_eval(const IamPolicy *p, const IamRequest *r, IamDecision *out, int *decider);

/* Which parts of one statement hold for a request. */
typedef struct IamStmtVerdict {
  int8_t action, resource, conditions; /* 1 holds, 0 does not, -1 not evaluated */
  int32_t failed_cond;                 /* first condition that did not hold, or -1 */
} IamStmtVerdict;

/* Whether statement s applies to r: 1, 0, or a negative IamRc (IAM_ENOMEM,
** r->work's IAM_EWORK / IAM_EINTERRUPT). action_lower is r->action
** lower-cased; r->work must not be NULL. Resource and conditions are
** evaluated only while the parts before them hold, unless all_parts is set;
** v (if not NULL) receives what was found. */
int iam_stmt_applies(const IamStatement *s, const IamRequest *r, const char *action_lower,
                     int all_parts, IamStmtVerdict *v);

/* "Allow", "ExplicitDeny" or "ImplicitDeny" (static). */
const char *iam_decision_name(IamDecision d);

#endif /* IAM_EVAL_H */
