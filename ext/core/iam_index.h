/* SPDX-License-Identifier: MIT */
/* The indexes evaluation uses to skip work, beside the matchers they stand
** in for: per statement, a 64-bit Bloom filter of the service prefixes of its
** Action patterns and, for long lists, a hash table of the literal patterns;
** per policy, the statements of each kind with their service masks. No
** result depends on them: they only decide sooner what matching every
** pattern of every statement would. */
#ifndef IAM_INDEX_H
#define IAM_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "iam_mem.h"
#include "iam_policy.h"

/* Bloom bit of a lower-cased service prefix (the text before the first ':'). */
uint64_t iam_service_bit(const char *action_lower, size_t n);

#define IAM_ACTION_INDEX_MIN 8 /* patterns in a statement before it gets a table */

/* Set st->svc_mask from the patterns as written, and build st->act_tab and
** st->act_wild in a when the statement has IAM_ACTION_INDEX_MIN patterns or
** more. st->act, st->act_text and st->nact must be set. IAM_OK or IAM_ENOMEM. */
int iam_index_actions(IamStatement *st, IamArena *a);

/* 1 if the lower-cased action matches one of st's Action (or NotAction)
** patterns, else 0 (before NotAction's negation), or w's IAM_EWORK /
** IAM_EINTERRUPT. Action patterns have only unrestricted wildcards, so this
** never allocates. */
int iam_index_action_match(const IamStatement *st, const char *action_lower, size_t n, IamWork *w);

/* Fill p->svc, p->deny, p->allow and p->ballow (allocated in a) from
** p->stmt; the lists stay empty for a whole-request policy (p->authz).
** IAM_OK or IAM_ENOMEM. */
int iam_index_statements(IamPolicy *p, IamArena *a);

#endif /* IAM_INDEX_H */
