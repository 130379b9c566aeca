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

START_TEST(test_text_url_decode) {
  static const struct {
    const char *in, *out; /* out NULL: an error */
    long pos;             /* where the error is */
  } rows[] = {
      {"", "", 0},
      {"plain+text", "plain+text", 0}, /* '+' stays '+' (RFC 3986, not forms) */
      {"%7B%22a%22%3A1%7D", "{\"a\":1}", 0},
      {"%7b%7D", "{}", 0}, /* hex digits in either case */
      {"%2541", "%41", 0}, /* decoded once, never twice */
      {"caf%C3%A9 caf\xc3\xa9", "caf\xc3\xa9 caf\xc3\xa9", 0},
      {"%", NULL, 0},
      {"ab%4", NULL, 2},
      {"ab%4g", NULL, 2},
      {"%%41", NULL, 0},
      {"ok%41%zz", NULL, 5},
      {"x%C3", NULL, 1},         /* an escaped lead byte without its continuation */
      {"x%C0%AF", NULL, 1},      /* an overlong '/' */
      {"ab\xff", NULL, 2},       /* a byte as given */
      {"%41%ED%A0%80", NULL, 3}, /* a surrogate */
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    size_t n = strlen(rows[i].in), on = 99;
    char out[64];
    IamError err = {.pos = -7};
    int rc = iam_url_decode(rows[i].in, n, out, &on, &err);
    if (rows[i].out == NULL) {
      ck_assert_msg(rc == IAM_EINVAL, "row %zu: rc %d", i, rc);
      ck_assert_msg(err.pos == rows[i].pos, "row %zu: pos %ld, not %ld (%s)", i, err.pos,
                    rows[i].pos, err.msg);
      ck_assert_uint_eq(on, 99); /* untouched on error */
    } else {
      ck_assert_msg(rc == IAM_OK, "row %zu: %s", i, err.msg);
      ck_assert_uint_eq(on, strlen(rows[i].out));
      ck_assert_int_eq(memcmp(out, rows[i].out, on), 0);
    }
  }
  IamError err;
  size_t on;
  char out[32];
  iam_url_decode("ab%4g", 5, out, &on, &err);
  ck_assert_str_eq(err.msg, "'%' at byte 2 is not followed by two hex digits");
  iam_url_decode("x%C3", 4, out, &on, &err);
  ck_assert_str_eq(err.msg, "the decoded text is not valid UTF-8 at byte 1 (the escapes '%C3')");
  iam_url_decode("%41%C3%28and some more text", 27, out, &on, &err); /* the quote is cut */
  ck_assert_str_eq(
      err.msg,
      "the decoded text is not valid UTF-8 at byte 3 (the escapes '%C3%28and some more tex...')");
}
END_TEST

Suite *text_suite(void) {
  Suite *s = suite_create("text");
  TCase *tc = tcase_create("text");
  tcase_add_test(tc, test_text_utf8);
  tcase_add_test(tc, test_text_lower);
  tcase_add_test(tc, test_text_quote);
  tcase_add_test(tc, test_text_url_decode);
  suite_add_tcase(s, tc);
  return s;
}
