/* SPDX-License-Identifier: MIT */
/* The compiled-object cache: hits, second-chance eviction by count and
** bytes, and references that outlive eviction. Objects live inside their
** entries; valgrind (make valgrind) checks that every entry is freed. */
#include <stdio.h>
#include <string.h>

#include "check_iam.h"
#include "iam_cache.h"
#include "iam_mem.h"

#define OBJ_SIZE 100

static const void *build_name(void *dst, const void *arg) {
  snprintf(dst, OBJ_SIZE, "obj %s", (const char *)arg);
  return dst;
}

static IamCacheEntry *put(IamCache *c, const char *k) {
  return iam_cache_put(c, k, strlen(k), iam_hash(k, strlen(k)), 0, OBJ_SIZE, build_name, k);
}

static IamCacheEntry *get(IamCache *c, const char *k) {
  return iam_cache_get(c, k, strlen(k), iam_hash(k, strlen(k)), 0);
}

START_TEST(test_cache_lru) {
  IamCache *c = iam_cache_new(1 << 20, 2);
  iam_cache_entry_unref(put(c, "a"));
  iam_cache_entry_unref(put(c, "b"));
  IamCacheEntry *e = get(c, "a"); /* a is now most recent */
  ck_assert_ptr_nonnull(e);
  ck_assert_str_eq(iam_cache_entry_obj(e), "obj a");
  iam_cache_entry_unref(e);
  iam_cache_entry_unref(put(c, "c")); /* evicts b */
  ck_assert_ptr_null(get(c, "b"));
  e = get(c, "a");
  ck_assert_ptr_nonnull(e);
  iam_cache_entry_unref(e);
  IamCacheStats st;
  iam_cache_stats(c, &st);
  ck_assert_int_eq(st.entries, 2);
  ck_assert_int_eq(st.evictions, 1);
  iam_cache_free(c);
}
END_TEST

START_TEST(test_cache_bytes_and_refs) {
  IamCache *c = iam_cache_new(500, 1000);
  IamCacheEntry *held = put(c, "held"); /* keep our reference */
  for (int i = 0; i < 20; i++) {
    char k[16];
    snprintf(k, sizeof k, "k%d", i);
    iam_cache_entry_unref(put(c, k));
  }
  IamCacheStats st;
  iam_cache_stats(c, &st);
  ck_assert_uint_le(st.bytes, 500);
  ck_assert_uint_ge(st.evictions, 1);
  ck_assert_ptr_null(get(c, "held"));                      /* evicted ... */
  ck_assert_str_eq(iam_cache_entry_obj(held), "obj held"); /* ... but still whole for us */
  iam_cache_entry_unref(held);
  iam_cache_free(c);
}
END_TEST

START_TEST(test_cache_collisions) {
  /* same hash, different text: never confused */
  IamCache *c = iam_cache_new(1 << 20, 100);
  IamCacheEntry *a = iam_cache_put(c, "x", 1, 42, 0, OBJ_SIZE, build_name, "x");
  IamCacheEntry *b = iam_cache_put(c, "y", 1, 42, 0, OBJ_SIZE, build_name, "y");
  IamCacheEntry *g = iam_cache_get(c, "y", 1, 42, 0);
  ck_assert_ptr_eq(g, b);
  ck_assert_str_eq(iam_cache_entry_obj(g), "obj y");
  ck_assert_ptr_null(iam_cache_get(c, "z", 1, 42, 0));
  ck_assert_ptr_null(iam_cache_get(c, "y", 1, 42, 1)); /* same text, other tag */
  iam_cache_entry_unref(a);
  iam_cache_entry_unref(b);
  iam_cache_entry_unref(g);
  iam_cache_free(c);
}
END_TEST

START_TEST(test_cache_set_limits) {
  IamCache *c = iam_cache_new(1 << 20, 100);
  IamCacheStats st;
  for (int i = 0; i < 50; i++) {
    char k[16];
    snprintf(k, sizeof k, "k%d", i);
    iam_cache_entry_unref(put(c, k));
  }
  iam_cache_set_limits(c, 1 << 20, 10); /* lowering a bound evicts at once */
  iam_cache_stats(c, &st);
  ck_assert_uint_eq(st.entries, 10);
  ck_assert_uint_eq(st.max_entries, 10);
  ck_assert_ptr_null(get(c, "k0"));
  IamCacheEntry *e = get(c, "k49"); /* the newest stay */
  ck_assert_ptr_nonnull(e);
  iam_cache_entry_unref(e);
  iam_cache_set_limits(c, 300, 10);
  iam_cache_stats(c, &st);
  ck_assert_uint_le(st.bytes, 300);
  ck_assert_uint_eq(st.max_bytes, 300);
  /* evict one at a time, for a caller that makes room elsewhere */
  uint32_t n = st.entries;
  ck_assert_int_eq(iam_cache_evict(c), 1);
  iam_cache_stats(c, &st);
  ck_assert_uint_eq(st.entries, n - 1);
  while (iam_cache_evict(c)) continue;
  iam_cache_stats(c, &st);
  ck_assert_uint_eq(st.entries, 0);
  ck_assert_uint_eq(st.bytes, 0);
  ck_assert_int_eq(iam_cache_evict(c), 0);
  iam_cache_free(c);
}
END_TEST

Suite *cache_suite(void) {
  Suite *s = suite_create("cache");
  TCase *tc = tcase_create("lru");
  tcase_add_test(tc, test_cache_lru);
  tcase_add_test(tc, test_cache_bytes_and_refs);
  tcase_add_test(tc, test_cache_collisions);
  tcase_add_test(tc, test_cache_set_limits);
  suite_add_tcase(s, tc);
  return s;
}
