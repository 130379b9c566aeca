/* The compiled-object cache: hits, LRU eviction by count and bytes, and
** references that outlive eviction. */
#include <stdio.h>
#include <string.h>

#include "check_iam.h"
#include "iam_cache.h"
#include "iam_mem.h"

static int freed;
static void free_obj(void *o) {
  freed++;
  iam_free(o);
}

static IamCacheEntry *put(IamCache *c, const char *k) {
  return iam_cache_put(c, k, strlen(k), iam_hash(k, strlen(k)), 0, iam_malloc(8), 100);
}

static IamCacheEntry *get(IamCache *c, const char *k) {
  return iam_cache_get(c, k, strlen(k), iam_hash(k, strlen(k)), 0);
}

START_TEST(test_cache_lru) {
  freed = 0;
  IamCache *c = iam_cache_new(1 << 20, 2, free_obj);
  iam_cache_entry_unref(put(c, "a"));
  iam_cache_entry_unref(put(c, "b"));
  IamCacheEntry *e = get(c, "a"); /* a is now most recent */
  ck_assert_ptr_nonnull(e);
  iam_cache_entry_unref(e);
  iam_cache_entry_unref(put(c, "c")); /* evicts b */
  ck_assert_ptr_null(get(c, "b"));
  ck_assert_int_eq(freed, 1);
  e = get(c, "a");
  ck_assert_ptr_nonnull(e);
  iam_cache_entry_unref(e);
  IamCacheStats st;
  iam_cache_stats(c, &st);
  ck_assert_int_eq(st.entries, 2);
  ck_assert_int_eq(st.evictions, 1);
  iam_cache_free(c);
  ck_assert_int_eq(freed, 3);
}
END_TEST

START_TEST(test_cache_bytes_and_refs) {
  freed = 0;
  IamCache *c = iam_cache_new(500, 1000, free_obj);
  IamCacheEntry *held = put(c, "held"); /* keep our reference */
  for (int i = 0; i < 20; i++) {
    char k[16];
    snprintf(k, sizeof k, "k%d", i);
    iam_cache_entry_unref(put(c, k));
  }
  IamCacheStats st;
  iam_cache_stats(c, &st);
  ck_assert_uint_le(st.bytes, 500);
  ck_assert_ptr_null(get(c, "held"));               /* evicted ... */
  ck_assert_ptr_nonnull(iam_cache_entry_obj(held)); /* ... but still alive for us */
  int before = freed;
  iam_cache_entry_unref(held);
  ck_assert_int_eq(freed, before + 1);
  iam_cache_free(c);
}
END_TEST

START_TEST(test_cache_collisions) {
  /* same hash, different text: never confused */
  freed = 0;
  IamCache *c = iam_cache_new(1 << 20, 100, free_obj);
  IamCacheEntry *a = iam_cache_put(c, "x", 1, 42, 0, iam_malloc(8), 8);
  IamCacheEntry *b = iam_cache_put(c, "y", 1, 42, 0, iam_malloc(8), 8);
  IamCacheEntry *g = iam_cache_get(c, "y", 1, 42, 0);
  ck_assert_ptr_eq(g, b);
  ck_assert_ptr_null(iam_cache_get(c, "z", 1, 42, 0));
  ck_assert_ptr_null(iam_cache_get(c, "y", 1, 42, 1)); /* same text, other tag */
  iam_cache_entry_unref(a);
  iam_cache_entry_unref(b);
  iam_cache_entry_unref(g);
  iam_cache_free(c);
  ck_assert_int_eq(freed, 2);
}
END_TEST

Suite *cache_suite(void) {
  Suite *s = suite_create("cache");
  TCase *tc = tcase_create("lru");
  tcase_add_test(tc, test_cache_lru);
  tcase_add_test(tc, test_cache_bytes_and_refs);
  tcase_add_test(tc, test_cache_collisions);
  suite_add_tcase(s, tc);
  return s;
}
