/* SPDX-License-Identifier: MIT */
/* Containment and overlap of two globs, decided on a finite alphabet.
**
** What a pattern does with a character depends only on whether it is one of
** the pattern's literal bytes and whether it is ':' (the only character a
** restricted wildcard may not consume). So the texts over every character can
** be explored with one representative of each class: each literal byte of
** either pattern, ':', and one byte that is neither ("other"). This is exact
** when a '?' never has to line up with a multi-byte character: both functions
** answer IAM_COVER_UNKNOWN when a pattern has a '?' and either has a literal
** byte >= 0x80. (A '*' ends before a literal, and literals start on character
** boundaries, so bytes and characters agree for '*'.)
**
** Containment, b covers a: a breadth-first search over the states (position
** in a, set of positions of b), b's sets made on the fly (the subset
** construction); a reachable state where a has matched all of itself and b
** cannot be at its end is a text a matches and b does not. Overlap: a search
** over pairs of positions (the product of the two automata). */
#include "iam_cover.h"

#include <string.h>

#include "iam.h"
#include "iam_mem.h"

#define WILD(c)        IAM_GLOB_IS_WILD(c)
#define MAX_WORDS      (1u << 21) /* bitset words kept by one containment search */
#define MAX_PAIRS      (1u << 24) /* position pairs of one overlap search */
#define CLASS_MAX      258        /* 256 bytes, ':' and "other" */
#define OTHER_NOT_SEEN 0x100u

/* Whether code c consumes the character sigma (a byte, or OTHER_NOT_SEEN). */
static int consumes(IamGlobCode c, unsigned sigma) {
  if (!WILD(c)) return c == sigma;
  return !((c & IAM_GLOB_NOCOLON) && sigma == ':');
}

/* Literal bytes of both patterns; UNKNOWN when a '?' meets non-ASCII text. */
static int alphabet(const IamGlobCode *a, uint32_t na, const IamGlobCode *b, uint32_t nb,
                    unsigned *sigma, unsigned *nsigma) {
  uint64_t seen[4] = {0, 0, 0, 0};
  int qmark = 0, high = 0;
  for (int k = 0; k < 2; k++) {
    const IamGlobCode *p = k ? b : a;
    uint32_t n = k ? nb : na;
    for (uint32_t i = 0; i < n; i++) {
      if (WILD(p[i])) {
        if (p[i] & IAM_GLOB_QMARK) qmark = 1;
      } else {
        seen[(p[i] & 0xFF) >> 6] |= 1ull << (p[i] & 63);
        if (p[i] >= 0x80) high = 1;
      }
    }
  }
  if (qmark && high) return IAM_COVER_UNKNOWN;
  seen[':' >> 6] |= 1ull << (':' & 63);
  unsigned n = 0;
  for (unsigned w = 0; w < 4; w++)
    for (uint64_t bits = seen[w]; bits; bits &= bits - 1)
      sigma[n++] = w * 64 + (unsigned)__builtin_ctzll(bits);
  sigma[n++] = OTHER_NOT_SEEN;
  *nsigma = n;
  return IAM_OK;
}

/* Literal runs at the ends: a text of a pattern starts with the codes before
** its first wildcard and ends with those after its last one. */
static uint32_t literal_prefix(const IamGlobCode *p, uint32_t n) {
  uint32_t i = 0;
  while (i < n && !WILD(p[i])) i++;
  return i;
}

static uint32_t literal_suffix(const IamGlobCode *p, uint32_t n) {
  uint32_t i = 0;
  while (i < n && !WILD(p[n - 1 - i])) i++;
  return i;
}

/* A '?' in either pattern and a literal byte >= 0x80 in either: not decided. */
static int qmark_meets_utf8(const IamGlobCode *a, uint32_t na, const IamGlobCode *b, uint32_t nb) {
  int qmark = 0, high = 0;
  for (uint32_t i = 0; i < na; i++)
    qmark |= (a[i] & IAM_GLOB_QMARK) != 0, high |= a[i] >= 0x80 && !WILD(a[i]);
  for (uint32_t i = 0; i < nb; i++)
    qmark |= (b[i] & IAM_GLOB_QMARK) != 0, high |= b[i] >= 0x80 && !WILD(b[i]);
  return qmark && high;
}

