/* SPDX-License-Identifier: MIT */
/* A bounded cache of compiled objects (policies, contexts) keyed by their
** JSON text, with second-chance (clock) eviction by entry count and bytes.
** Each object lives inside its entry, next to its key, and goes with it.
** Entries are reference counted so a caller may hold one while the cache
** evicts it. Not thread-safe: one cache per database connection. */
#ifndef IAM_CACHE_H
#define IAM_CACHE_H

#include <stddef.h>
#include <stdint.h>

typedef struct IamCache IamCache;
typedef struct IamCacheEntry IamCacheEntry;

/* The secret key of a cache's hash: 32 random bytes (the SQLite glue draws
** them with sqlite3_randomness for each cache of each connection). Without
** the key no one can choose texts whose hashes collide, so a lookup costs the
** same however the texts were chosen (ext/core/README.md, "Flooding"). */
typedef struct IamHashKey {
  uint64_t k[4];
} IamHashKey;

/* The hash of a text under a key: two lanes of 64x64->128-bit multiplies of
** text words, folded to 64 bits; several bytes per cycle. */
uint64_t iam_hash(const IamHashKey *key, const char *text, size_t len);

/* New empty cache whose hash is keyed with *key (copied); NULL when out of
** memory. Caller frees with iam_cache_free. */
IamCache *iam_cache_new(size_t max_bytes, uint32_t max_entries, const IamHashKey *key);
/* Drops the cache's references; entries still held elsewhere live on. */
void iam_cache_free(IamCache *c);

/* iam_hash with c's key: the hash iam_cache_get and iam_cache_put take. */
uint64_t iam_cache_hash(const IamCache *c, const char *text, size_t len);

/* Find (text, tag): the tag tells apart objects compiled from the same text in
** different ways (e.g. parse flags). On a hit returns the entry with one more reference (the caller
** releases it with iam_cache_entry_unref) and marks it recently used. */
IamCacheEntry *iam_cache_get(IamCache *c, const char *text, size_t len, uint64_t hash,
                             uint32_t tag);

/* Builds an object at dst (aligned for any type) from arg; returns it. The
** object must own nothing outside dst: it is freed with the entry. */
typedef const void *(*IamCacheBuild)(void *dst, const void *arg);

/* Insert (text, tag) with an object that lives inside the entry, next to its
** key: build(dst, arg) writes objsize bytes at dst (iam_policy_place,
** iam_ctx_place). One block per entry keeps a lookup and the use of the
** object on few, adjacent cache lines. May evict least recently used
** entries. Returns the entry with one reference for the caller, or NULL when
** out of memory. */
IamCacheEntry *iam_cache_put(IamCache *c, const char *text, size_t len, uint64_t hash, uint32_t tag,
                             size_t objsize, IamCacheBuild build, const void *arg);

/* Hints, no effect on results: start fetching the slot a lookup of hash reads
** first, or (once that slot is likely in cache) the entry it names, so that
** several lookups wait for memory together rather than one after another. */
void iam_cache_prefetch(const IamCache *c, uint64_t hash);
void iam_cache_prefetch_entry(const IamCache *c, uint64_t hash, size_t len);

const void *iam_cache_entry_obj(const IamCacheEntry *e); /* borrowed: valid while e is held */
void iam_cache_entry_ref(IamCacheEntry *e);
void iam_cache_entry_unref(IamCacheEntry *e);

typedef struct IamCacheStats {
  uint64_t hits, misses, evictions;
  uint64_t compares; /* texts compared in full by lookups (one per hit, more on collisions) */
  uint32_t entries, max_entries;
  size_t bytes, max_bytes;
} IamCacheStats;
void iam_cache_stats(const IamCache *c, IamCacheStats *out);

/* New bounds (max_entries at least 1), evicting down to them at once. */
void iam_cache_set_limits(IamCache *c, size_t max_bytes, uint32_t max_entries);

/* Evict the least recently used entry (second chance): 1, or 0 when the
** cache is empty. For a caller that must make room elsewhere (a heap limit). */
int iam_cache_evict(IamCache *c);

/* At most this many entries share one hash: inserting one more replaces one
** of them, so a lookup compares at most this many texts in full. */
#define IAM_CACHE_HASH_TWINS 4

#ifdef IAM_TESTING
/* Slots a lookup of hash visits (tests of flooding). */
uint32_t iam_cache_probe_len(const IamCache *c, uint64_t hash);
#endif

#endif /* IAM_CACHE_H */
