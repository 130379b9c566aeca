/* Bounded LRU cache of compiled objects keyed by text: chained hash table plus
** a doubly linked recency list. */
#include "iam_cache.h"

#include <string.h>

#include "iam_mem.h"

struct IamCacheEntry {
  IamCacheEntry *hnext;          /* hash chain */
  IamCacheEntry *prev, *next;    /* recency list, most recent first */
  uint64_t hash;
  size_t len, size;              /* key length, accounted bytes */
  void *obj;
  IamCacheFree free_obj;
  int refs;                      /* the cache's own plus callers' */
  int in_cache;
  char key[];                    /* len bytes + NUL */
};

struct IamCache {
  IamCacheEntry **buckets;
  uint32_t nbuckets, n, max_entries;
  size_t bytes, max_bytes;
  IamCacheEntry *head, *tail;
  IamCacheFree free_obj;
  IamCacheStats st;
};

/* Four independent multiply-xorshift lanes over 32-byte blocks: fast enough
** that hashing a policy costs a fraction of reading it. Collisions are
** harmless (keys are compared in full). */
static uint64_t mix(uint64_t h, uint64_t w) {
  h = (h ^ w) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 31);
}

uint64_t iam_hash(const char *text, size_t len) {
  const unsigned char *p = (const unsigned char *)text;
  uint64_t a = 0x243F6A8885A308D3ull ^ len, b = 0x13198A2E03707344ull, c = 0xA4093822299F31D0ull,
           d = 0x082EFA98EC4E6C89ull, w[4];
  while (len >= 32) {
    memcpy(w, p, 32);
    a = mix(a, w[0]);
    b = mix(b, w[1]);
    c = mix(c, w[2]);
    d = mix(d, w[3]);
    p += 32;
    len -= 32;
  }
  while (len >= 8) {
    memcpy(w, p, 8);
    a = mix(a, w[0]);
    p += 8;
    len -= 8;
  }
  w[0] = 0;
  memcpy(w, p, len);
  a = mix(a, w[0] ^ len);
  uint64_t h = mix(mix(mix(a, b), c), d);
  return h ^ (h >> 29);
}

IamCache *iam_cache_new(size_t max_bytes, uint32_t max_entries, IamCacheFree free_obj) {
  IamCache *c = iam_malloc(sizeof *c);
  if (c == NULL) return NULL;
  memset(c, 0, sizeof *c);
  c->nbuckets = 1024;
  c->buckets = iam_malloc(c->nbuckets * sizeof *c->buckets);
  if (c->buckets == NULL) {
    iam_free(c);
    return NULL;
  }
  memset(c->buckets, 0, c->nbuckets * sizeof *c->buckets);
  c->max_bytes = max_bytes;
  c->max_entries = max_entries ? max_entries : 1;
  c->free_obj = free_obj;
  return c;
}

void iam_cache_entry_ref(IamCacheEntry *e) { e->refs++; }

void iam_cache_entry_unref(IamCacheEntry *e) {
  if (--e->refs == 0) {
    e->free_obj(e->obj);
    iam_free(e);
  }
}

void *iam_cache_entry_obj(const IamCacheEntry *e) { return e->obj; }

static void unlink_lru(IamCache *c, IamCacheEntry *e) {
  if (e->prev) e->prev->next = e->next; else c->head = e->next;
  if (e->next) e->next->prev = e->prev; else c->tail = e->prev;
  e->prev = e->next = NULL;
}

static void push_front(IamCache *c, IamCacheEntry *e) {
  e->prev = NULL;
  e->next = c->head;
  if (c->head) c->head->prev = e; else c->tail = e;
  c->head = e;
}

static void remove_entry(IamCache *c, IamCacheEntry *e) {
  IamCacheEntry **pp = &c->buckets[e->hash & (c->nbuckets - 1)];
  while (*pp != e) pp = &(*pp)->hnext;
  *pp = e->hnext;
  unlink_lru(c, e);
  c->n--;
  c->bytes -= e->size;
  e->in_cache = 0;
  iam_cache_entry_unref(e);
}

void iam_cache_free(IamCache *c) {
  if (c == NULL) return;
  while (c->head) remove_entry(c, c->head);
  iam_free(c->buckets);
  iam_free(c);
}

IamCacheEntry *iam_cache_get(IamCache *c, const char *text, size_t len, uint64_t hash) {
  for (IamCacheEntry *e = c->buckets[hash & (c->nbuckets - 1)]; e; e = e->hnext) {
    if (e->hash == hash && e->len == len && memcmp(e->key, text, len) == 0) {
      if (c->head != e) {
        unlink_lru(c, e);
        push_front(c, e);
      }
      e->refs++;
      c->st.hits++;
      return e;
    }
  }
  c->st.misses++;
  return NULL;
}

static void grow(IamCache *c) {
  uint32_t nb = c->nbuckets * 2;
  IamCacheEntry **b = iam_malloc(nb * sizeof *b);
  if (b == NULL) return; /* keep the smaller table: still correct */
  memset(b, 0, nb * sizeof *b);
  for (uint32_t i = 0; i < c->nbuckets; i++) {
    IamCacheEntry *e = c->buckets[i], *next;
    for (; e; e = next) {
      next = e->hnext;
      e->hnext = b[e->hash & (nb - 1)];
      b[e->hash & (nb - 1)] = e;
    }
  }
  iam_free(c->buckets);
  c->buckets = b;
  c->nbuckets = nb;
}

IamCacheEntry *iam_cache_put(IamCache *c, const char *text, size_t len, uint64_t hash, void *obj,
                             size_t size) {
  IamCacheEntry *e = iam_malloc(sizeof *e + len + 1);
  if (e == NULL) {
    c->free_obj(obj);
    return NULL;
  }
  memset(e, 0, sizeof *e);
  memcpy(e->key, text, len);
  e->key[len] = 0;
  e->len = len;
  e->hash = hash;
  e->obj = obj;
  e->free_obj = c->free_obj;
  e->size = size + sizeof *e + len + 1;
  e->refs = 2; /* the cache's and the caller's */
  e->in_cache = 1;
  while (c->n > 0 && (c->n + 1 > c->max_entries || c->bytes + e->size > c->max_bytes)) {
    remove_entry(c, c->tail);
    c->st.evictions++;
  }
  if (c->n + 1 > c->nbuckets && c->nbuckets < (1u << 24)) grow(c);
  IamCacheEntry **b = &c->buckets[hash & (c->nbuckets - 1)];
  e->hnext = *b;
  *b = e;
  push_front(c, e);
  c->n++;
  c->bytes += e->size;
  return e;
}

void iam_cache_stats(const IamCache *c, IamCacheStats *out) {
  *out = c->st;
  out->entries = c->n;
  out->bytes = c->bytes;
}
