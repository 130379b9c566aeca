/* SPDX-License-Identifier: MIT */
/* Allocation for the core. Under -DIAM_TESTING the Nth allocation can be made
** to fail, so tests can check every out-of-memory path (Expat's pattern). */
#ifndef IAM_MEM_H
#define IAM_MEM_H

#include <stddef.h>

/* Every allocation of the core: through iam_allocator. NULL when out of
** memory (never for n = 0, which allocates a byte). */
void *iam_malloc(size_t n);
void *iam_realloc(void *p, size_t n);
void iam_free(void *p);

/* The allocator under iam_malloc, iam_realloc and iam_free, fixed when the
** program is linked: the C library's by default (iam_mem.c, a weak
** definition); a program that links the core with its own definition of
** iam_allocator replaces it. The SQLite glue does (ext/sqlite/iam_heap.c):
** every allocation of the extension goes through sqlite3_malloc64, so
** SQLite's heap limits and statistics cover the caches and the parses.
** Read-only, no state to set at run time. */
typedef struct IamAllocator {
  void *(*xMalloc)(size_t n);           /* n > 0 */
  void *(*xRealloc)(void *p, size_t n); /* n > 0; p may be NULL */
  void (*xFree)(void *p);               /* p may be NULL */
} IamAllocator;
extern const IamAllocator iam_allocator;

/* Bump allocator: a parser builds its draft (iam_policy.h, iam_ctx.h) in one
** arena, freed at once. Blocks come from iam_malloc. */
#define IAM_ARENA_BLOCK 4096 /* default block size */
typedef struct IamArena IamArena;
struct IamArena {
  struct IamArenaBlock *head;
  size_t bytes; /* total bytes obtained from iam_malloc */
  size_t hint;  /* size of the next block */
};
/* hint: expected total size (0 for the default); the first block takes it. */
void iam_arena_init(IamArena *a, size_t hint);
void *iam_arena_alloc(IamArena *a, size_t n); /* 16-byte aligned, zeroed; NULL on OOM */
char *iam_arena_strndup(IamArena *a, const char *s, size_t n);
void iam_arena_free(IamArena *a);

#ifdef IAM_TESTING
/* Fail every allocation from the nth one on (0 = the first); -1 disables. */
void iam_mem_fail_at(long n);
long iam_mem_count(void); /* allocations attempted since the last fail_at */
#endif

#endif /* IAM_MEM_H */