/* A byte that is no literal of either pattern and not ':' (0 if none is free). */
static unsigned char free_byte(const IamGlobCode *a, uint32_t na, const IamGlobCode *b,
                               uint32_t nb) {
  uint64_t seen[2] = {1ull << ':', 0};
  for (int k = 0; k < 2; k++) {
    const IamGlobCode *p = k ? b : a;
    uint32_t n = k ? nb : na;
    for (uint32_t i = 0; i < n; i++)
      if (!WILD(p[i]) && p[i] < 128) seen[p[i] >> 6] |= 1ull << (p[i] & 63);
  }
  for (unsigned c = 1; c < 128; c++)
    if (!(seen[c >> 6] >> (c & 63) & 1)) return (unsigned char)c;
  return 0;
}

/* Whether b matches the text of a with each wildcard as one free byte
** (stars_empty: each '*' as nothing): 1, 0, IAM_ENOMEM; 1 when no free byte
** exists (no answer). */
static int witness(const IamGlobCode *b, uint32_t nb, const IamGlobCode *a, uint32_t na,
                   int stars_empty, uint64_t *work) {
  unsigned char other = free_byte(a, na, b, nb);
  char stack[256] = {0}, *t = na < sizeof stack ? stack : iam_malloc(na + 1);
  uint32_t m = 0;
  if (other == 0) return 1;
  if (t == NULL) return IAM_ENOMEM;
  for (uint32_t i = 0; i < na; i++) {
    if (!WILD(a[i]))
      t[m++] = (char)a[i];
    else if (!(stars_empty && (a[i] & IAM_GLOB_STAR)))
      t[m++] = (char)other;
  }
  if (work) *work += (uint64_t)(m + 1) * (nb + 1);
  int r = iam_glob_match_codes_short(b, nb, t, m);
  if (t != stack) iam_free(t);
  return r;
}

/* ---- containment ------------------------------------------------------------ */

typedef struct Search {
  const IamGlobCode *b;
  uint32_t nb, words;
  uint64_t *sets;  /* state k's set of b positions: sets[k * words ...] */
  uint32_t *apos;  /* state k's position in a */
  uint32_t *slots; /* open-addressing table of state indexes + 1 (0 = empty) */
  uint32_t nstates, cap, max, mask;
} Search;

/* Close a set of b positions under skipping a '*' (increasing order carries
** runs of stars). */
static void close_set(const Search *s, uint64_t *set) {
  for (uint32_t p = 0; p < s->nb; p++)
    if ((set[p >> 6] >> (p & 63) & 1) && (s->b[p] & IAM_GLOB_STAR))
      set[(p + 1) >> 6] |= 1ull << ((p + 1) & 63);
}

/* The set after b consumes sigma from every position of from. */
static int step_set(const Search *s, const uint64_t *from, unsigned sigma, uint64_t *to) {
  int any = 0;
  memset(to, 0, s->words * sizeof *to);
  for (uint32_t p = 0; p < s->nb; p++) {
    if (!(from[p >> 6] >> (p & 63) & 1) || !consumes(s->b[p], sigma)) continue;
    uint32_t q = (s->b[p] & IAM_GLOB_STAR) ? p : p + 1;
    to[q >> 6] |= 1ull << (q & 63);
    any = 1;
  }
  if (any) close_set(s, to);
  return any;
}

static uint32_t state_hash(const Search *s, uint32_t a, const uint64_t *set) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ a;
  for (uint32_t w = 0; w < s->words; w++) h = (h ^ set[w]) * 0x100000001B3ull;
  return (uint32_t)(h ^ h >> 32);
}

/* Room for twice as many states (the table rebuilt): IAM_OK, IAM_ENOMEM or
** IAM_COVER_UNKNOWN at the budget. */
static int grow(Search *s) {
  if (s->cap >= s->max) return IAM_COVER_UNKNOWN;
  uint32_t cap = s->cap ? 2 * s->cap : 16;
  if (cap > s->max) cap = s->max;
  uint64_t *sets = iam_realloc(s->sets, (size_t)cap * s->words * 8);
  if (sets == NULL) return IAM_ENOMEM;
  s->sets = sets;
  uint32_t *apos = iam_realloc(s->apos, (size_t)cap * sizeof *apos);
  if (apos == NULL) return IAM_ENOMEM;
  s->apos = apos;
  uint32_t nslots = 1;
  while (nslots < 2 * cap) nslots <<= 1;
  uint32_t *slots = iam_malloc((size_t)nslots * sizeof *slots);
  if (slots == NULL) return IAM_ENOMEM;
  memset(slots, 0, (size_t)nslots * sizeof *slots);
  for (uint32_t k = 0; k < s->nstates; k++) {
    uint32_t h = state_hash(s, s->apos[k], &s->sets[(size_t)k * s->words]) & (nslots - 1);
    while (slots[h]) h = (h + 1) & (nslots - 1);
    slots[h] = k + 1;
  }
  iam_free(s->slots);
  s->slots = slots;
  s->mask = nslots - 1;
  s->cap = cap;
  return IAM_OK;
}

