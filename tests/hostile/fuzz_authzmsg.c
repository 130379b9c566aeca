/* SPDX-License-Identifier: MIT */
/* libFuzzer target: authorization-failure messages (iam_authzmsg.h).
**
** Input: the text of a message, as aws sts decode-authorization-message prints
** it or as its DecodedMessage alone; also tried wrapped in {"DecodedMessage":
** "<input as a JSON string>"}. Checked besides memory safety:
**   - a failure writes nothing and, unless out of memory, says why;
**   - a success writes a JSON object that the whole-request parser reads
**     back as an iam_authorize request (principal aside: the message's ARN is
**     replaced by a valid caller so that the rest is checked), and the wrapped
**     input gives the same object as the bare one.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "iam_authzmsg.h"
#include "iam_json.h"
#include "iam_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                    \
  do {                                                                              \
    if (!(c)) {                                                                     \
      fprintf(stderr, "fuzz_authzmsg: check failed: %s (line %d)\n", #c, __LINE__); \
      abort();                                                                      \
    }                                                                               \
  } while (0)

typedef struct Buf {
  char *s;
  size_t n, cap;
} Buf;

static void buf_append(void *arg, const char *s, size_t n) {
  Buf *b = arg;
  if (b->n + n + 1 > b->cap) {
    size_t cap = (b->n + n + 1) * 2;
    char *t = realloc(b->s, cap);
    CHECK(t != NULL);
    b->s = t;
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = 0;
}

/* Convert text; returns the rc, with the object in *out (caller frees). */
static int convert(const char *text, size_t len, Buf *out) {
  IamSink sink = {buf_append, out};
  IamError err;
  err.msg[0] = 0;
  int rc = iam_authz_message(text, len, &sink, &err);
  if (rc != IAM_OK) {
    CHECK(out->n == 0 || rc == IAM_ENOMEM);
    CHECK(rc == IAM_ENOMEM || err.msg[0] != 0);
  }
  return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 16) return 0;
  Buf bare = {0}, wrapped = {0}, w = {0};
  char *text = fuzz_dup(data, size); /* the text ends with a NUL, as SQLite's does */
  int rc = convert(text, size, &bare);
  if (rc == IAM_OK) {
    /* the object, with a caller the request parser accepts, parses as a request */
    const char *p = strstr(bare.s, "\"action\":");
    CHECK(strncmp(bare.s, "{\"principal\":", 13) == 0 && p != NULL);
    Buf req = {0};
    buf_append(&req, "{\"principal\":\"arn:aws:iam::111122223333:user/fuzz\",", 51);
    buf_append(&req, p, strlen(p));
    IamPolicy *pol = NULL;
    IamError err;
    int prc = iam_policy_parse(req.s, req.n, IAM_PARSE_REQUEST, &pol, &err);
    /* an action or resource the request check refuses comes later (iam_request_check);
    ** the object itself must parse, its context included */
    CHECK(prc == IAM_OK || prc == IAM_ENOMEM || prc == IAM_ELIMIT);
    iam_free(pol);
    free(req.s);
  }
  /* the same text as the CLI's wrapper: {"DecodedMessage": "<text>"} */
  if (memchr(data, 0, size) == NULL) {
    IamSink ws = {buf_append, &w};
    buf_append(&w, "{\"DecodedMessage\":", 18);
    iam_json_write_string(&ws, (const char *)data, size);
    buf_append(&w, "}", 1);
    int wrc = convert(w.s, w.n, &wrapped);
    if (rc == IAM_OK && wrc == IAM_OK) CHECK(strcmp(bare.s, wrapped.s) == 0);
  }
  free(text);
  free(bare.s);
  free(wrapped.s);
  free(w.s);
  return 0;
}
