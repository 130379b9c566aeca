/* SPDX-License-Identifier: MIT */
/* Authorization-failure messages (iam_authzmsg.h): the CLI's wrapper and the
** bare decoded message, the request object written from them (principal,
** action with its service prefix, resource, context keys), every error with
** its place, nothing written on error, allocation failures. The messages are
** written in the shape aws sts decode-authorization-message prints. */
#include <stdio.h>
#include <string.h>

#include "check_iam.h"
#include "iam_authzmsg.h"
#include "iam_mem.h"

#define OUT_MAX 4096

typedef struct Out {
  char text[OUT_MAX];
  size_t calls;
} Out;

static void to_out(void *arg, const char *s, size_t n) {
  Out *o = arg;
  o->calls++;
  strncat(o->text, s, n);
}

/* The decoded message of an implicit deny: user dev-alice, RunInstances
** (the bare name, as some services write it), three condition keys. */
#define BARE                                                                                      \
  "{\"allowed\":false,\"explicitDeny\":false,\"matchedStatements\":{\"items\":[]},"               \
  "\"failures\":{\"items\":[]},\"context\":{\"principal\":{\"id\":\"AIDAEXAMPLEID0001\","         \
  "\"name\":\"dev-alice\",\"arn\":\"arn:aws:iam::100000000004:user/dev-alice\"},"                 \
  "\"action\":\"RunInstances\",\"resource\":\"arn:aws:ec2:eu-west-1:100000000004:instance/*\","   \
  "\"conditions\":{\"items\":[{\"key\":\"ec2:InstanceType\",\"values\":{\"items\":[{\"value\":"   \
  "\"t3.micro\"}]}},{\"key\":\"aws:Region\",\"values\":{\"items\":[{\"value\":\"eu-west-1\"}]}}," \
  "{\"key\":\"aws:Service\",\"values\":{\"items\":[{\"value\":\"ec2\"}]}}]}}}"

#define EXPECTED_BARE                                                                            \
  "{\"principal\":\"arn:aws:iam::100000000004:user/dev-alice\",\"action\":\"ec2:RunInstances\"," \
  "\"resource\":\"arn:aws:ec2:eu-west-1:100000000004:instance/*\",\"context\":{"                 \
  "\"ec2:InstanceType\":\"t3.micro\",\"aws:Region\":\"eu-west-1\",\"aws:Service\":\"ec2\","      \
  "\"aws:RequestedRegion\":\"eu-west-1\"}}"

/* text as a JSON string member: {"DecodedMessage": "<text escaped>"} */
static const char *wrap(const char *text) {
  static char buf[OUT_MAX];
  size_t n = 0;
  n += (size_t)snprintf(buf, sizeof buf, "{\n    \"DecodedMessage\": \"");
  for (const char *p = text; *p && n + 4 < sizeof buf; p++) {
    if (*p == '"' || *p == '\\') buf[n++] = '\\';
    buf[n++] = *p;
  }
  snprintf(buf + n, sizeof buf - n, "\"\n}\n");
  return buf;
}

static void convert_ok(const char *text, const char *expected) {
  Out o = {{0}, 0};
  IamSink out = {to_out, &o};
  IamError err;
  int rc = iam_authz_message(text, strlen(text), &out, &err);
  ck_assert_msg(rc == IAM_OK, "%s: %s", text, err.msg);
  ck_assert_str_eq(o.text, expected);
}

START_TEST(test_wrapper_and_bare) {
  convert_ok(BARE, EXPECTED_BARE);
  convert_ok(wrap(BARE), EXPECTED_BARE);
  /* the member may hold the object itself (a message put together by hand) */
  char obj[OUT_MAX];
  snprintf(obj, sizeof obj, "{\"DecodedMessage\":%s}", BARE);
  convert_ok(obj, EXPECTED_BARE);
}
END_TEST

