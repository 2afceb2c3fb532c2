// SPDX-License-Identifier: GPL-2.0
/* sockreap list | kill: find (and destroy) matching sockets in every
 * network namespace. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "err.h"
#include "exit.h"
#include "netns.h"
#include "reap.h"

static const char synopsis[] =
"Usage: sockreap [ OPTIONS ] { list | kill | help } [ FILTER ]\n"
"OPTIONS := { -j[son] | -p[retty] | -n[etns] NETNS | -b[atch] FILE | --backend { auto | bpf | diag } |\n"
"             -V[ersion] | -h[elp] }\n"
"FILTER  := [ tcp | udp ] [ -4 | -6 ] [ dst PREFIX[:PORT] ] [ src PREFIX[:PORT] ]\n"
"           [ dport PORT ] [ sport PORT ] [ state STATE ]... [ cookie COOKIE[,COOKIE...] ]\n"
"           [ all ]\n"
"FILE    := lines of { list | kill } FILTER\n"
"NETNS   := { NAME | PATH | PID }\n"
"STATE   := { established | syn-sent | syn-recv | fin-wait-1 | fin-wait-2 | time-wait |\n"
"             close | close-wait | last-ack | listen | closing | new-syn-recv |\n"
"             connected | all }\n";

const char *const backend_names[] = { "auto", "bpf", "diag", NULL };

struct reap {
	enum backend backend;	/* as asked */
};

static void format_addr(const struct nk_sock *s, const __u8 *a, __u16 port, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (s->family == AF_INET) {
		inet_ntop(AF_INET, a + 12, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, port);
	} else {
		inet_ntop(AF_INET6, a, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, port);
	}
}

/* lines: the batch lines it matched (nlines of them), or none */
static void print_sock(struct out *o, const struct nk_sock *s, bool kill,
		       const unsigned int *lines, size_t nlines)
{
	char local[64], remote[64];

	format_addr(s, s->saddr, s->sport, local, sizeof(local));
	format_addr(s, s->daddr, s->dport, remote, sizeof(remote));
	out_open(o, NULL);
	out_str(o, "proto", "  %-3s", s->proto == NK_PROTO_TCP ? "tcp" : "udp");
	out_str(o, "family", " %-5s", s->family == AF_INET ? "inet" : "inet6");
	out_str(o, "state", " %-11s", reap_state_name(s->state));
	out_str(o, "local", " %s", local);
	out_str(o, "remote", " %s", remote);
	out_uint(o, "cookie", " cookie %" PRIu64, s->cookie);
	out_uint(o, "uid", " uid %" PRIu64, s->uid);
	if (kill) {
		out_bool(o, "destroyed", NULL, s->result == 0);
		if (s->result)
			out_str(o, "error", " (not destroyed: %s)", reap_strerror(s->result));
	}
	if (nlines) {
		out_text(o, " line");
		out_open_array(o, "lines");
		for (size_t i = 0; i < nlines; i++)
			out_uint(o, NULL, i ? ",%" PRIu64 : " %" PRIu64, lines[i]);
		out_close_array(o);
	}
	out_text(o, "\n");
	out_close(o);
}

/* One command's printing state. */
struct run {
	struct nk_ctx *ctx;
	bool kill;
	bool opened;			/* the namespace's report has begun */
	const struct reap_batch *batch;	/* -batch: its lines, else NULL */
	unsigned int lines[64];		/* the lines the current socket matched */
	size_t nlines;
	bool line_kills;		/* and one of them kills */
};

/* A socket found: the namespace's report begins with its first socket, so
 * that namespaces without matches print nothing. */
static void report(const char *label, const struct nk_sock *s, void *data)
{
	struct run *r = data;
	struct out *o = &r->ctx->out;

	if (!r->opened) {
		out_open(o, NULL);
		out_str(o, "netns", "netns %s:\n", label);
		out_open_array(o, "sockets");
		r->opened = true;
	}
	print_sock(o, s, r->batch ? r->line_kills : r->kill, r->lines,
		   r->nlines < 64 ? r->nlines : 64);
}

