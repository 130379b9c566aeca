/* SPDX-License-Identifier: MIT */
/* Explanations: how the decision on a request comes about, statement by
** statement (iam_explain() in SQL): which parts of each statement hold, the
** statement that decided, in words why a statement does not apply, and which
** context keys it reads that the request lacks. */
#ifndef IAM_EXPLAIN_H
#define IAM_EXPLAIN_H

#include <stdint.h>

#include "iam.h"
#include "iam_authz.h"
#include "iam_eval.h"
#include "iam_policy.h"
#include "iam_text.h"

typedef struct IamExplain {
  const IamPolicy *p; /* borrowed */
  IamRequest req;     /* borrowed texts and context (for a whole request: actx.view) */
  char *lower;        /* req.action lower-cased (iam_malloc'd) */
  IamDecision decision;
  int decider; /* index into p->stmt of the deciding statement, or -1 */
  /* A whole-request policy (p->authz): the procedure's findings and the
  ** context with the derived keys. Self-referential: never copy an
  ** IamExplain after iam_explain_begin. */
  IamAuthzResult authz;
  IamAuthzCtx actx;
  IamWork work; /* req.work when the caller gave none */
} IamExplain;

/* Start explaining r (checked with iam_request_check) against p: decide
** once. p and r's texts, context and work counter must outlive x; every row
** counts its work in the same counter (x's own, with the default limit, when
** r->work is NULL). IAM_OK, after which the caller ends with
** iam_explain_end, or IAM_ENOMEM, IAM_EWORK, IAM_EINTERRUPT (nothing to end). */
int iam_explain_begin(IamExplain *x, const IamPolicy *p, const IamRequest *r);
void iam_explain_end(IamExplain *x);

/* One statement's verdict. */
typedef struct IamExplainRow {
  IamStmtVerdict v; /* action, resource and conditions, each evaluated */
  uint8_t applies;  /* all three hold (and, in a whole request, the rest below) */
  uint8_t decisive; /* this statement decided the outcome */
  /* Whole requests only: */
  int8_t principal;      /* the Principal/NotPrincipal element lets the caller through
                         ** (1/0), or -1 when the statement has none */
  uint8_t kind;          /* IamMatchKind when principal == 1 */
  uint8_t not_in_effect; /* its policy type takes no part in this request (SCPs for a
                         ** service-linked role, RCPs outside their services) or its
                         ** effect counts for nothing there (RCP Allow) */
} IamExplainRow;

/* The verdict on statement i (< p->nstmt). IAM_OK, or a negative IamRc as
** iam_explain_begin's. */
int iam_explain_row(const IamExplain *x, uint32_t i, IamExplainRow *row);

/* Why statement i does not apply: the first of action, resource, condition
** that fails, in words (nothing when it applies). IAM_OK, or a negative
** IamRc as iam_explain_begin's. */
#define IAM_REASON_QUOTE_MAX  96 /* quoted values in reasons, at most */
#define IAM_REASON_MAX_VALUES 8  /* lists in reasons show at most this many values */
int iam_explain_reason(const IamExplain *x, uint32_t i, const IamExplainRow *row,
                       const IamSink *out);

/* For a whole request: the step that decided, in words ("explicit Deny in
** scps[1][0].Statement[2]", "the resource policy names the caller's role, and
** the permissions boundary does not allow it", ...). IAM_OK or IAM_ENOMEM. */
int iam_explain_step(const IamExplain *x, const IamSink *out);

/* The context keys statement i reads and the request lacks, as a JSON array:
** condition keys (as written) and the variables (lower-cased) of its
** Resource patterns and condition values, each once. IAM_OK or IAM_ENOMEM. */
int iam_explain_missing_keys(const IamExplain *x, uint32_t i, const IamSink *out);

#endif /* IAM_EXPLAIN_H */
