/* SPDX-License-Identifier: MIT */
/* A whole request put together from parts that are compiled once each.
**
** Reports ask the same question of many callers whose policies they hold
** apart: a principal's identity documents and boundary (shared by thousands
** of principals), its account's SCPs, a resource's policy. Writing each
** request as one JSON text means building and parsing that text once per
** row. Here each part is compiled once (IAM_PARSE_PART, through a cache),
** and a request is composed from the compiled parts: its statements are
** copies of theirs (pointers into their blocks, nothing parsed again), in
** the layout the parser gives the one text with every member, so that every
** decision and explanation equals the one on that text (tests/unit, and
** ext/core/SEMANTICS.md, "A request in parts"). */
#ifndef IAM_COMPOSE_H
#define IAM_COMPOSE_H

#include <stddef.h>

#include "iam.h"
#include "iam_policy.h"

typedef struct IamComposed IamComposed;

/* Compose the whole request whose members are those of parts[0..n) (each
** compiled with IAM_PARSE_PART; NULL entries give nothing) and, when
** principal is not NULL, whose caller is principal[0..principal_len) (the
** text of a "principal" member). Each member may come from one part only
** (a null member is not given), and "principal" from exactly one of them or
** the principal argument; names[i] names part i in messages. The limits on
** documents, statements and values hold for the whole, as for one text; the
** caller is checked against the policy types as the parser checks it.
**
** The result borrows the parts: they must outlive it. IAM_OK (*out, freed
** with iam_composed_free), IAM_ENOMEM, or IAM_EINVAL/IAM_ELIMIT with err. */
int iam_compose(const IamPolicy *const *parts, const char *const *names, int n,
                const char *principal, size_t principal_len, IamComposed **out, IamError *err);

/* The composed request, decided by iam_authorize and explained by
** iam_explain_begin like a policy parsed from one text. */
const IamPolicy *iam_composed_policy(const IamComposed *c);

void iam_composed_free(IamComposed *c);

#endif /* IAM_COMPOSE_H */
