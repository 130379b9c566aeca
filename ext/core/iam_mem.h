/* SPDX-License-Identifier: MIT */
/* Allocation for the core. Under -DIAM_TESTING the Nth allocation can be made
** to fail, so tests can check every out-of-memory path (Expat's pattern). */
#ifndef IAM_MEM_H
#define IAM_MEM_H

#include <stddef.h>

void *iam_malloc(size_t n);
void *iam_realloc(void *p, size_t n);
void iam_free(void *p);

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
