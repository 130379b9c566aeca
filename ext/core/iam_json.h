/* SPDX-License-Identifier: MIT */
/* JSON services shared by the policy and context parsers (the only core
** files that call cJSON) and by the glue: the checks cJSON does not make,
** telling a malformed text from cJSON running out of memory, number text,
** and writing JSON strings. No cJSON type appears here. */
#ifndef IAM_JSON_H
#define IAM_JSON_H

#include <stddef.h>

#include "iam.h"
#include "iam_mem.h"
#include "iam_text.h"

/* Checks made before cJSON sees a text: size, NUL bytes, \u0000 escapes,
** UTF-8 and nesting depth. what names the input ("policy", "context").
** IAM_OK, or IAM_EPARSE/IAM_ELIMIT with err filled. */
int iam_json_precheck(const char *text, size_t len, const char *what, IamError *err);

/* iam_json_precheck, and a bound of cJSON's tree of the text, for its
** stand-in in the core's allocator. cJSON allocates with its own,
** process-wide allocator, which the extension must not change
** (cJSON_InitHooks would move every cJSON user of the process). So a parser
** reserves *tree_bytes through iam_malloc (as many bytes as the tree can
** take: node_size per value, sizeof(cJSON), plus its strings and the C
** library's overhead per block, counted from the text) before cJSON parses
** the text, and frees the reservation with iam_free after the tree is
** deleted: limits on the core's allocator (SQLite's heap limits) then see
** the tree while it exists, and a text whose tree does not fit under them
** fails (IAM_ENOMEM) before cJSON allocates anything. The reservation is
** never written, so it costs address space, not memory. */
int iam_json_check(const char *text, size_t len, const char *what, size_t node_size,
                   size_t *tree_bytes, IamError *err);
/* The bound alone (0 for a text iam_json_precheck refuses). */
size_t iam_json_tree_bytes(const char *text, size_t len, size_t node_size);

/* After cJSON_ParseWithLengthOpts(text, len + 1, &end, 1) returned NULL:
** cJSON says NULL both for a malformed text and when an allocation failed.
** A text that is well-formed JSON (read again here, allocating nothing)
** failed for want of memory: IAM_ENOMEM. Otherwise IAM_EPARSE, with err
** saying where (end as cJSON left it, NULL if unknown). */
int iam_json_parse_failed(const char *text, size_t len, const char *end, const char *what,
                          IamError *err);

/* A JSON number as text: the shortest decimal that reads back as the same
** double, written without an exponent (1e21 -> "1000000000000000000000",
** 1e-5 -> "0.00001"). Returns 0 if not finite or longer than cap. */
#define IAM_NUMBER_TEXT_MAX 400
int iam_number_text(double v, char *buf, size_t cap);

/* 1 if s[0..n) is "{}" with optional JSON whitespace, else 0. */
int iam_json_is_empty_object(const char *s, size_t n);

/* s[0..n) as a JSON string: "..." with '"', '\\' and control characters escaped. */
void iam_json_write_string(const IamSink *out, const char *s, size_t n);

#endif /* IAM_JSON_H */
