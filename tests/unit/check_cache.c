/* SPDX-License-Identifier: MIT */
/* The compiled-object cache: hits, second-chance eviction by count and
** bytes, references that outlive eviction, and a colliding set of texts
** that does not degrade lookups. Objects live inside their
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
  return iam_cache_put(c, k, strlen(k), iam_cache_hash(c, k, strlen(k)), 0, OBJ_SIZE, build_name,
                       k);
}

static IamCacheEntry *get(IamCache *c, const char *k) {
  return iam_cache_get(c, k, strlen(k), iam_cache_hash(c, k, strlen(k)), 0);
}

static const IamHashKey key0 = {{0x0123456789abcdefull, 0xfedcba9876543210ull, 42, 7}};
static const IamHashKey key1 = {
    {0x9e3779b97f4a7c15ull, 0xbf58476d1ce4e5b9ull, 0x94d049bb133111ebull, 0x2545f4914f6cdd1dull}};

static IamCache *cache_new(size_t max_bytes, uint32_t max_entries) {
  return iam_cache_new(max_bytes, max_entries, &key0);
}

START_TEST(test_cache_lru) {
  IamCache *c = cache_new(1 << 20, 2);
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
  IamCache *c = cache_new(500, 1000);
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
  IamCache *c = cache_new(1 << 20, 100);
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
  IamCache *c = cache_new(1 << 20, 100);
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

/* ---- flooding ------------------------------------------------------------------
** A colliding set built against a known key: 16-byte texts whose first
** 8-byte word is the first lane's starting state under that key (k[0] ^ 16),
** so that iam_hash (iam_cache.c) multiplies it away to 0 whatever the second
** word. Under that key they share one 64-bit hash (checked first: the set
** does collide); under another key they are unrelated texts. */
#define FLOOD_N 20000

static void colliding_text(const IamHashKey *key, uint64_t i, char out[16]) {
  uint64_t w0 = key->k[0] ^ 16, w1 = i * 0x9e3779b97f4a7c15ull + 1;
  memcpy(out, &w0, 8);
  memcpy(out + 8, &w1, 8);
}

/* Put every text of the set, then look each up: the cache's counters. */
static void flood(IamCache *c, const IamHashKey *built_for, IamCacheStats *st, double *mean_probe) {
  char t[16];
  uint64_t probes = 0;
  for (uint64_t i = 0; i < FLOOD_N; i++) {
    colliding_text(built_for, i, t);
    iam_cache_entry_unref(
        iam_cache_put(c, t, 16, iam_cache_hash(c, t, 16), 0, OBJ_SIZE, build_name, "x"));
  }
  IamCacheStats before;
  iam_cache_stats(c, &before);
  for (uint64_t i = 0; i < FLOOD_N; i++) {
    colliding_text(built_for, i, t);
    uint64_t h = iam_cache_hash(c, t, 16);
    probes += iam_cache_probe_len(c, h);
    IamCacheEntry *e = iam_cache_get(c, t, 16, h, 0);
    if (e) iam_cache_entry_unref(e);
  }
  iam_cache_stats(c, st);
  st->compares -= before.compares;
  st->hits -= before.hits;
  *mean_probe = (double)probes / FLOOD_N;
}

START_TEST(test_cache_flood) {
  char t[16];
  uint64_t h0;
  IamCacheStats st;
  double mean;
  /* the set collides under the key it was built for */
  colliding_text(&key0, 0, t);
  h0 = iam_hash(&key0, t, 16);
  for (uint64_t i = 1; i < FLOOD_N; i++) {
    colliding_text(&key0, i, t);
    ck_assert_uint_eq(iam_hash(&key0, t, 16), h0);
  }
  /* a cache keyed with another key (each connection draws its own): every text cached,
  ** one full comparison per lookup, short probes */
  IamCache *c = iam_cache_new(1 << 30, 1000000, &key1);
  flood(c, &key0, &st, &mean);
  ck_assert_uint_eq(st.entries, FLOOD_N);
  ck_assert_uint_eq(st.hits, FLOOD_N);
  ck_assert_uint_eq(st.compares, FLOOD_N);
  ck_assert_msg(mean < 8, "mean probe length %.1f", mean);
  iam_cache_free(c);
  /* even under the key the set was built for, at most IAM_CACHE_HASH_TWINS of them stay,
  ** so no lookup compares more than that many texts in full (rather than up to 20,000) */
  c = iam_cache_new(1 << 30, 1000000, &key0);
  flood(c, &key0, &st, &mean);
  ck_assert_uint_le(st.entries, IAM_CACHE_HASH_TWINS);
  ck_assert_uint_le(st.compares, (uint64_t)FLOOD_N * IAM_CACHE_HASH_TWINS);
  ck_assert_msg(mean <= IAM_CACHE_HASH_TWINS + 1, "mean probe length %.1f", mean);
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
  tc = tcase_create("flood");
  tcase_add_test(tc, test_cache_flood);
  suite_add_tcase(s, tc);
  return s;
}
