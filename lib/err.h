/* SPDX-License-Identifier: GPL-2.0 */
/* Diagnostics, always on stderr, prefixed "PROG: " (and "FILE:LINE: " in
 * batch mode). Each returns the exit code it stands for. */
#ifndef NK_ERR_H
#define NK_ERR_H

#include "ctx.h"

struct nl;

void nk_msg(struct nk_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Usage error: returns NK_EXIT_USAGE. */
int nk_usage(struct nk_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Unsupported by the running kernel: returns NK_EXIT_UNSUPP. */
int nk_unsupp(struct nk_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "WHAT: strerror(-err)", with the kernel's extack message from nl if there
 * is one. Returns NK_EXIT_FAIL. */
int nk_fail(struct nk_ctx *ctx, const struct nl *nl, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* strerror() that also knows libbpf's own error codes (4000...). */
const char *nk_strerror(int err);
/* After a successful request: the kernel's warning, if it sent one. */
void nk_warn_extack(struct nk_ctx *ctx, const struct nl *nl);

#endif
