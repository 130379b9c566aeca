/* SPDX-License-Identifier: MIT */
/* Text services every core module uses: UTF-8 checks, ASCII case folding,
** error messages that quote user values, and IamSink, where the core writes
** text it does not keep (explanations, JSON) without knowing who reads it. */
#ifndef IAM_TEXT_H
#define IAM_TEXT_H

#include <stddef.h>

#include "iam.h"

/* Number of bytes of the UTF-8 character at t[i] (1 for an invalid byte). */
size_t iam_utf8_len(const unsigned char *t, size_t i, size_t m);

/* Offset of the first byte of s[0..n) that is not valid UTF-8 (overlong forms
** and surrogates included), or n when all of it is. */
size_t iam_utf8_invalid_at(const unsigned char *s, size_t n);

/* Percent-decode s[0..n) as RFC 3986 does (each "%XY", hex digits in either
** case, is the byte 0xXY; '+' and every other byte stay as they are) into out,
** which must hold n bytes; *out_n is the decoded length. IAM_EINVAL, with the
** place in s, when a '%' is not followed by two hex digits or when the decoded
** bytes are not valid UTF-8. Never allocates. */
int iam_url_decode(const char *s, size_t n, char *out, size_t *out_n, IamError *err);

/* ASCII lower-case copy; dst must hold n bytes (dst == src is fine). */
void iam_ascii_lower(char *dst, const char *src, size_t n);

/* Fill err (if not NULL) with a message and a position (-1: none). */
void iam_error_set(IamError *err, long pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Quote a user value for a message into buf: 'value', quotes doubled, control
** characters as '?', cut with "..." (never inside a UTF-8 character) to fit
** cap bytes. Returns buf. */
#define IAM_QUOTE_MAX 80 /* the buffer error messages use */
const char *iam_quote(char *buf, size_t cap, const char *s, size_t n);

/* Where text goes: append(arg, s, n) is called for each piece. The sink
** keeps its own error state (e.g. out of memory); the core never reads back
** what it wrote. */
typedef struct IamSink {
  void (*append)(void *arg, const char *s, size_t n);
  void *arg;
} IamSink;

void iam_sink_append(const IamSink *out, const char *s, size_t n);
void iam_sink_puts(const IamSink *out, const char *s); /* NUL-terminated */
/* iam_quote(s, n) into a buffer of cap bytes, then to out. */
void iam_sink_quote(const IamSink *out, const char *s, size_t n, size_t cap);

#endif /* IAM_TEXT_H */
