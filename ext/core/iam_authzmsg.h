/* SPDX-License-Identifier: MIT */
/* The request inside an AWS authorization-failure message: the JSON that
** `aws sts decode-authorization-message` prints (or its DecodedMessage alone),
** written as the whole-request object that iam_authorize takes. */
#ifndef IAM_AUTHZMSG_H
#define IAM_AUTHZMSG_H

#include <stddef.h>

#include "iam.h"
#include "iam_text.h"

/* Read the decoded message text[0..len) (NUL-terminated at text[len], as
** SQLite's text is) and write to out the object
** {"principal", "action", "resource", "context"} of the request it describes
** (ext/README.md, "Authorization-failure messages"):
**   - text is the CLI's output {"DecodedMessage": "<JSON text>"} (the member may
**     also hold the object itself) or the decoded message {"allowed", ...,
**     "context": {...}};
**   - principal is context.principal.arn; action is context.action, with the
**     service prefix taken from the aws:Service key (else the resource ARN) when
**     the message gives the bare name ("RunInstances");
**   - context holds every key of context.conditions.items as written, one value
**     as a string and several as an array, and aws:RequestedRegion copied from
**     aws:Region when the message has only the latter.
** Nothing is written unless the result is IAM_OK. Returns IAM_OK, IAM_EPARSE
** (malformed JSON), IAM_EINVAL (not such a message: err says where, as a path
** such as "DecodedMessage.context.conditions.items[3].key"), IAM_ELIMIT, or
** IAM_ENOMEM (out may then hold part of the object). */
int iam_authz_message(const char *text, size_t len, const IamSink *out, IamError *err);

#endif /* IAM_AUTHZMSG_H */
