/* SPDX-License-Identifier: MIT */
/* Bounded cache of compiled objects keyed by text: an open-addressing table
** of (hash, entry) slots, so a probe touches no entry but the one whose hash
** matches, and second-chance ("clock") eviction, so a hit only sets a bit in
** the entry it already touched. */
#include "iam_cache.h"

#include <stddef.h>
#include <string.h>

#include "iam.h"
#include "iam_mem.h"

struct IamCacheEntry {
  IamCacheEntry *prev, *next; /* eviction order: head = newest */
  uint64_t hash;
  size_t len, size; /* key length, accounted bytes */
  const void *obj;  /* inside the entry, after the key */
  int refs;         /* the cache's own plus callers' */
  uint32_t tag;     /* part of the key, with the text */
  uint8_t used;     /* hit since the clock hand last passed */
  char key[];       /* len bytes + NUL */
};

typedef struct Slot {
  uint64_t hash;
  IamCacheEntry *e; /* NULL = empty */
} Slot;

struct IamCache {
  IamHashKey key;
  Slot *slots;
  uint32_t nslots, n, max_entries; /* nslots is a power of two, >= 4n/3 */
  size_t bytes, max_bytes;
  IamCacheEntry *head, *tail;
  IamCacheStats st;
};

/* The 128-bit product of a and b folded to 64 bits. A difference in either
** input spreads through the carries, so no difference in a text passes a
** lane unchanged whatever the key (as a top-bit difference does through a
** 64-bit multiply), and the lane states stay secret with the key. */
#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 Mul128;
static uint64_t fold_mul(uint64_t a, uint64_t b) {
  Mul128 r = (Mul128)a * b;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
}
#else
static uint64_t fold_mul(uint64_t a, uint64_t b) {
  uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
  uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
  uint64_t lo = (mid << 32) | (uint32_t)ll, hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
  return lo ^ hi;
}
#endif

/* Odd constants with their bits spread evenly. */
#define M0 0xa0761d6478bd642full
#define M1 0xe7037ed1a0b428dbull

/* Two lanes over 32-byte blocks, each step multiplying two 8-byte words of
** the text, one mixed with the lane's state and one with a key word; the
** rest of the text through the first lane, 16 bytes a step; then the lanes
** folded together. Collisions are harmless to results (keys are compared in
** full) and, without the key, cannot be chosen. */
uint64_t iam_hash(const IamHashKey *key, const char *text, size_t len) {
  const unsigned char *p = (const unsigned char *)text;
  uint64_t a = key->k[0] ^ len, b = key->k[1], w[4];
  while (len >= 32) {
    memcpy(w, p, 32);
    a = fold_mul(a ^ w[0], w[1] ^ key->k[2]);
    b = fold_mul(b ^ w[2], w[3] ^ key->k[3]);
    p += 32;
    len -= 32;
  }
  if (len >= 16) {
    memcpy(w, p, 16);
    a = fold_mul(a ^ w[0], w[1] ^ key->k[2]);
    p += 16;
    len -= 16;
  }
  w[0] = w[1] = 0;
  memcpy(w, p, len);
  a = fold_mul(a ^ w[0], w[1] ^ key->k[3] ^ ((uint64_t)len << 56));
  return fold_mul(a ^ M0, b ^ M1);
}

#define SLOTS_MIN 1024 /* slots of a new cache; the table doubles at 3/4 load */

IamCache *iam_cache_new(size_t max_bytes, uint32_t max_entries, const IamHashKey *key) {
  IamCache *c = iam_malloc(sizeof *c);
  if (c == NULL) return NULL;
  memset(c, 0, sizeof *c);
  c->key = *key;
  c->nslots = SLOTS_MIN;
  c->slots = iam_malloc(c->nslots * sizeof *c->slots);
  if (c->slots == NULL) {
    iam_free(c);
    return NULL;
  }
  memset(c->slots, 0, c->nslots * sizeof *c->slots);
  c->max_bytes = max_bytes;
  c->max_entries = max_entries ? max_entries : 1;
  return c;
}

uint64_t iam_cache_hash(const IamCache *c, const char *text, size_t len) {
  return iam_hash(&c->key, text, len);
}

void iam_cache_entry_ref(IamCacheEntry *e) { e->refs++; }

void iam_cache_entry_unref(IamCacheEntry *e) {
  if (--e->refs == 0) iam_free(e);
}

