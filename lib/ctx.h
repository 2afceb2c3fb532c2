/* SPDX-License-Identifier: GPL-2.0 */
/* The per-invocation context every command receives: no global state. */
#ifndef NK_CTX_H
#define NK_CTX_H

#include <stdbool.h>
#include "out.h"

struct nl;

struct nk_ctx {
	const char *prog;	/* "nkctl", used to prefix diagnostics */
	struct out out;		/* stdout writer, text or JSON */
	bool json, pretty;
	const char *netns;	/* -n NETNS, already entered when commands run */
	const char *batch;	/* -b FILE, or NULL */
	unsigned int line;	/* current batch line, 0 outside batch mode */
	struct nl *rt;		/* rtnetlink socket, opened on first use */
	void *priv;		/* the tool's own per-invocation state */
	/* Where diagnostics go: NULL, stderr ("PROG: MSG"); else each one, whole
	 * and without the prefix, to this (the CNI plugin keeps them as data). */
	void (*sink)(struct nk_ctx *ctx, const char *msg);
};

/* The rtnetlink socket of this invocation, opened on first use. */
struct nl *nk_rtnl(struct nk_ctx *ctx);

#endif
