/* The decision (spec §3.1): explicit Deny beats Allow beats the implicit deny;
** plus the per-statement and per-condition results that explanations use. */
#ifndef IAM_EVAL_H
#define IAM_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "iam.h"
#include "iam_ctx.h"
#include "iam_policy.h"

typedef struct IamRequest {
  const char *action; /* "service:Name", as given */
  size_t action_len;
  const char *resource; /* "*" or an ARN, always literal */
  size_t resource_len;
  const IamCtx *ctx; /* never NULL: use iam_ctx_empty() */
} IamRequest;

/* Check the request's text before any matching: the action is shaped
** "service:Name" (both parts non-empty); action and resource (either NULL:
** not checked) are valid UTF-8 without NUL bytes and within IAM_MAX_ACTION_BYTES
** and IAM_MAX_RESOURCE_BYTES. IAM_EINVAL/IAM_ELIMIT with err filled. */
int iam_request_check(const char *action, size_t an, const char *resource, size_t rn,
                      IamError *err);

/* Decide. *decider is the index (into p->stmt) of the statement that decided
** (the first applicable Deny, else the first applicable Allow), or -1.
** Returns IAM_OK or IAM_ENOMEM. */
int iam_eval(const IamPolicy *p, const IamRequest *r, IamDecision *out, int *decider);

/* One statement: 1 if it applies, 0 if not, -1 out of memory. Optional out
** flags say which part matched (each is 1/0; conditions are only evaluated
** when action and resource match unless all_parts is set). */
typedef struct IamStmtResult {
  int8_t action, resource, conditions; /* 1 match, 0 no match, -1 not evaluated */
  int32_t failed_cond;                 /* first condition that did not hold, or -1 */
} IamStmtResult;
int iam_stmt_applies(const IamStatement *s, const IamRequest *r, const char *action_lower,
                     int all_parts, IamStmtResult *res);

/* One Resource pattern against the request resource: 1, 0, or -1 (OOM). */
int iam_resource_match(const IamTemplate *t, const char *res, size_t n, const IamCtx *ctx);

/* One condition entry (spec §4.2): 1 holds, 0 does not, -1 out of memory. */
int iam_cond_eval(const IamCond *c, const IamCtx *ctx);

#endif /* IAM_EVAL_H */
