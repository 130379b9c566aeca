/* SPDX-License-Identifier: MIT */
/* The work of one call, counted against a limit: what bounds a call whose
** matching would otherwise grow with the product of its inputs (many
** patterns against a long resource, many policy values against many context
** values). ext/core/README.md, "Limits" and "The work limit". */
#ifndef IAM_WORK_H
#define IAM_WORK_H

#include <stdint.h>

#include "iam.h"

/* A unit of work is about one byte compared by a matcher: a pass of the
** position-set matcher over a text of m bytes is m + 1 units, a restart of
** the greedy matcher is the pattern codes it goes back over, comparing one
** condition value with one request value is 1 + both lengths, expanding a
** pattern's variables is its parts plus the codes it writes, and checking a
** Principal block is one unit per value. Work linear in the size of the
** policy and the request (reading statements, literal patterns, one pass of
** each matcher) is not counted: the size limits bound it. */
#define IAM_WORK_LIMIT_DEFAULT ((uint64_t)20 * 1000 * 1000)
/* Units between two calls of the stop callback (a few milliseconds). */
#define IAM_WORK_CHECK_EVERY ((uint64_t)1 << 20)

typedef struct IamWork {
  uint64_t used;  /* units so far */
  uint64_t next;  /* iam_work_over runs once used passes this */
  uint64_t limit; /* IAM_EWORK once used passes this */
  /* Asked every IAM_WORK_CHECK_EVERY units whether to stop (1) or go on (0);
  ** may be NULL. The SQLite glue stops when the statement is interrupted. */
  int (*stop)(void *arg);
  void *arg;
  int rc; /* IAM_OK, or IAM_EWORK/IAM_EINTERRUPT once the call must end */
} IamWork;

/* A counter for one call: limit units (0: IAM_WORK_LIMIT_DEFAULT). */
void iam_work_init(IamWork *w, uint64_t limit, int (*stop)(void *arg), void *arg);

/* Add n units to w. IAM_OK, or IAM_EWORK / IAM_EINTERRUPT (also on every
** later charge): the caller returns that code at once, and no decision is
** made. The common case is an addition and a comparison; w is evaluated
** twice. */
#define IAM_WORK_CHARGE(w, n) (((w)->used += (n)) > (w)->next ? iam_work_over(w) : IAM_OK)

/* The slow path of IAM_WORK_CHARGE: past the limit, or time to ask stop. */
int iam_work_over(IamWork *w);

/* The message for w's IAM_EWORK or IAM_EINTERRUPT (no function prefix). */
void iam_work_error(const IamWork *w, IamError *err);

#endif /* IAM_WORK_H */
