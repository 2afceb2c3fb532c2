// SPDX-License-Identifier: GPL-2.0
/* sockreap -batch FILE: the filters of every line, and which of them a
 * socket matches. Reading the file aside, pure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "err.h"
#include "exit.h"
#include "grow.h"
#include "reap_words.h"

int reap_filter_finish(struct nk_ctx *ctx, struct nk_filter *f, bool kill, bool all)
{
	if (kill && reap_filter_empty(f) && !all)
		return nk_usage(ctx, "kill with an empty filter would destroy every socket: say \"all\" if that is meant");
	/* by default what ss shows; a cookie names one socket, in any state */
	if (!f->state_mask)
		f->state_mask = f->ncookies ? REAP_STATES_ALL : REAP_STATES_CONNECTED;
	return 0;
}

int reap_batch_read(struct nk_ctx *ctx, FILE *f, struct reap_batch *b)
{
	char *line = NULL, *argv[NK_BATCH_MAX_ARGS];
	struct nk_args a;
	size_t cap = 0;
	int ret;

	while ((ret = nk_batch_next(ctx, f, &line, &cap, &a, argv, NK_BATCH_MAX_ARGS)) == 0) {
		const char *cmd = args_next(&a);
		struct reap_line l = { .line = ctx->line };
		bool all;

		/* (nk_split drops "#" comments: a comment line has no words) */
		if (!strcmp(cmd, "kill"))
			l.kill = true;
		else if (strcmp(cmd, "list")) {
			ret = nk_usage(ctx, "a batch line is \"kill FILTER\" or \"list FILTER\", not \"%s\"", cmd);
			break;
		}
		if ((ret = reap_parse_filter(ctx, &a, &l.f, &all)) ||
		    (ret = reap_filter_finish(ctx, &l.f, l.kill, all)))
			break;
		if (NK_GROW(b->v, b->n, b->cap)) {
			ret = nk_fail(ctx, NULL, -ENOMEM, "cannot read the batch");
			break;
		}
		b->v[b->n++] = l;
		b->kill |= l.kill;
	}
	free(line);
	if (ret > 0)
		return ret;
	ctx->line = 0;		/* what follows is not one line's */
	if (!b->n)
		return nk_usage(ctx, "the batch has no filter");
	return 0;
}

void reap_batch_union(const struct reap_batch *b, struct nk_filter *u)
{
	memset(u, 0, sizeof(*u));
	for (size_t i = 0; i < b->n; i++) {
		const struct nk_filter *f = &b->v[i].f;

		/* 0 is "both": the union of anything with both is both */
		u->proto_mask = i && (!u->proto_mask || !f->proto_mask) ? 0 : u->proto_mask | f->proto_mask;
		u->family_mask = i && (!u->family_mask || !f->family_mask) ? 0 : u->family_mask | f->family_mask;
		u->state_mask |= f->state_mask;
	}
}

size_t reap_batch_match(const struct reap_batch *b, const struct nk_sock *s, unsigned int *lines,
			size_t max, bool *kill)
{
	size_t n = 0;

	*kill = false;
	for (size_t i = 0; i < b->n; i++) {
		if (!nk_sock_match(&b->v[i].f, s))
			continue;
		if (n < max)
			lines[n] = b->v[i].line;
		n++;
		*kill |= b->v[i].kill;
	}
	return n;
}

void reap_batch_free(struct reap_batch *b)
{
	free(b->v);
	memset(b, 0, sizeof(*b));
}
