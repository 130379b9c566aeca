/* Compact copies of compiled policies and contexts: the whole object in one
** block, laid out in the order evaluation reads it (what every request reads
** first, then resources and conditions, then text only the TVFs show), so an
** evaluation touches few cache lines and they can be fetched together. */
#ifndef IAM_COMPACT_H
#define IAM_COMPACT_H

#include <stddef.h>

#include "iam_ctx.h"
#include "iam_policy.h"

/* Alignment the destination of a compact copy must have. */
#define IAM_COMPACT_ALIGN _Alignof(max_align_t) /* what malloc returns */

/* Copy p into dst (IAM_COMPACT_ALIGN-aligned, iam_policy_compact(p, NULL)
** bytes) and return the number of bytes written; with dst NULL only measure.
** The copy at dst is an IamPolicy equal to p in every field, owning nothing:
** it lives as long as the block and must not be passed to iam_policy_free. */
size_t iam_policy_compact(const IamPolicy *p, void *dst);

/* The same for a context (not to be passed to iam_ctx_free). */
size_t iam_ctx_compact(const IamCtx *c, void *dst);

#endif /* IAM_COMPACT_H */
