/* SPDX-License-Identifier: MIT */
/* Wildcard matching for actions, resources and Like/Arn condition values.
** A pattern is compiled once into a glob, an array of codes (one per
** character, or a wildcard); matching never allocates for texts up to
** IAM_MATCH_STACK bytes. Rules: ext/core/SEMANTICS.md, "Matching". */
#ifndef IAM_MATCH_H
#define IAM_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "iam_mem.h"
#include "iam_work.h"

/* One code per pattern character: a literal byte (0..255), or a wildcard
** (16 bits keep compiled policies small). */
typedef uint16_t IamGlobCode;
#define IAM_GLOB_STAR       0x100u /* any run of characters (possibly empty) */
#define IAM_GLOB_QMARK      0x200u /* exactly one character (one UTF-8 code point) */
#define IAM_GLOB_NOCOLON    0x400u /* with STAR/QMARK: may not consume ':' */
#define IAM_GLOB_IS_WILD(c) (((c) & (IAM_GLOB_STAR | IAM_GLOB_QMARK)) != 0)

typedef enum IamGlobKind {
  IAM_GLOB_LITERAL = 0,   /* no wildcard: byte equality */
  IAM_GLOB_ANY = 1,       /* a lone unrestricted '*': matches everything */
  IAM_GLOB_SIMPLE = 2,    /* only unrestricted wildcards: greedy, O(n+m) typical */
  IAM_GLOB_RESTRICTED = 3 /* some wildcard may not consume ':': DP, O(n*m) */
} IamGlobKind;

/* A compiled pattern without variables. Borrowed pieces: they live in the
** block (or arena) of the object that holds the glob. */
typedef struct IamGlob {
  const IamGlobCode *codes; /* NULL for IAM_GLOB_LITERAL */
  const char *lit;          /* IAM_GLOB_LITERAL: the literal text (n bytes) */
  uint32_t n;
  uint8_t kind; /* IamGlobKind */
} IamGlob;

#define IAM_MATCH_STACK 1024 /* texts up to this many bytes are matched without allocating */

/* Scratch codes for compiling: iam_glob_scratch returns room for n codes
** (NULL when out of memory), valid until the next call; free with
** iam_glob_scratch_free. Start from {NULL, 0}. */
typedef struct IamGlobScratch {
  IamGlobCode *codes;
  size_t cap;
} IamGlobScratch;
IamGlobCode *iam_glob_scratch(IamGlobScratch *s, size_t n);
void iam_glob_scratch_free(IamGlobScratch *s);

/* Fill g from codes[0..n), copying them (or, for a literal, its text) into
** arena a. IAM_OK or IAM_ENOMEM. */
int iam_glob_init(IamGlob *g, const IamGlobCode *codes, uint32_t n, IamArena *a);

/* Match the whole text against the whole pattern, byte-exact for literals,
** counting the work in w (iam_work.h). 1 (match), 0 (no match), IAM_ENOMEM
** (only for very long texts), or w's IAM_EWORK / IAM_EINTERRUPT. */
int iam_glob_match(const IamGlob *g, const char *text, size_t m, IamWork *w);

/* The same against raw codes (kind worked out here): patterns built per request. */
int iam_glob_match_codes(const IamGlobCode *codes, uint32_t n, const char *text, size_t m,
                         IamWork *w);

/* The two above, each call with a counter of its own at the default limit: for
** the linter and iam_new_access, which match patterns against the catalog's
** short action and key names (their work is bounded by those sizes). A
** result below 0 is an error the caller must not read as "no match". */
int iam_glob_match_short(const IamGlob *g, const char *text, size_t m);
int iam_glob_match_codes_short(const IamGlobCode *codes, uint32_t n, const char *text, size_t m);

/* Compile an action pattern: '*' and '?' are wildcards, letters are folded to
** lower case (match against a lower-cased action). codes must hold n entries. */
void iam_glob_codes_action(IamGlobCode *codes, const char *s, size_t n);

/* Compile a Resource pattern's text with the field rules of SEMANTICS.md
** "Resource", starting in field `field` (0 for a whole pattern). codes must
** hold n entries. Returns the field reached at the end (5 = resource part). */
int iam_glob_codes_resource(IamGlobCode *codes, const char *s, size_t n, int field);

/* Compile a Like pattern: '*' and '?' unrestricted, everything else literal. */
void iam_glob_codes_like(IamGlobCode *codes, const char *s, size_t n);

/* ArnLike: split both at their first five ':' and Like-match field by field.
** 1, 0, IAM_ARN_MALFORMED when either side has fewer than six fields, or w's
** IAM_EWORK / IAM_EINTERRUPT. */
#define IAM_ARN_MALFORMED 2
int iam_glob_arn_like(const IamGlobCode *codes, uint32_t n, const char *text, size_t m, IamWork *w);

#endif /* IAM_MATCH_H */
