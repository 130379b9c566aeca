/* SPDX-License-Identifier: MIT */
/* The core's allocator in the extension: SQLite's (iam_mem.h). Every block
** the core allocates (compiled policies and contexts in the caches, parse
** arenas, matching scratch) comes from sqlite3_malloc64, so PRAGMA
** hard_heap_limit and soft_heap_limit, sqlite3_memory_used() and a
** configured SQLite allocator (SQLITE_CONFIG_MALLOC, memsys5) cover them. */
#include "iam_mem.h"
#include "iam_sqlite.h"

static void *heap_malloc(size_t n) { return sqlite3_malloc64((sqlite3_uint64)n); }
static void *heap_realloc(void *p, size_t n) { return sqlite3_realloc64(p, (sqlite3_uint64)n); }
static void heap_free(void *p) { sqlite3_free(p); }

const IamAllocator iam_allocator = {heap_malloc, heap_realloc, heap_free};
