/* SPDX-License-Identifier: MIT */
/* Core allocator wrappers and the arena the parsers build in. */
#include "iam_mem.h"

#include <stdlib.h>
#include <string.h>

#ifdef IAM_TESTING
static long fail_at = -1;
static long n_allocs = 0;
void iam_mem_fail_at(long n) {
  fail_at = n;
  n_allocs = 0;
}
long iam_mem_count(void) { return n_allocs; }
static int should_fail(void) {
  long i = n_allocs++;
  return fail_at >= 0 && i >= fail_at;
}
#else
#define should_fail() 0
#endif

/* The C library's allocator, unless the program defines iam_allocator
** (iam_mem.h). A weak definition needs GCC or clang; elsewhere, define
** IAM_ALLOCATOR_EXTERNAL when linking another. */
static void *libc_malloc(size_t n) { return malloc(n); }
static void *libc_realloc(void *p, size_t n) { return realloc(p, n); }
static void libc_free(void *p) { free(p); }
#ifndef IAM_ALLOCATOR_EXTERNAL
#if defined(__GNUC__) || defined(__clang__)
__attribute__((weak))
#endif
const IamAllocator iam_allocator = {libc_malloc, libc_realloc, libc_free};
#endif

void *iam_malloc(size_t n) {
  if (should_fail()) return NULL;
  return iam_allocator.xMalloc(n ? n : 1);
}

void *iam_realloc(void *p, size_t n) {
  if (should_fail()) return NULL;
  return iam_allocator.xRealloc(p, n ? n : 1);
}

void iam_free(void *p) {
  if (p) iam_allocator.xFree(p);
}

struct IamArenaBlock {
  struct IamArenaBlock *next;
  size_t cap, used;
  _Alignas(16) unsigned char data[];
};

void iam_arena_init(IamArena *a, size_t hint) {
  a->head = NULL;
  a->bytes = 0;
  a->hint = hint ? (hint + 15) & ~(size_t)15 : IAM_ARENA_BLOCK;
}

void *iam_arena_alloc(IamArena *a, size_t n) {
  struct IamArenaBlock *b = a->head;
  n = (n + 15) & ~(size_t)15;
  if (b == NULL || b->cap - b->used < n) {
    size_t cap = a->hint;
    /* Later blocks grow with the arena so large inputs take few blocks. */
    if (cap < a->bytes / 2) cap = a->bytes / 2;
    if (cap < IAM_ARENA_BLOCK / 4) cap = IAM_ARENA_BLOCK / 4;
    if (cap < n) cap = n;
    a->hint = IAM_ARENA_BLOCK;
    b = iam_malloc(sizeof *b + cap);
    if (b == NULL) return NULL;
    b->cap = cap;
    b->used = 0;
    b->next = a->head;
    a->head = b;
    a->bytes += sizeof *b + cap;
  }
  void *p = b->data + b->used;
  b->used += n;
  memset(p, 0, n);
  return p;
}

char *iam_arena_strndup(IamArena *a, const char *s, size_t n) {
  char *p = iam_arena_alloc(a, n + 1);
  if (p == NULL) return NULL;
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

void iam_arena_free(IamArena *a) {
  struct IamArenaBlock *b = a->head;
  while (b) {
    struct IamArenaBlock *next = b->next;
    iam_free(b);
    b = next;
  }
  a->head = NULL;
  a->bytes = 0;
}