/* Add state (a, set) if new: 1 added, 0 known, IAM_ENOMEM, IAM_COVER_UNKNOWN (budget). */
static int add_state(Search *s, uint32_t a, const uint64_t *set) {
  uint32_t h = state_hash(s, a, set) & s->mask;
  for (;; h = (h + 1) & s->mask) {
    uint32_t k = s->slots[h];
    if (k == 0) break;
    k--;
    if (s->apos[k] == a && memcmp(&s->sets[(size_t)k * s->words], set, s->words * 8) == 0) return 0;
  }
  if (s->nstates == s->cap) {
    int rc = grow(s);
    if (rc != IAM_OK) return rc;
    h = state_hash(s, a, set) & s->mask;
    while (s->slots[h]) h = (h + 1) & s->mask;
  }
  uint32_t k = s->nstates++;
  s->apos[k] = a;
  memcpy(&s->sets[(size_t)k * s->words], set, s->words * 8);
  s->slots[h] = k + 1;
  return 1;
}

int iam_glob_covers(const IamGlobCode *b, uint32_t nb, const IamGlobCode *a, uint32_t na,
                    uint64_t *work) {
  unsigned sigma[CLASS_MAX], nsigma;
  uint32_t i, awild = 0, bwild = 0;
  if (work) *work += (uint64_t)na + nb + 1;
  if (na == nb && memcmp(a, b, (size_t)na * sizeof *a) == 0) return 1; /* the same pattern */
  /* Every text of a starts with a's literal prefix, and past it a wildcard can
  ** put a character that is none of b's literals: so b's prefix must be a
  ** prefix of a's (and likewise at the end). */
  uint32_t la = literal_prefix(a, na), lb = literal_prefix(b, nb);
  if (la < lb || memcmp(a, b, (size_t)lb * sizeof *a) != 0) return 0;
  uint32_t sa = literal_suffix(a, na), sb = literal_suffix(b, nb);
  if (sa < sb || memcmp(a + na - sb, b + nb - sb, (size_t)sb * sizeof *a) != 0) return 0;
  for (i = 0; i < na; i++) awild += WILD(a[i]) != 0;
  for (i = 0; i < nb; i++) bwild += WILD(b[i]) != 0;
  if (awild > 0 && bwild > 0) {
    /* Two texts of a that b must match: every wildcard of a as one character
    ** that is none of the literals (nor ':'), and then each '*' as nothing. A
    ** cheap way to find most counterexamples before the search. */
    int r = witness(b, nb, a, na, 1, work);
    if (r == 1) r = witness(b, nb, a, na, 0, work);
    if (r != 1) return r == 0 ? 0 : r;
  }
  if (awild == 0) { /* one text: match it */
    char stack[256] = {0}, *t = na < sizeof stack ? stack : iam_malloc(na + 1);
    if (t == NULL) return IAM_ENOMEM;
    for (i = 0; i < na; i++) t[i] = (char)a[i];
    int r = iam_glob_match_codes_short(b, nb, t, na);
    if (t != stack) iam_free(t);
    return r;
  }
  if (bwild == 0) return 0; /* a matches at least two texts, b one */
  int rc = alphabet(a, na, b, nb, sigma, &nsigma);
  if (rc != IAM_OK) return rc;

  Search s;
  memset(&s, 0, sizeof s);
  s.b = b;
  s.nb = nb;
  s.words = (nb + 1 + 63) / 64;
  s.max = IAM_COVER_MAX_STATES;
  if ((size_t)s.max * s.words > MAX_WORDS) s.max = MAX_WORDS / s.words;
  uint64_t stack[2 * 8], *cur = stack, *next;
  if (s.words > 8 && (cur = iam_malloc(2 * (size_t)s.words * 8)) == NULL) return IAM_ENOMEM;
  next = cur + s.words;
  if ((rc = grow(&s)) != IAM_OK) goto done;
  memset(cur, 0, s.words * 8);
  cur[0] = 1;
  close_set(&s, cur);
  rc = add_state(&s, 0, cur);
  for (uint32_t k = 0; rc >= 0 && k < s.nstates; k++) {
    uint32_t pa = s.apos[k];
    memcpy(cur, &s.sets[(size_t)k * s.words], s.words * 8);
    if (pa == na) {
      if (!(cur[nb >> 6] >> (nb & 63) & 1)) {
        rc = 0; /* a has matched a text that b cannot end on */
        goto done;
      }
      continue;
    }
    IamGlobCode c = a[pa];
    if (c & IAM_GLOB_STAR) { /* a's '*' may match nothing */
      rc = add_state(&s, pa + 1, cur);
      if (rc < 0) break;
    }
    uint32_t to = (c & IAM_GLOB_STAR) ? pa : pa + 1;
    for (unsigned m = 0; m < nsigma; m++) {
      if (!consumes(c, sigma[m])) continue;
      if (!step_set(&s, cur, sigma[m], next)) {
        rc = 0; /* b is stuck while a goes on: a matches a text b does not */
        goto done;
      }
      rc = add_state(&s, to, next);
      if (rc < 0) break;
    }
  }
  rc = rc < 0 ? rc : 1;
done:
  if (work) *work += (uint64_t)s.nstates * (s.words + nsigma);
  if (cur != stack) iam_free(cur);
  iam_free(s.sets);
  iam_free(s.apos);
  iam_free(s.slots);
  return rc;
}

