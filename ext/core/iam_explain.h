/* SPDX-License-Identifier: MIT */
/* Explanations: how the decision on a request comes about, statement by
** statement (iam_explain() in SQL): which parts of each statement hold, the
** statement that decided, in words why a statement does not apply, and which
** context keys it reads that the request lacks. */
#ifndef IAM_EXPLAIN_H
#define IAM_EXPLAIN_H

#include <stdint.h>

#include "iam.h"
#include "iam_eval.h"
#include "iam_policy.h"
#include "iam_text.h"

typedef struct IamExplain {
  const IamPolicy *p; /* borrowed */
  IamRequest req;     /* borrowed texts and context */
  char *lower;        /* req.action lower-cased (iam_malloc'd) */
  IamDecision decision;
  int decider; /* index into p->stmt of the deciding statement, or -1 */
} IamExplain;

/* Start explaining r (checked with iam_request_check) against p: decide
** once. p and r's texts and context must outlive x. IAM_OK, after which the
** caller ends with iam_explain_end, or IAM_ENOMEM (nothing to end). */
int iam_explain_begin(IamExplain *x, const IamPolicy *p, const IamRequest *r);
void iam_explain_end(IamExplain *x);

/* One statement's verdict. */
typedef struct IamExplainRow {
  IamStmtVerdict v; /* action, resource and conditions, each evaluated */
  uint8_t applies;  /* all three hold */
  uint8_t decisive; /* this statement decided the outcome */
} IamExplainRow;

/* The verdict on statement i (< p->nstmt). IAM_OK or IAM_ENOMEM. */
int iam_explain_row(const IamExplain *x, uint32_t i, IamExplainRow *row);

/* Why statement i does not apply: the first of action, resource, condition
** that fails, in words (nothing when it applies). IAM_OK or IAM_ENOMEM. */
#define IAM_REASON_QUOTE_MAX  96 /* quoted values in reasons, at most */
#define IAM_REASON_MAX_VALUES 8  /* lists in reasons show at most this many values */
int iam_explain_reason(const IamExplain *x, uint32_t i, const IamExplainRow *row,
                       const IamSink *out);

/* The context keys statement i reads and the request lacks, as a JSON array:
** condition keys (as written) and the variables (lower-cased) of its
** Resource patterns and condition values, each once. IAM_OK or IAM_ENOMEM. */
int iam_explain_missing_keys(const IamExplain *x, uint32_t i, const IamSink *out);

#endif /* IAM_EXPLAIN_H */