START_TEST(test_request) {
  /* a role session, a prefixed action, no conditions member */
  convert_ok(
      "{\"context\":{\"principal\":{\"id\":\"AROAEXAMPLE:ci\",\"arn\":"
      "\"arn:aws:sts::100000000004:assumed-role/ci/build-7\"},\"action\":\"s3:GetObject\","
      "\"resource\":\"arn:aws:s3:::acme-prod-data/a.csv\"}}",
      "{\"principal\":\"arn:aws:sts::100000000004:assumed-role/ci/build-7\",\"action\":"
      "\"s3:GetObject\",\"resource\":\"arn:aws:s3:::acme-prod-data/a.csv\",\"context\":{}}");
  /* no aws:Service: the prefix from the resource ARN; several values, none, escapes;
  ** aws:RequestedRegion given is kept as it is */
  convert_ok(
      "{\"context\":{\"principal\":{\"arn\":\"arn:aws:iam::1:user/a\"},\"action\":\"PassRole\","
      "\"resource\":\"arn:aws:iam::1:role/x\",\"conditions\":{\"items\":["
      "{\"key\":\"aws:TagKeys\",\"values\":{\"items\":[{\"value\":\"a\"},{\"value\":\"b\\\"\"}]}},"
      "{\"key\":\"k\",\"values\":{\"items\":[]}},"
      "{\"key\":\"AWS:Region\",\"values\":{\"items\":[{\"value\":\"eu-west-1\"}]}},"
      "{\"key\":\"aws:requestedregion\",\"values\":{\"items\":[{\"value\":\"us-east-1\"}]}}]}}}",
      "{\"principal\":\"arn:aws:iam::1:user/a\",\"action\":\"iam:PassRole\",\"resource\":"
      "\"arn:aws:iam::1:role/x\",\"context\":{\"aws:TagKeys\":[\"a\",\"b\\\"\"],\"k\":[],"
      "\"AWS:Region\":\"eu-west-1\",\"aws:requestedregion\":\"us-east-1\"}}");
  /* conditions null: no keys */
  convert_ok(
      "{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"a:b\",\"resource\":\"*\","
      "\"conditions\":null}}",
      "{\"principal\":\"p\",\"action\":\"a:b\",\"resource\":\"*\",\"context\":{}}");
}
END_TEST

static const struct {
  const char *text, *msg;
} bad[] = {
    {"[]", "message must be a JSON object, not an array"},
    {"{\"a\":", "malformed message JSON: unexpected end of input"},
    {"{\"DecodedMessage\":7}",
     "DecodedMessage: must be a string (the decoded message as JSON text) or an object, not a "
     "number"},
    {"{\"DecodedMessage\":\"{\\\"context\\\":\"}",
     "malformed DecodedMessage JSON: unexpected end of input"},
    {"{\"DecodedMessage\":\"[1]\"}", "DecodedMessage: must hold a JSON object, not an array"},
    {"{\"DecodedMessage\":\"{}\"}",
     "DecodedMessage.context: missing (not the output of aws sts decode-authorization-message, "
     "nor its DecodedMessage)"},
    {"{\"allowed\":false}",
     "context: missing (not the output of aws sts decode-authorization-message, nor its "
     "DecodedMessage)"},
    {"{\"context\":1,\"context\":2}", "message: duplicate member 'context'"},
    {"{\"DecodedMessage\":\"{\\\"a\\\":1,\\\"a\\\":1}\"}", "DecodedMessage: duplicate member 'a'"},
    {"{\"context\":[]}", "context: must be an object, not an array"},
    {"{\"context\":{}}", "context.principal: must be an object {\"id\", \"arn\"}, not missing"},
    {"{\"context\":{\"principal\":{\"id\":\"AIDA\"}}}",
     "context.principal.arn: must be a non-empty string, not missing"},
    {"{\"context\":{\"principal\":{\"arn\":\"\"}}}",
     "context.principal.arn: must be a non-empty string, not a string"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"resource\":\"*\"}}",
     "context.action: must be a non-empty string, not missing"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"a:b\",\"resource\":null}}",
     "context.resource: must be a non-empty string, not null"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\":b\",\"resource\":\"*\"}}",
     "context.action: ':b' is not shaped 'service:Name'"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"Run\",\"resource\":\"*\"}}",
     "context.action: 'Run' has no service prefix, and neither an aws:Service key nor the "
     "resource ARN gives one"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"a:b\",\"resource\":\"*\","
     "\"conditions\":[]}}",
     "context.conditions: must be an object {\"items\": [...]}, not an array"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"a:b\",\"resource\":\"*\","
     "\"conditions\":{}}}",
     "context.conditions.items: must be an array, not missing"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"a:b\",\"resource\":\"*\","
     "\"conditions\":{\"items\":[1]}}}",
     "context.conditions.items[0]: must be an object {\"key\", \"values\"}, not a number"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"a:b\",\"resource\":\"*\","
     "\"conditions\":{\"items\":[{\"values\":{\"items\":[]}}]}}}",
     "context.conditions.items[0].key: must be a non-empty string, not missing"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"a:b\",\"resource\":\"*\","
     "\"conditions\":{\"items\":[{\"key\":\"k\"}]}}}",
     "context.conditions.items[0].values: must be an object {\"items\": [...]}, not missing"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"a:b\",\"resource\":\"*\","
     "\"conditions\":{\"items\":[{\"key\":\"k\",\"values\":{\"items\":[{\"value\":1}]}}]}}}",
     "context.conditions.items[0].values.items[0].value: must be a string, not a number"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"a:b\",\"resource\":\"*\","
     "\"conditions\":{\"items\":[{\"key\":\"k\",\"values\":{\"items\":[\"v\"]}}]}}}",
     "context.conditions.items[0].values.items[0]: must be an object {\"value\": \"...\"}, not a "
     "string"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"a:b\",\"resource\":\"*\","
     "\"conditions\":{\"items\":[{\"key\":\"aws:Region\",\"values\":{\"items\":[]}},"
     "{\"key\":\"x\",\"values\":{\"items\":[]}},{\"key\":\"AWS:REGION\",\"values\":{\"items\":[]}}"
     "]}}}",
     "context.conditions.items[2].key: 'AWS:REGION' is also items[0] (keys ignore case)"},
    {"{\"context\":{\"principal\":{\"arn\":\"p\",\"arn\":\"q\"}}}",
     "context.principal: duplicate member 'arn'"},
    {"{\"DecodedMessage\":\"{\\\"context\\\":{\\\"principal\\\":{\\\"arn\\\":7}}}\"}",
     "DecodedMessage.context.principal.arn: must be a non-empty string, not a number"},
    {"\"\\u0000\"", "message contains a \\u0000 escape at byte 1"},
    /* a service prefix is [a-z0-9-]: not one made of the quotes of a resource that is not an ARN */
    {"{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"Run\",\"resource\":"
     "\"arn:a\\\",\\\"x:\\\"y\\\":\"}}",
     "context.action: 'Run' has no service prefix, and neither an aws:Service key nor the "
     "resource ARN gives one"},
    {"Encoded authorization failure message: EXAMPLEWodyRNrtlQARDip",
     "message is not JSON: an encoded message (what the failed call printed) must be decoded "
     "first, with aws sts decode-authorization-message --encoded-message ..."},
};