/* ---- overlap ------------------------------------------------------------------ */

int iam_glob_overlaps(const IamGlobCode *a, uint32_t na, const IamGlobCode *b, uint32_t nb,
                      uint64_t *work) {
  int rc;
  if (work) *work += (uint64_t)na + nb + 1;
  if (qmark_meets_utf8(a, na, b, nb)) return IAM_COVER_UNKNOWN;
  /* a common text starts with both literal prefixes and ends with both suffixes */
  uint32_t pa = literal_prefix(a, na), pb = literal_prefix(b, nb), m = pa < pb ? pa : pb;
  if (memcmp(a, b, (size_t)m * sizeof *a) != 0) return 0;
  uint32_t sa = literal_suffix(a, na), sb = literal_suffix(b, nb);
  m = sa < sb ? sa : sb;
  if (memcmp(a + na - m, b + nb - m, (size_t)m * sizeof *a) != 0) return 0;
  uint64_t pairs = (uint64_t)(na + 1) * (nb + 1);
  if (pairs > MAX_PAIRS) return IAM_COVER_UNKNOWN;
  if (work) *work += pairs;
  uint8_t *seen = iam_malloc((size_t)pairs);
  uint32_t *stack = iam_malloc((size_t)pairs * sizeof *stack);
  if (seen == NULL || stack == NULL) {
    iam_free(seen);
    iam_free(stack);
    return IAM_ENOMEM;
  }
  memset(seen, 0, (size_t)pairs);
  uint32_t top = 0, w = nb + 1;
  stack[top++] = 0;
  seen[0] = 1;
  rc = 0;
  while (top > 0) {
    uint32_t x = stack[--top], i = x / w, j = x % w;
    if (i == na && j == nb) {
      rc = 1;
      break;
    }
    uint32_t nxt[3];
    int n = 0;
    if (i < na && (a[i] & IAM_GLOB_STAR)) nxt[n++] = (i + 1) * w + j;
    if (j < nb && (b[j] & IAM_GLOB_STAR)) nxt[n++] = i * w + j + 1;
    if (i < na && j < nb) {
      int both = 0;
      if (!WILD(a[i]))
        both = consumes(b[j], a[i]);
      else if (!WILD(b[j]))
        both = consumes(a[i], b[j]);
      else
        both = 1; /* two wildcards: "other" passes both */
      uint32_t ti = (a[i] & IAM_GLOB_STAR) ? i : i + 1, tj = (b[j] & IAM_GLOB_STAR) ? j : j + 1;
      if (both && (ti != i || tj != j)) nxt[n++] = ti * w + tj;
    }
    for (int k = 0; k < n; k++) {
      if (!seen[nxt[k]]) {
        seen[nxt[k]] = 1;
        stack[top++] = nxt[k];
      }
    }
  }
  iam_free(seen);
  iam_free(stack);
  return rc;
}