/* -batch: the lines that take s (2: a kill among them destroys it) */
static int select_lines(struct nk_sock *s, void *data)
{
	struct run *r = data;

	r->nlines = reap_batch_match(r->batch, s, r->lines, 64, &r->line_kills);
	if (!r->nlines)
		return 0;
	return r->line_kills ? 2 : 1;
}

/* A namespace is over: the end of its report. One that could not be
 * entered is part of the answer too, in the shape every tool gives it. */
static void ns_done(const struct reap_ns_result *ns, void *data)
{
	struct run *r = data;
	struct out *o = &r->ctx->out;

	if (!ns->opened) {
		nk_msg(r->ctx, "cannot open network namespace %s: %s", ns->label, strerror(-ns->err));
		out_netns_failed(o, ns->label, ns->err);
		return;
	}
	if (ns->err) {
		nk_msg(r->ctx, "netns %s: %s backend failed: %s", ns->label, ns->backend,
		       strerror(-ns->err));
		if (!r->opened) {
			out_open(o, NULL);
			out_str(o, "netns", NULL, ns->label);
			out_open_array(o, "sockets");
			r->opened = true;
		}
	}
	if (!r->opened)
		return;
	r->opened = false;
	out_close_array(o);
	if (ns->err)
		out_str(o, "error", NULL, strerror(-ns->err));
	out_uint(o, "matched", r->kill ? "  %" PRIu64 " matched" : "  %" PRIu64 " matched\n",
		 ns->matched);
	if (r->kill) {
		out_uint(o, "destroyed", ", %" PRIu64 " destroyed", ns->destroyed);
		out_uint(o, "failed", ", %" PRIu64 " failed\n", ns->failed);
	}
	out_str(o, "backend", NULL, ns->backend);
	out_close(o);
}

/* Every namespace (or -n's), then the exit code of what was found. */
static int walk(struct nk_ctx *ctx, struct reap_walk *w, struct run *r)
{
	int err;

	w->here = ctx->netns;
	w->sock = report;
	w->ns_done = ns_done;
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
	w.f.dry_run = !kill;
	return walk(ctx, &w, &r);
}

/* -batch FILE: one walk for every line. The socket index (auto, where it
 * covers a namespace) or sock_diag dumps give what any line can select;
 * each socket is matched against every line and destroyed once, with
 * SOCK_DESTROY, if a "kill" line takes it. */
static int batch(struct nk_ctx *ctx, FILE *f)
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

static int cmd_list(struct nk_ctx *ctx, struct nk_args *a)
{
	return run(ctx, a, false);
}

static int cmd_kill(struct nk_ctx *ctx, struct nk_args *a)
{
	return run(ctx, a, true);
}

static int option(struct nk_ctx *ctx, struct nk_args *a)
{
	struct reap *reap = ctx->priv;
	const char *opt = args_peek(a), *v;
	int idx, ret;

	if (strcmp(opt, "--backend") && strcmp(opt, "-backend"))
		return -1;
	args_next(a);
	if ((ret = args_value(ctx, a, opt, &v)) ||
	    (ret = parse_choice(ctx, "backend", v, backend_names, &idx)))
		return ret;
	reap->backend = idx;
	return 0;
}

static void features(struct nk_ctx *ctx)
{
	struct nk_filter f = { .dry_run = 1 };
	struct reap_bpf *rb = NULL;
	int err = reap_bpf_open(&rb, &f);
	bool index = reap_index_probe() == 0;
	const char *walk = netns_walk_method();

	reap_bpf_close(rb);
	out_bool(&ctx->out, "bpf_sock_destroy", " bpf_sock_destroy %s", err == 0);
	out_bool(&ctx->out, "socket_index", " socket-index %s", index);
	/* without listns, the index finds where processes hold namespaces */
	out_str(&ctx->out, "netns_walk", " netns-walk %s",
		strcmp(walk, "listns") && index ? "index" : walk);
}

static const struct nk_cmd cmds[] = {
	{ "list", cmd_list },
	{ "kill", cmd_kill },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	struct reap reap = { .backend = BACKEND_AUTO };
	const struct nk_tool tool = {
		.name = "sockreap",
		.synopsis = synopsis,
		.cmds = cmds,
		.option = option,
		.features = features,
		.batch = true,
		.batch_run = batch,
		.priv = &reap,
	};

	return nk_main(&tool, argc, argv);
}
