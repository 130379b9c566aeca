/* SPDX-License-Identifier: MIT */
/* Text services: UTF-8 checks, ASCII case folding, quoting for messages. */
#include <string.h>

#include "check_iam.h"
#include "iam_text.h"

START_TEST(test_text_utf8) {
  static const struct {
    const char *s;
    size_t bad; /* offset of the first invalid byte, or strlen(s) */
  } rows[] = {
      {"plain", 5},
      {"caf\xc3\xa9", 5},
      {"\xe2\x82\xac ok", 6},
      {"\xf0\x9f\x98\x80", 4},
      {"x\xc0\xaf", 1},         /* overlong '/' */
      {"x\xe0\x80\xaf", 1},     /* overlong, 3 bytes */
      {"x\xed\xa0\x80", 1},     /* a surrogate */
      {"x\xf4\x90\x80\x80", 1}, /* above U+10FFFF */
      {"ab\xc3", 2},            /* cut short */
      {"\x80", 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    ck_assert_uint_eq(iam_utf8_invalid_at((const unsigned char *)rows[i].s, strlen(rows[i].s)),
                      rows[i].bad);
}
END_TEST

START_TEST(test_text_lower) {
  char out[16];
  iam_ascii_lower(out, "IAM:ListÉ", 10);
  ck_assert_int_eq(memcmp(out, "iam:list\xc3\x89", 10), 0); /* non-ASCII untouched */
}
END_TEST

START_TEST(test_text_quote) {
  char q[IAM_QUOTE_MAX];
  ck_assert_str_eq(iam_quote(q, sizeof q, "it's", 4), "'it''s'");
  ck_assert_str_eq(iam_quote(q, sizeof q, "a\nb", 3), "'a?b'");
  char small[16];
  ck_assert_str_eq(iam_quote(small, sizeof small, "abcdefghijklmnop", 16), "'abcdefg...'");
  /* never cut inside a UTF-8 character */
  ck_assert_str_eq(iam_quote(small, sizeof small, "abcdef\xc3\xa9xyz", 11), "'abcdef...'");
}
END_TEST

Suite *text_suite(void) {
  Suite *s = suite_create("text");
  TCase *tc = tcase_create("text");
  tcase_add_test(tc, test_text_utf8);
  tcase_add_test(tc, test_text_lower);
  tcase_add_test(tc, test_text_quote);
  suite_add_tcase(s, tc);
  return s;
}
