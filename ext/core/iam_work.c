/* SPDX-License-Identifier: MIT */
/* Counting the work of one call (iam_work.h). */
#include "iam_work.h"

#include "iam_text.h"

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

void iam_work_init(IamWork *w, uint64_t limit, int (*stop)(void *arg), void *arg) {
  w->used = 0;
  w->limit = limit ? limit : IAM_WORK_LIMIT_DEFAULT;
  w->stop = stop;
  w->arg = arg;
  w->rc = IAM_OK;
  w->next = stop ? min_u64(w->limit, IAM_WORK_CHECK_EVERY) : w->limit;
}

int iam_work_over(IamWork *w) {
  if (w->rc != IAM_OK) return w->rc;
  if (w->used > w->limit) {
    w->rc = IAM_EWORK;
  } else if (w->stop && w->stop(w->arg)) {
    w->rc = IAM_EINTERRUPT;
  } else {
    w->next = min_u64(w->limit, w->used + IAM_WORK_CHECK_EVERY);
    return IAM_OK;
  }
  w->next = 0; /* every later charge comes here and gets rc */
  return w->rc;
}

void iam_work_error(const IamWork *w, IamError *err) {
  if (w->rc == IAM_EINTERRUPT)
    iam_error_set(err, -1, "interrupted");
  else
    iam_error_set(err, -1,
                  "needs more work than the limit of %llu units (matching patterns and "
                  "condition values against this request; iam_config('work_limit') sets it)",
                  (unsigned long long)w->limit);
}