const void *iam_cache_entry_obj(const IamCacheEntry *e) { return e->obj; }

static void unlink_list(IamCache *c, IamCacheEntry *e) {
  if (e->prev)
    e->prev->next = e->next;
  else
    c->head = e->next;
  if (e->next)
    e->next->prev = e->prev;
  else
    c->tail = e->prev;
  e->prev = e->next = NULL;
}

static void push_front(IamCache *c, IamCacheEntry *e) {
  e->prev = NULL;
  e->next = c->head;
  if (c->head)
    c->head->prev = e;
  else
    c->tail = e;
  c->head = e;
}

/* Remove slot i, shifting later members of its probe run back (no tombstones). */
static void slot_delete(IamCache *c, uint32_t i) {
  uint32_t mask = c->nslots - 1, j = i;
  c->slots[i].e = NULL;
  for (;;) {
    j = (j + 1) & mask;
    if (c->slots[j].e == NULL) return;
    uint32_t home = (uint32_t)c->slots[j].hash & mask;
    /* move j into the hole at i unless its home lies cyclically in (i, j] */
    if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
      c->slots[i] = c->slots[j];
      c->slots[j].e = NULL;
      i = j;
    }
  }
}

static void remove_entry(IamCache *c, IamCacheEntry *e) {
  uint32_t mask = c->nslots - 1, i = (uint32_t)e->hash & mask;
  while (c->slots[i].e != e) i = (i + 1) & mask;
  slot_delete(c, i);
  unlink_list(c, e);
  c->n--;
  c->bytes -= e->size;
  iam_cache_entry_unref(e);
}

void iam_cache_free(IamCache *c) {
  if (c == NULL) return;
  while (c->head) remove_entry(c, c->head);
  iam_free(c->slots);
  iam_free(c);
}

#define LINE 64
/* Lines fetched ahead: the entry's header and first bytes of its key (the
** hardware streams the rest once memcmp walks it), and the head of the
** object. Measured (scripts/bench.sh): more lines only add queueing. */
#define PREFETCH_KEY_LINES 4
#define PREFETCH_OBJ_LINES 4

void iam_cache_prefetch(const IamCache *c, uint64_t hash) {
  IAM_PREFETCH(&c->slots[(uint32_t)hash & (c->nslots - 1)]);
}

/* Offset of an inline object in the entry of a len-byte key. */
static size_t obj_offset(size_t len) {
  const size_t a = _Alignof(max_align_t);
  return (offsetof(IamCacheEntry, key) + len + 1 + a - 1) & ~(a - 1);
}

/* Prefetches never fault, so lines past a small entry (or an entry of
** another length whose hash collides) cost nothing but the fetch. */
void iam_cache_prefetch_entry(const IamCache *c, uint64_t hash, size_t len) {
  uint32_t mask = c->nslots - 1, i = (uint32_t)hash & mask;
  for (; c->slots[i].e; i = (i + 1) & mask) {
    if (c->slots[i].hash == hash) {
      const char *e = (const char *)c->slots[i].e;
      size_t off = obj_offset(len);
      for (int k = 0; k < PREFETCH_KEY_LINES; k++) IAM_PREFETCH(e + k * LINE);
      for (int k = 0; k < PREFETCH_OBJ_LINES; k++) IAM_PREFETCH(e + off + k * LINE);
      return;
    }
  }
}

IamCacheEntry *iam_cache_get(IamCache *c, const char *text, size_t len, uint64_t hash,
                             uint32_t tag) {
  uint32_t mask = c->nslots - 1, i = (uint32_t)hash & mask;
  for (; c->slots[i].e; i = (i + 1) & mask) {
    if (c->slots[i].hash != hash) continue;
    IamCacheEntry *e = c->slots[i].e;
    c->st.compares++;
    if (e->tag == tag && e->len == len && memcmp(e->key, text, len) == 0) {
      e->used = 1;
      e->refs++;
      c->st.hits++;
      return e;
    }
  }
  c->st.misses++;
  return NULL;
}

static void slot_insert(Slot *slots, uint32_t mask, uint64_t hash, IamCacheEntry *e) {
  uint32_t i = (uint32_t)hash & mask;
  while (slots[i].e) i = (i + 1) & mask;
  slots[i].hash = hash;
  slots[i].e = e;
}