START_TEST(test_errors) {
  Out o = {{0}, 0};
  IamSink out = {to_out, &o};
  IamError err;
  int rc = iam_authz_message(bad[_i].text, strlen(bad[_i].text), &out, &err);
  ck_assert_int_ne(rc, IAM_OK);
  ck_assert_int_ne(rc, IAM_ENOMEM);
  ck_assert_str_eq(err.msg, bad[_i].msg);
  ck_assert_uint_eq(o.calls, 0); /* nothing written */
}
END_TEST

START_TEST(test_many_members) {
  /* a hostile object with many members is checked in n log n, and a key repeated far apart is
  ** found */
  static char buf[1 << 20];
  size_t n = (size_t)snprintf(buf, sizeof buf, "{\"context\":{\"principal\":{\"arn\":\"p\"");
  for (int i = 0; i < 20000; i++) n += (size_t)snprintf(buf + n, sizeof buf - n, ",\"m%d\":0", i);
  snprintf(buf + n, sizeof buf - n, ",\"m7\":1}}}");
  Out o = {{0}, 0};
  IamSink out = {to_out, &o};
  IamError err;
  ck_assert_int_eq(iam_authz_message(buf, strlen(buf), &out, &err), IAM_EINVAL);
  ck_assert_str_eq(err.msg, "context.principal: duplicate member 'm7'");
}
END_TEST

START_TEST(test_alloc) {
  /* 20 keys: the item list and its sorted copy are allocated; members of 17 and more names
  ** take a list too */
  char text[OUT_MAX];
  size_t n = (size_t)snprintf(text, sizeof text,
                              "{\"context\":{\"principal\":{\"arn\":\"p\"},\"action\":\"a:b\","
                              "\"resource\":\"*\",\"conditions\":{\"items\":[");
  for (int i = 0; i < 20; i++)
    n += (size_t)snprintf(text + n, sizeof text - n,
                          "%s{\"key\":\"k%d\",\"values\":{\"items\":[{\"value\":\"v\"}]}}",
                          i ? "," : "", i);
  snprintf(text + n, sizeof text - n, "]}}}");
  int i, done = 0;
  for (i = 0; i < 50 && !done; i++) {
    Out o = {{0}, 0};
    IamSink out = {to_out, &o};
    IamError err;
    iam_mem_fail_at(i);
    int rc = iam_authz_message(text, strlen(text), &out, &err);
    if (rc == IAM_OK) {
      done = 1;
      ck_assert_ptr_nonnull(strstr(o.text, "\"k19\":\"v\""));
    } else {
      ck_assert_int_eq(rc, IAM_ENOMEM);
      ck_assert_uint_eq(o.calls, 0);
    }
  }
  iam_mem_fail_at(-1);
  ck_assert(done);
  ck_assert_int_gt(i, 1);
}
END_TEST

Suite *authzmsg_suite(void) {
  Suite *s = suite_create("authzmsg");
  TCase *tc = tcase_create("convert");
  tcase_add_test(tc, test_wrapper_and_bare);
  tcase_add_test(tc, test_request);
  tcase_add_loop_test(tc, test_errors, 0, sizeof bad / sizeof bad[0]);
  tcase_add_test(tc, test_many_members);
  suite_add_tcase(s, tc);
  tc = tcase_create("alloc");
  tcase_add_test(tc, test_alloc);
  suite_add_tcase(s, tc);
  return s;
}
