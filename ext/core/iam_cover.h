/* SPDX-License-Identifier: MIT */
/* Relations between two wildcard patterns (compiled globs, iam_match.h):
** whether every text one matches the other matches too (containment), and
** whether some text matches both (overlap). The linter and iam_new_access()
** ask these; both are decided exactly within a work budget. */
#ifndef IAM_COVER_H
#define IAM_COVER_H

#include <stdint.h>

#include "iam_match.h"

/* Answers besides 1 (yes) and 0 (no). */
#define IAM_COVER_UNKNOWN (-10) /* over the work budget, or outside what is decided exactly */

/* Whether every text that a[0..na) matches is also matched by b[0..nb), under
** the matching rules of iam_glob_match_codes (the codes of both made by the
** same compiler: action codes are already case-folded). 1, 0, IAM_ENOMEM, or
** IAM_COVER_UNKNOWN when a '?' meets non-ASCII literal text in either
** pattern (a '?' is one code point) or the search exceeds its budget.
** Callers that must be sound treat UNKNOWN as "not covered". When work is
** not NULL, the steps taken are added to *work (for callers with a budget
** over many calls). */
int iam_glob_covers(const IamGlobCode *b, uint32_t nb, const IamGlobCode *a, uint32_t na,
                    uint64_t *work);

/* Whether some text is matched by both a and b: 1, 0, IAM_ENOMEM or
** IAM_COVER_UNKNOWN (as above); work as above. */
int iam_glob_overlaps(const IamGlobCode *a, uint32_t na, const IamGlobCode *b, uint32_t nb,
                      uint64_t *work);

/* The work budget: states explored by one call, at most. */
#define IAM_COVER_MAX_STATES 20000

#endif /* IAM_COVER_H */
