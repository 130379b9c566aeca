/* Wildcard matching for actions, resources and Like/Arn condition values.
** A pattern is compiled once into an array of ops; matching never allocates
** for texts up to IAM_MATCH_STACK bytes. */
#ifndef IAM_MATCH_H
#define IAM_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "iam_mem.h"

/* One op per pattern element: a literal byte (0..255), or a wildcard. */
/* One op per pattern element (16 bits keeps compiled policies small). */
typedef uint16_t IamOp;
#define IAM_OP_STAR       0x100u /* any run of characters (possibly empty) */
#define IAM_OP_QMARK      0x200u /* exactly one character (one UTF-8 code point) */
#define IAM_OP_NOCOLON    0x400u /* with STAR/QMARK: may not consume ':' */
#define IAM_OP_IS_WILD(o) (((o) & (IAM_OP_STAR | IAM_OP_QMARK)) != 0)

typedef enum IamGlobKind {
  IAM_GLOB_LITERAL = 0,   /* no wildcard: byte equality */
  IAM_GLOB_ANY = 1,       /* a lone unrestricted '*': matches everything */
  IAM_GLOB_SIMPLE = 2,    /* only unrestricted wildcards: greedy, O(n+m) typical */
  IAM_GLOB_RESTRICTED = 3 /* some wildcard may not consume ':': DP, O(n*m) */
} IamGlobKind;

typedef struct IamGlob {
  const IamOp *ops; /* borrowed: lives in the owner's arena */
  const char *lit;  /* IAM_GLOB_LITERAL: the literal text (n bytes) */
  uint32_t n;
  uint8_t kind;
} IamGlob;

#define IAM_MATCH_STACK 1024

/* Set g->kind (and g->lit for literal patterns, from ops) after ops/n are filled.
** The literal copy is allocated in arena a. Returns IAM_OK or IAM_ENOMEM. */
int iam_glob_finish(IamGlob *g, IamArena *a);

/* Match the whole text against the whole pattern, byte-exact for literals.
** Returns 1 (match), 0 (no match) or -1 (out of memory, only for very long texts). */
int iam_glob_match(const IamGlob *g, const char *text, size_t m);

/* Match against raw ops (kind worked out here): for patterns built per request. */
int iam_ops_match(const IamOp *ops, uint32_t n, const char *text, size_t m);

/* Compile an action pattern: '*' and '?' are wildcards, letters are folded to
** lower case (match against a lower-cased action). ops must hold n entries. */
void iam_ops_action(IamOp *ops, const char *s, size_t n);

/* Compile a Resource pattern's text with the field rules of the semantics spec
** §2.2, starting in field `field` (0 for a whole pattern). ops must hold n
** entries. Returns the field reached at the end (5 = resource part). */
int iam_ops_resource(IamOp *ops, const char *s, size_t n, int field);

/* Compile a Like pattern: '*' and '?' unrestricted, everything else literal. */
void iam_ops_like(IamOp *ops, const char *s, size_t n);

/* ArnLike: split both at their first five ':' and Like-match field by field.
** Returns 1, 0, or 2 when either side has fewer than six fields ("fail"). */
int iam_arn_like(const IamOp *ops, uint32_t n, const char *text, size_t m);

/* Number of bytes of the UTF-8 character at t[i] (1 for an invalid byte). */
size_t iam_utf8_len(const unsigned char *t, size_t i, size_t m);

/* Offset of the first byte of s[0..n) that is not valid UTF-8 (overlong forms
** and surrogates included), or n when all of it is. */
size_t iam_utf8_invalid_at(const unsigned char *s, size_t n);

/* ASCII lower-case copy; dst must hold n bytes. */
void iam_ascii_lower(char *dst, const char *src, size_t n);

#endif /* IAM_MATCH_H */
