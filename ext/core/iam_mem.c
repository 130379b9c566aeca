/* Core allocator wrappers and the arena used by compiled policies. */
#include "iam_mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iam.h"

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

void *iam_malloc(size_t n) {
  if (should_fail()) return NULL;
  return malloc(n ? n : 1);
}

void *iam_realloc(void *p, size_t n) {
  if (should_fail()) return NULL;
  return realloc(p, n ? n : 1);
}

void iam_free(void *p) { free(p); }

struct IamArenaBlock {
  struct IamArenaBlock *next;
  size_t cap, used;
  _Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 4096

void iam_arena_init(IamArena *a, size_t hint) {
  a->head = NULL;
  a->bytes = 0;
  a->hint = hint ? (hint + 15) & ~(size_t)15 : ARENA_BLOCK;
}

void *iam_arena_alloc(IamArena *a, size_t n) {
  struct IamArenaBlock *b = a->head;
  n = (n + 15) & ~(size_t)15;
  if (b == NULL || b->cap - b->used < n) {
    size_t cap = a->hint;
    /* Later blocks grow with the arena so large inputs take few blocks. */
    if (cap < a->bytes / 2) cap = a->bytes / 2;
    if (cap < ARENA_BLOCK / 4) cap = ARENA_BLOCK / 4;
    if (cap < n) cap = n;
    a->hint = ARENA_BLOCK;
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

void iam_error_set(IamError *err, long pos, const char *fmt, ...) {
  va_list ap;
  if (err == NULL) return;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  err->pos = pos;
}

const char *iam_quote(char *buf, size_t cap, const char *s, size_t n) {
  /* 'value' with embedded quotes doubled, SQL style; long values cut with "...". */
  size_t o = 0, i;
  const size_t max_body = cap > 8 ? cap - 8 : 0;
  buf[o++] = '\'';
  for (i = 0; i < n && o < max_body; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\'') buf[o++] = '\'';
    buf[o++] = (c < 0x20) ? '?' : (char)c;
  }
  if (i < n) {
    /* do not cut a UTF-8 sequence in half */
    while (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80) o--;
    if (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0) o--;
    memcpy(buf + o, "...", 3);
    o += 3;
  }
  buf[o++] = '\'';
  buf[o] = 0;
  return buf;
}

const char *iam_decision_name(IamDecision d) {
  switch (d) {
    case IAM_ALLOW: return "Allow";
    case IAM_EXPLICIT_DENY: return "ExplicitDeny";
    case IAM_IMPLICIT_DENY: return "ImplicitDeny";
  }
  return "ImplicitDeny";
}
