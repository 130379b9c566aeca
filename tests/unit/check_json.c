/* SPDX-License-Identifier: MIT */
/* JSON services: number text, the verdict on a failed parse (malformed, or
** out of memory: checked against cJSON itself), empty objects, JSON strings. */
#include <cjson/cJSON.h>
#include <string.h>

#include "check_iam.h"
#include "iam_json.h"

START_TEST(test_json_number_text) {
  char buf[IAM_NUMBER_TEXT_MAX];
  static const struct {
    double v;
    const char *want;
  } rows[] = {
      {256, "256"},      {1.5, "1.5"},
      {-0.25, "-0.25"},  {0, "0"},
      {-0.0, "0"},       {1e21, "1000000000000000000000"},
      {1e-5, "0.00001"}, {12345678901234567890.0, "12345678901234567000"},
      {0.1, "0.1"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    ck_assert(iam_number_text(rows[i].v, buf, sizeof buf));
    ck_assert_str_eq(buf, rows[i].want);
  }
  ck_assert(iam_number_text(1e300, buf, sizeof buf));
  ck_assert_uint_eq(strlen(buf), 301);
  ck_assert(iam_number_text(5e-324, buf, sizeof buf));
  ck_assert_uint_eq(strlen(buf), 326);
  ck_assert(!iam_number_text(1e300, buf, 100)); /* does not fit */
}
END_TEST

/* Texts cJSON rejects: each must be read as malformed, never as a failed
** allocation. */
static const char *const malformed[] = {
    "",
    "{",
    "{\"a\":}",
    "{\"a\" 1}",
    "[1,]",
    "[1 2]",
    "{\"a\":1,}",
    "{a:1}",
    "nul",
    "tru",
    "\"abc",
    "\"\\x\"",
    "\"\\u12\"",
    "\"\\udc00\"",        /* a lone low surrogate */
    "\"\\ud800\"",        /* a high surrogate alone */
    "\"\\ud800\\u0041\"", /* ... followed by no low surrogate */
    "[1]x",
    "{}{}",
    "[-]",
    "[1e]",
};

START_TEST(test_json_malformed) {
  const char *t = malformed[_i];
  size_t n = strlen(t);
  const char *end = NULL;
  IamError err;
  cJSON *j = cJSON_ParseWithLengthOpts(t, n + 1, &end, 1);
  ck_assert_msg(j == NULL, "cJSON accepts %s", t);
  ck_assert_int_eq(iam_json_parse_failed(t, n, end, "policy", &err), IAM_EPARSE);
  ck_assert_msg(strncmp(err.msg, "malformed policy JSON", 21) == 0, "%s", err.msg);
}
END_TEST

/* Texts cJSON accepts: had it failed on them, it could only be for memory. */
static const char *const wellformed[] = {
    "{}",
    " [ ] ",
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"}]}",
    "[true,false,null,0,-0.5,1e10,2E-3,\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"]",
    "\"\\ud83d\\ude00\"",
    "{\"a\":{\"b\":[[[]]]}}",
    "[1000000000000000000000000000000000000000000000000000000000000000000000]", /* cJSON reads long
                                                                                   numbers through
                                                                                   an allocated
                                                                                   buffer */
};

START_TEST(test_json_wellformed) {
  const char *t = wellformed[_i];
  size_t n = strlen(t);
  IamError err;
  cJSON *j = cJSON_ParseWithLengthOpts(t, n + 1, NULL, 1);
  ck_assert_msg(j != NULL, "cJSON rejects %s", t);
  cJSON_Delete(j);
  ck_assert_int_eq(iam_json_parse_failed(t, n, NULL, "policy", &err), IAM_ENOMEM);
}
END_TEST

START_TEST(test_json_precheck) {
  IamError err;
  ck_assert_int_eq(iam_json_precheck("{\"a\":\"\\u0000\"}", 13, "context", &err), IAM_EPARSE);
  ck_assert_str_eq(err.msg, "context contains a \\u0000 escape at byte 6");
  ck_assert_int_eq(iam_json_precheck("{\"a\":\"\xff\"}", 9, "policy", &err), IAM_EPARSE);
  ck_assert_str_eq(err.msg, "policy is not valid UTF-8 at byte 6");
  char deep[200];
  memset(deep, '[', 65);
  memset(deep + 65, ']', 65);
  ck_assert_int_eq(iam_json_precheck(deep, 130, "policy", &err), IAM_ELIMIT);
  ck_assert_int_eq(iam_json_precheck(deep + 1, 128, "policy", &err), IAM_OK);
}
END_TEST

START_TEST(test_json_empty_object) {
  ck_assert(iam_json_is_empty_object("{}", 2));
  ck_assert(iam_json_is_empty_object(" \t{\r\n} ", 7));
  ck_assert(!iam_json_is_empty_object("{ }x", 4));
  ck_assert(!iam_json_is_empty_object("{\"a\":1}", 7));
  ck_assert(!iam_json_is_empty_object("", 0));
  ck_assert(!iam_json_is_empty_object("[]", 2));
}
END_TEST

static void to_buf(void *arg, const char *s, size_t n) { strncat(arg, s, n); }

START_TEST(test_json_write_string) {
  char out[64] = "";
  IamSink sink = {to_buf, out};
  iam_json_write_string(&sink, "a\"b\\c\n\x01\xc3\xa9", 9);
  ck_assert_str_eq(out, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"");
}
END_TEST

Suite *json_suite(void) {
  Suite *s = suite_create("json");
  TCase *tc = tcase_create("json");
  tcase_add_test(tc, test_json_number_text);
  tcase_add_loop_test(tc, test_json_malformed, 0, sizeof malformed / sizeof malformed[0]);
  tcase_add_loop_test(tc, test_json_wellformed, 0, sizeof wellformed / sizeof wellformed[0]);
  tcase_add_test(tc, test_json_precheck);
  tcase_add_test(tc, test_json_empty_object);
  tcase_add_test(tc, test_json_write_string);
  suite_add_tcase(s, tc);
  return s;
}
