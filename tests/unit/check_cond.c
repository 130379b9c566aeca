/* SPDX-License-Identifier: MIT */
/* Operator names and the value parsers of each condition family. */
#include <string.h>

#include "check_iam.h"
#include "iam_cond.h"

static const struct {
  const char *name;
  const char *base; /* NULL: invalid */
  int qual, ifx;
} op_rows[] = {
    {"StringEquals", "StringEquals", IAM_QUAL_NONE, 0},
    {"StringEqualsIfExists", "StringEquals", IAM_QUAL_NONE, 1},
    {"ForAllValues:StringLike", "StringLike", IAM_QUAL_FORALL, 0},
    {"ForAnyValue:ArnNotLikeIfExists", "ArnNotLike", IAM_QUAL_FORANY, 1},
    {"ForAllValues:Null", "Null", IAM_QUAL_FORALL, 0},
    {"NullIfExists", NULL, 0, 0},
    {"stringEquals", NULL, 0, 0},
    {"StringEqualz", NULL, 0, 0},
    {"forallvalues:StringLike", NULL, 0, 0},
    {"IfExists", NULL, 0, 0},
    {"ForAnyValue:", NULL, 0, 0},
    {"BinaryEquals", "BinaryEquals", IAM_QUAL_NONE, 0},
    {"NotIpAddressIfExists", "NotIpAddress", IAM_QUAL_NONE, 1},
};

START_TEST(test_cond_op_parse) {
  uint8_t q, x;
  int b = iam_cond_operator_parse(op_rows[_i].name, strlen(op_rows[_i].name), &q, &x);
  if (op_rows[_i].base == NULL) {
    ck_assert_msg(b < 0, "%s should be invalid", op_rows[_i].name);
  } else {
    ck_assert_msg(b >= 0, "%s should be valid", op_rows[_i].name);
    ck_assert_str_eq(iam_cond_operators[b].name, op_rows[_i].base);
    ck_assert_int_eq(q, op_rows[_i].qual);
    ck_assert_int_eq(x, op_rows[_i].ifx);
  }
}
END_TEST

START_TEST(test_cond_op_table) {
  int negated = 0;
  for (int i = 0; i < IAM_COND_N_OPERATORS; i++) negated += iam_cond_operators[i].negated;
  ck_assert_int_eq(negated, 8); /* SEMANTICS.md, "Combining" */
  ck_assert_str_eq(iam_cond_operators[IAM_COND_N_OPERATORS - 1].name, "Null");
}
END_TEST

static int num_cmp(const char *a, const char *b) {
  IamNum x, y;
  ck_assert(iam_parse_number(a, strlen(a), &x));
  ck_assert(iam_parse_number(b, strlen(b), &y));
  return iam_num_cmp(&x, &y);
}