static void grow(IamCache *c) {
  uint32_t ns = c->nslots * 2;
  Slot *s = iam_malloc(ns * sizeof *s);
  if (s == NULL) return; /* keep the fuller table: still correct */
  memset(s, 0, ns * sizeof *s);
  for (uint32_t i = 0; i < c->nslots; i++)
    if (c->slots[i].e) slot_insert(s, ns - 1, c->slots[i].hash, c->slots[i].e);
  iam_free(c->slots);
  c->slots = s;
  c->nslots = ns;
}

/* Second chance: entries hit since the hand last passed go back to the head. */
static void evict_one(IamCache *c) {
  IamCacheEntry *e = c->tail;
  while (e->used) {
    e->used = 0;
    unlink_list(c, e);
    push_front(c, e);
    e = c->tail;
  }
  remove_entry(c, e);
  c->st.evictions++;
}

/* A new entry for (text, tag) with room for objsize bytes of object after
** the key; NULL when out of memory. */
static IamCacheEntry *entry_new(const char *text, size_t len, uint64_t hash, uint32_t tag,
                                size_t objsize, size_t *obj_off, size_t *total) {
  *obj_off = obj_offset(len);
  *total = *obj_off + objsize;
  IamCacheEntry *e = iam_malloc(*total);
  if (e == NULL) return NULL;
  memset(e, 0, sizeof *e);
  memcpy(e->key, text, len);
  e->key[len] = 0;
  e->len = len;
  e->hash = hash;
  e->tag = tag;
  e->refs = 2; /* the cache's and the caller's */
  return e;
}

static IamCacheEntry *entry_insert(IamCache *c, IamCacheEntry *e) {
  while (c->n > 0 && (c->n + 1 > c->max_entries || c->bytes + e->size > c->max_bytes)) evict_one(c);
  if (4 * (uint64_t)(c->n + 1) > 3 * (uint64_t)c->nslots) { /* load at most 3/4 */
    grow(c);
    if (c->n + 1 >= c->nslots) evict_one(c); /* could not grow: make room */
  }
  slot_insert(c->slots, c->nslots - 1, e->hash, e);
  push_front(c, e);
  c->n++;
  c->bytes += e->size;
  return e;
}

/* Before an entry with this hash goes in: if IAM_CACHE_HASH_TWINS entries
** share the hash already, one of them goes, so however the texts were chosen
** no lookup compares more than that many in full. */
static void limit_twins(IamCache *c, uint64_t hash) {
  uint32_t mask = c->nslots - 1, i = (uint32_t)hash & mask, n = 0;
  IamCacheEntry *first = NULL;
  for (; c->slots[i].e; i = (i + 1) & mask) {
    if (c->slots[i].hash != hash) continue;
    if (first == NULL) first = c->slots[i].e;
    n++;
  }
  if (n >= IAM_CACHE_HASH_TWINS) {
    remove_entry(c, first);
    c->st.evictions++;
  }
}

IamCacheEntry *iam_cache_put(IamCache *c, const char *text, size_t len, uint64_t hash, uint32_t tag,
                             size_t objsize, IamCacheBuild build, const void *arg) {
  size_t off, total;
  IamCacheEntry *e = entry_new(text, len, hash, tag, objsize, &off, &total);
  if (e == NULL) return NULL;
  e->obj = build((char *)e + off, arg);
  e->size = total;
  limit_twins(c, hash);
  return entry_insert(c, e);
}

#ifdef IAM_TESTING
uint32_t iam_cache_probe_len(const IamCache *c, uint64_t hash) {
  uint32_t mask = c->nslots - 1, i = (uint32_t)hash & mask, n = 1;
  for (; c->slots[i].e; i = (i + 1) & mask) n++;
  return n;
}
#endif

void iam_cache_stats(const IamCache *c, IamCacheStats *out) {
  *out = c->st;
  out->entries = c->n;
  out->bytes = c->bytes;
  out->max_entries = c->max_entries;
  out->max_bytes = c->max_bytes;
}

void iam_cache_set_limits(IamCache *c, size_t max_bytes, uint32_t max_entries) {
  c->max_bytes = max_bytes;
  c->max_entries = max_entries ? max_entries : 1;
  while (c->n > 0 && (c->n > c->max_entries || c->bytes > c->max_bytes)) evict_one(c);
}

int iam_cache_evict(IamCache *c) {
  if (c->n == 0) return 0;
  evict_one(c);
  return 1;
}
