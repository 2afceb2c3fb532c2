// SPDX-License-Identifier: GPL-2.0
/* sockreap list | kill | -batch: the filter (or the batch's lines) into a
 * walk of lib/reap, and the exit code of what it found. */
#include <errno.h>
#include <string.h>
#include "err.h"
#include "exit.h"
#include "netns.h"
#include "reap_words.h"

/* -batch: the lines that take s (2: a kill among them destroys it) */
static int select_lines(struct nk_sock *s, void *data)
{
	struct run *r = data;

	r->nlines = reap_batch_match(r->batch, s, r->lines, 64, &r->line_kills);
	if (!r->nlines)
		return 0;
	return r->line_kills ? 2 : 1;
}

/* Every namespace (or -n's), then the exit code of what was found. */
static int walk(struct nk_ctx *ctx, struct reap_walk *w, struct run *r)
{
	int err;

	w->here = ctx->netns;
	w->sock = print_report;
	w->ns_done = print_ns_done;
	w->data = r;
	err = reap_walk(w);
	if (err == -EOPNOTSUPP)
		return nk_unsupp(ctx, "the bpf backend needs bpf_sock_destroy and socket iterators (Linux 6.5): %s",
				 strerror(-w->bpf_err));
	if (err)
		return nk_fail(ctx, NULL, 0, "cannot return to the original network namespace");
	if (w->cannot_destroy)
		return nk_unsupp(ctx, "this kernel cannot destroy sockets (SOCK_DESTROY: %s; it needs CONFIG_INET_DIAG_DESTROY)%s",
				 strerror(EOPNOTSUPP),
				 w->bpf_err ? ", and it has no bpf_sock_destroy" : "");
	return reap_walk_exit(w);
}

static int run(struct nk_ctx *ctx, struct nk_args *a, bool kill)
{
	struct reap *reap = ctx->priv;
	struct reap_walk w = { .backend = reap->backend, .kill = kill };
	struct run r = { .ctx = ctx, .kill = kill };
	bool all;
	int ret;

	if ((ret = reap_parse_filter(ctx, a, &w.f, &all)) ||
	    (ret = reap_filter_finish(ctx, &w.f, kill, all)))
		return ret;
	return walk(ctx, &w, &r);
}

/* -batch FILE: one walk for every line. The socket index (auto, where it
 * covers a namespace) or sock_diag dumps give what any line can select;
 * each socket is matched against every line and destroyed once, with
 * SOCK_DESTROY, if a "kill" line takes it. */
int reap_cmd_batch(struct nk_ctx *ctx, FILE *f)
{
	struct reap *reap = ctx->priv;
	struct reap_batch b = { 0 };
	struct reap_walk w = { .backend = reap->backend, .select = select_lines };
	struct run r = { .ctx = ctx, .batch = &b };
	int ret = reap_batch_read(ctx, f, &b);

	if (!ret && reap->backend == BACKEND_BPF)
		ret = nk_usage(ctx, "-batch walks with sock_diag: it does not take --backend bpf");
	if (!ret) {
		r.kill = w.kill = b.kill;
		reap_batch_union(&b, &w.f);
		ret = walk(ctx, &w, &r);
	}
	reap_batch_free(&b);
	return ret;
}

int reap_cmd_list(struct nk_ctx *ctx, struct nk_args *a)
{
	return run(ctx, a, false);
}

int reap_cmd_kill(struct nk_ctx *ctx, struct nk_args *a)
{
	return run(ctx, a, true);
}

void reap_cmd_features(struct nk_ctx *ctx)
{
	struct nk_filter f = { 0 };
	struct reap_bpf *rb = NULL;
	int err = reap_bpf_open(&rb, &f, false);
	bool index = reap_index_probe() == 0;
	const char *walk = netns_walk_method();

	reap_bpf_close(rb);
	out_bool(&ctx->out, "bpf_sock_destroy", " bpf_sock_destroy %s", err == 0);
	out_bool(&ctx->out, "socket_index", " socket-index %s", index);
	/* without listns, the index finds where processes hold namespaces */
	out_str(&ctx->out, "netns_walk", " netns-walk %s",
		strcmp(walk, "listns") && index ? "index" : walk);
}