START_TEST(test_cond_numbers) {
  IamNum n;
  ck_assert_int_eq(num_cmp("512", "512.0"), 0);
  ck_assert_int_eq(num_cmp("0512", "512"), 0);
  ck_assert_int_eq(num_cmp("-0", "0"), 0);
  ck_assert_int_eq(num_cmp("-1.5", "0"), -1);
  ck_assert_int_eq(num_cmp("-2", "-1.5"), -1);
  ck_assert_int_eq(num_cmp(".5", "0.49999"), 1);
  ck_assert_int_eq(num_cmp("1024", "1023.9999999999999999999"), 1);
  ck_assert_int_eq(num_cmp("100000000000000000000000000001", "100000000000000000000000000000"), 1);
  const char *bad[] = {"",     "abc", "1e3", "12abc", " 1", "1 ",
                       "0x10", "inf", "nan", "+",     ".",  "1..2"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_msg(!iam_parse_number(bad[i], strlen(bad[i]), &n), "'%s' parsed", bad[i]);
}
END_TEST

static int64_t date_ms(const char *s) {
  int64_t v = -1;
  ck_assert_msg(iam_parse_date(s, strlen(s), &v), "'%s' did not parse", s);
  return v;
}

START_TEST(test_cond_dates) {
  int64_t v;
  ck_assert(date_ms("1970-01-01T00:00:00Z") == 0);
  ck_assert(date_ms("2024-06-01") == date_ms("2024-06-01T00:00:00Z"));
  ck_assert(date_ms("2024-06-01T02:00:00+02:00") == date_ms("2024-06-01T00:00:00Z"));
  ck_assert(date_ms("2024-06-01T02:00:00+0200") == date_ms("2024-06-01T00:00:00Z"));
  ck_assert(date_ms("2024-06-01t00:00:00z") == date_ms("2024-06-01T00:00:00Z"));
  ck_assert(date_ms("2024-06-01T00:00") == date_ms("2024-06-01T00:00:00Z"));
  ck_assert(date_ms("2024-06") == date_ms("2024-06-01"));
  ck_assert(date_ms("1710000000") == 1710000000000LL);
  ck_assert(date_ms("2024") == 2024000LL); /* digits are epoch seconds */
  ck_assert(date_ms("2020-05-15T12:00:00.250Z") == date_ms("2020-05-15T12:00:00Z") + 250);
  ck_assert(date_ms("2024-02-29") > 0);
  const char *bad[] = {"",
                       "2023-02-29",
                       "2024-13-01",
                       "2024-06-01T24:00:00Z",
                       "2024-06-01 00:00:00",
                       "yesterday",
                       "2024-06-01T00:00:00Q",
                       "2024-6-1",
                       "2024-06-01T00:00:00+2"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_msg(!iam_parse_date(bad[i], strlen(bad[i]), &v), "'%s' parsed", bad[i]);
}
END_TEST

START_TEST(test_cond_ip) {
  IamIp ip;
  ck_assert(iam_parse_ip("203.0.113.0/24", 14, 1, &ip));
  ck_assert_int_eq(ip.family, 4);
  ck_assert_int_eq(ip.prefix, 24);
  ck_assert(iam_parse_ip("203.0.113.7", 11, 1, &ip));
  ck_assert_int_eq(ip.prefix, 32);
  ck_assert(iam_parse_ip("2001:DB8:1234:5678::/64", 23, 1, &ip));
  ck_assert_int_eq(ip.family, 6);
  ck_assert_int_eq(ip.addr[0], 0x20);
  ck_assert_int_eq(ip.addr[3], 0xB8);
  ck_assert_int_eq(ip.addr[8], 0);
  ck_assert(iam_parse_ip("::", 2, 0, &ip));
  ck_assert(iam_parse_ip("::ffff:1.2.3.4", 14, 0, &ip));
  ck_assert_int_eq(ip.family, 6);
  ck_assert_int_eq(ip.addr[15], 4);
  ck_assert(iam_parse_ip("1::", 3, 0, &ip));
  ck_assert_int_eq(ip.addr[1], 1);
  ck_assert(iam_parse_ip("0.0.0.0/0", 9, 1, &ip));
  ck_assert_int_eq(ip.prefix, 0);
  const char *bad[] = {"",      "256.0.0.1", "1.2.3",   "01.2.3.4", "1.2.3.4/33", "1.2.3.4/",
                       "1:2:3", "1::2::3",   "12345::", "1.2.3.4 ", "::1/129",    "g::1"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_msg(!iam_parse_ip(bad[i], strlen(bad[i]), 1, &ip), "'%s' parsed", bad[i]);
  ck_assert(!iam_parse_ip("1.2.3.4/32", 10, 0, &ip)); /* request side: no prefix */
}
END_TEST

START_TEST(test_cond_base64) {
  unsigned char out[64];
  ck_assert_int_eq(iam_b64_decode("QmluYXJ5VmFsdWVJbkJhc2U2NA==", 28, out), 19);
  ck_assert(memcmp(out, "BinaryValueInBase64", 19) == 0);
  ck_assert_int_eq(iam_b64_decode("QmluYXJ5VmFsdWVJbkJhc2U2NA", 26, out), 19);
  ck_assert_int_eq(iam_b64_decode("", 0, out), 0);
  ck_assert_int_eq(iam_b64_decode("Q", 1, out), -1);
  ck_assert_int_eq(iam_b64_decode("QQ=", 3, out), -1);
  ck_assert_int_eq(iam_b64_decode("Q Q=", 4, out), -1);
  ck_assert_int_eq(iam_b64_decode("QQ-_", 4, out), -1);
}
END_TEST

START_TEST(test_cond_bool) {
  int b;
  ck_assert(iam_parse_bool("TRUE", 4, &b) && b == 1);
  ck_assert(iam_parse_bool("false", 5, &b) && b == 0);
  ck_assert(!iam_parse_bool("yes", 3, &b));
  ck_assert(!iam_parse_bool("1", 1, &b));
}
END_TEST

Suite *cond_suite(void) {
  Suite *s = suite_create("cond");
  TCase *tc = tcase_create("operators");
  tcase_add_loop_test(tc, test_cond_op_parse, 0, sizeof op_rows / sizeof op_rows[0]);
  tcase_add_test(tc, test_cond_op_table);
  suite_add_tcase(s, tc);
  tc = tcase_create("values");
  tcase_add_test(tc, test_cond_numbers);
  tcase_add_test(tc, test_cond_dates);
  tcase_add_test(tc, test_cond_ip);
  tcase_add_test(tc, test_cond_base64);
  tcase_add_test(tc, test_cond_bool);
  suite_add_tcase(s, tc);
  return s;
}
