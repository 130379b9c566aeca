/* SPDX-License-Identifier: MIT */
/* The core's allocator in the extension: SQLite's (iam_mem.h). Every block
** the core allocates (compiled policies and contexts in the caches, parse
** arenas, matching scratch) comes from sqlite3_malloc64, so PRAGMA
** hard_heap_limit and soft_heap_limit, sqlite3_memory_used() and a
** configured SQLite allocator (SQLITE_CONFIG_MALLOC, memsys5) cover them.
**
** SQLite aligns its blocks to 8 bytes; the core's must be aligned as
** malloc's are (_Alignof(max_align_t): arenas and compact copies rely on
** it). So each block starts up to ALIGN bytes into SQLite's, and the byte
** just before it says how far. */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "iam_mem.h"
#include "iam_sqlite.h"

#define ALIGN alignof(max_align_t)

static void *heap_malloc(size_t n) {
  unsigned char *raw = sqlite3_malloc64((sqlite3_uint64)n + ALIGN);
  if (raw == NULL) return NULL;
  size_t pad = ALIGN - ((uintptr_t)raw & (ALIGN - 1)); /* 1..ALIGN */
  raw[pad - 1] = (unsigned char)pad;
  return raw + pad;
}

static unsigned char *raw_of(void *p) {
  unsigned char *b = p;
  return b - b[-1];
}

static void heap_free(void *p) {
  if (p) sqlite3_free(raw_of(p));
}

/* A new block and a copy: a block SQLite moves may land at another alignment. */
static void *heap_realloc(void *p, size_t n) {
  if (p == NULL) return heap_malloc(n);
  unsigned char *raw = raw_of(p);
  size_t old = (size_t)sqlite3_msize(raw) - (size_t)((unsigned char *)p - raw);
  void *q = heap_malloc(n);
  if (q == NULL) return NULL;
  memcpy(q, p, old < n ? old : n);
  sqlite3_free(raw);
  return q;
}

const IamAllocator iam_allocator = {heap_malloc, heap_realloc, heap_free};
