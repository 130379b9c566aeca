/* SPDX-License-Identifier: MIT */
/* Evaluation indexes: service Bloom masks, literal action tables, the
** statement lists of a policy. See iam_index.h. */
#include "iam_index.h"

#include <string.h>

#include "iam.h"
#include "iam_match.h"
#include "iam_text.h"

#define FNV_OFFSET 2166136261u
#define FNV_PRIME  16777619u
#define PREFIX_MAX 64 /* service prefixes this long or longer get every bit */
#define TABLE_MIN  16 /* slots of the smallest literal table */

/* Hash of a lower-cased action, as used by the literal table. */
static uint32_t action_hash(const char *s, size_t n) {
  uint32_t h = FNV_OFFSET;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
  return h;
}

uint64_t iam_service_bit(const char *s, size_t n) {
  uint32_t h = FNV_OFFSET;
  for (size_t i = 0; i < n && s[i] != ':'; i++) h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
  return (uint64_t)1 << (h & 63);
}

static uint64_t service_mask(const IamStatement *st) {
  uint64_t m = 0;
  for (uint32_t i = 0; i < st->nact; i++) {
    const char *t = st->act_text[i];
    size_t k = 0;
    while (t[k] && t[k] != ':' && t[k] != '*' && t[k] != '?') k++;
    if (t[k] != ':') return ~(uint64_t)0; /* wildcard in the prefix, or no prefix */
    char low[PREFIX_MAX];
    if (k >= sizeof low) return ~(uint64_t)0;
    iam_ascii_lower(low, t, k);
    m |= iam_service_bit(low, k);
  }
  return m;
}

int iam_index_actions(IamStatement *st, IamArena *a) {
  uint32_t size = TABLE_MIN, nlit = 0, i;
  st->svc_mask = service_mask(st);
  if (st->nact < IAM_ACTION_INDEX_MIN) return IAM_OK;
  for (i = 0; i < st->nact; i++) nlit += st->act[i].kind == IAM_GLOB_LITERAL;
  while (size < 2 * nlit) size *= 2;
  st->act_tab = iam_arena_alloc(a, size * sizeof *st->act_tab);
  st->act_wild = iam_arena_alloc(a, (st->nact - nlit + 1) * sizeof *st->act_wild);
  if (st->act_tab == NULL || st->act_wild == NULL) return IAM_ENOMEM;
  memset(st->act_tab, 0xFF, size * sizeof *st->act_tab);
  st->act_tab_mask = size - 1;
  for (i = 0; i < st->nact; i++) {
    const IamGlob *g = &st->act[i];
    if (g->kind != IAM_GLOB_LITERAL) {
      st->act_wild[st->nwild++] = i;
      continue;
    }
    uint32_t h = action_hash(g->lit, g->n) & st->act_tab_mask;
    while (st->act_tab[h] != UINT32_MAX) h = (h + 1) & st->act_tab_mask;
    st->act_tab[h] = i;
  }
  return IAM_OK;
}

int iam_index_action_match(const IamStatement *s, const char *action_lower, size_t n, IamWork *w) {
  int a = 0;
  uint32_t i;
  if (!(s->svc_mask & iam_service_bit(action_lower, n))) return 0;
  if (s->act_tab) {
    uint32_t h = action_hash(action_lower, n) & s->act_tab_mask, k;
    while (!a && (k = s->act_tab[h]) != UINT32_MAX) {
      a = s->act[k].n == n && memcmp(s->act[k].lit, action_lower, n) == 0;
      h = (h + 1) & s->act_tab_mask;
    }
    for (i = 0; i < s->nwild && !a; i++)
      a = iam_glob_match(&s->act[s->act_wild[i]], action_lower, n, w);
  } else {
    for (i = 0; i < s->nact && !a; i++) a = iam_glob_match(&s->act[i], action_lower, n, w);
  }
  return a;
}

int iam_index_statements(IamPolicy *p, IamArena *a) {
  p->deny = iam_arena_alloc(a, (p->nstmt + 1) * sizeof *p->deny);
  p->allow = iam_arena_alloc(a, (p->nstmt + 1) * sizeof *p->allow);
  p->ballow = iam_arena_alloc(a, (p->nstmt + 1) * sizeof *p->ballow);
  p->svc = iam_arena_alloc(a, (p->nstmt + 1) * sizeof *p->svc);
  if (p->deny == NULL || p->allow == NULL || p->ballow == NULL || p->svc == NULL) return IAM_ENOMEM;
  for (uint32_t i = 0; i < p->nstmt; i++) {
    p->svc[i] = p->stmt[i].not_action ? ~(uint64_t)0 : p->stmt[i].svc_mask;
    if (p->authz) continue; /* decided by iam_authorize, which reads p->authz */
    if (p->stmt[i].effect == IAM_EFFECT_DENY)
      p->deny[p->ndeny++] = i;
    else if (p->stmt[i].set == IAM_SET_BOUNDARY)
      p->ballow[p->nballow++] = i;
    else
      p->allow[p->nallow++] = i;
  }
  return IAM_OK;
}
