/* SPDX-License-Identifier: MIT */
/* Compact copies: a compiled policy, context or template written into one
** block, laid out in the order evaluation reads it (what every request reads
** first, then resources and conditions, then text only explanations and the
** TVFs show), so an evaluation touches few cache lines and they can be
** fetched together. This is how every compiled object leaves the core (see
** the ownership note at IamPolicy): the copy points only into its own block. */
#ifndef IAM_COMPACT_H
#define IAM_COMPACT_H

#include <stddef.h>

#include "iam_ctx.h"
#include "iam_policy.h"
#include "iam_template.h"

/* Alignment the destination of a compact copy must have. */
#define IAM_COMPACT_ALIGN _Alignof(max_align_t) /* what malloc returns */

/* Copy p into dst (IAM_COMPACT_ALIGN-aligned, iam_compact_policy(p, NULL)
** bytes) and return the number of bytes written; with dst NULL only measure.
** The copy at dst is an IamPolicy equal to p in every field; it points only
** into dst and lives as long as that block, whatever becomes of p. */
size_t iam_compact_policy(const IamPolicy *p, void *dst);

/* The same for a context and for a template. */
size_t iam_compact_ctx(const IamCtx *c, void *dst);
size_t iam_compact_template(const IamTemplate *t, void *dst);

#endif /* IAM_COMPACT_H */
