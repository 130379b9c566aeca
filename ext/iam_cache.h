/* A bounded cache of compiled objects (policies, contexts) keyed by their
** JSON text, with second-chance (clock) eviction by entry count and bytes. Entries are
** reference counted so a caller may hold one while the cache evicts it.
** Not thread-safe: one cache per database connection. */
#ifndef IAM_CACHE_H
#define IAM_CACHE_H

#include <stddef.h>
#include <stdint.h>

typedef struct IamCache IamCache;
typedef struct IamCacheEntry IamCacheEntry;

/* Object destructor, called when the last reference goes. */
typedef void (*IamCacheFree)(void *obj);

/* New empty cache; NULL when out of memory. Caller frees with iam_cache_free. */
IamCache *iam_cache_new(size_t max_bytes, uint32_t max_entries, IamCacheFree free_obj);
/* Drops the cache's references; entries still held elsewhere live on. */
void iam_cache_free(IamCache *c);

uint64_t iam_hash(const char *text, size_t len);

/* Find (text, tag): the tag tells apart objects compiled from the same text in
** different ways (e.g. parse flags). On a hit returns the entry with one more reference (the caller
** releases it with iam_cache_entry_unref) and marks it recently used. */
IamCacheEntry *iam_cache_get(IamCache *c, const char *text, size_t len, uint64_t hash,
                             uint32_t tag);

/* Insert obj (size bytes) for text, taking ownership of obj. Returns the entry
** with one reference for the caller, or NULL when out of memory (obj is then
** freed). May evict least recently used entries. */
IamCacheEntry *iam_cache_put(IamCache *c, const char *text, size_t len, uint64_t hash, uint32_t tag,
                             void *obj, size_t size);

void *iam_cache_entry_obj(const IamCacheEntry *e); /* borrowed */
void iam_cache_entry_ref(IamCacheEntry *e);
void iam_cache_entry_unref(IamCacheEntry *e);

typedef struct IamCacheStats {
  uint64_t hits, misses, evictions;
  uint32_t entries;
  size_t bytes;
} IamCacheStats;
void iam_cache_stats(const IamCache *c, IamCacheStats *out);

#endif /* IAM_CACHE_H */
