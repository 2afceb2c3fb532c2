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

#define MAX_PASSES 8

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
	enum backend used;	/* as resolved: bpf or diag */
	struct reap_bpf *rb;
	int bpf_err;		/* why bpf could not be loaded */
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

struct run {
	struct nk_ctx *ctx;
	struct reap *reap;
	struct nk_filter f;
	bool kill;
	struct pass pass;
	const struct netns_ent *ns;	/* the namespace being searched */
	bool opened;			/* its report has begun */
	struct reap_diag *rd;		/* its sock_diag socket, for the fallback */
	struct reap_index *index;	/* every namespace's socket files, or NULL */
	bool index_sockets;		/* destroy from the index where it can */
	const char *used;		/* the namespace's backend, as printed */
	unsigned int matched, destroyed, failed, unsupported, ns_failed;
	const struct reap_batch *batch;	/* -batch: its lines, else NULL */
	unsigned int lines[64];		/* the lines the current socket matched */
	size_t nlines;
	bool line_kills;		/* and one of them kills */
};

/* A socket found: the namespace's report begins with its first socket, so
 * that namespaces without matches print nothing. */
static void report(const struct nk_sock *s, void *data)
{
	struct run *r = data;
	struct out *o = &r->ctx->out;

	if (!r->opened) {
		out_open(o, NULL);
		out_str(o, "netns", "netns %s:\n", r->ns->label);
		out_open_array(o, "sockets");
		r->opened = true;
	}
	print_sock(o, s, r->batch ? r->line_kills : r->kill, r->lines,
		   r->nlines < 64 ? r->nlines : 64);
}

/* -batch: the lines that take s; a kill among them destroys it (the dump
 * is over when sockets are emitted: SOCK_DESTROY is safe on its socket) */
static int select_lines(struct nk_sock *s, void *data)
{
	struct run *r = data;

	r->nlines = reap_batch_match(r->batch, s, r->lines, 64, &r->line_kills);
	if (!r->nlines)
		return 0;
	if (!r->line_kills)
		return 1;
	s->result = reap_diag_destroy(r->rd, s);
	return 2;
}

/* The bpf backend could not destroy it (a time-wait socket on kernels such
 * as 6.18): SOCK_DESTROY may. */
static int fallback(struct nk_sock *s, void *data)
{
	struct run *r = data;

	if (!r->rd && reap_diag_open(&r->rd))
		return s->result;
	return reap_diag_destroy(r->rd, s);
}

static int one_pass(struct run *r)
{
	int err;

	if (r->reap->used == BACKEND_BPF)
		return reap_bpf_run(r->reap->rb, &r->pass);
	if (!r->rd && (err = reap_diag_open(&r->rd)))
		return err;
	return reap_diag_run(r->rd, &r->f, &r->pass);
}

/* All passes over the current namespace. Kill repeats until a pass destroys
 * nothing new: sock_diag dumps, and socket iterators before 6.17, can skip
 * sockets while the buckets they walk change under them. */
static int reap_here(const struct netns_ent *ns, void *data)
{
	struct run *r = data;
	struct out *o = &r->ctx->out;
	struct pass *p = &r->pass;
	const struct nk_sock *match;
	int err = 0;
	size_t n;

	r->ns = ns;
	r->opened = false;
	pass_begin_ns(p);
	if (r->index_sockets && !reap_index_here(r->index, ns->ino, &r->f, &match, &n)) {
		/* every socket here is a file we know: no walk */
		r->used = "index";
		for (size_t i = 0; i < n && !err; i++) {
			struct nk_sock s = match[i];

			if (!r->rd && (r->kill || !s.cookie))
				err = reap_diag_open(&r->rd);
			if (!err && !s.cookie)
				reap_diag_cookie(r->rd, &s);	/* to print: 0 if it cannot */
			/* (in a batch, the lines decide: select_lines) */
			if (!err && r->kill && !r->batch)
				s.result = reap_diag_destroy(r->rd, &s);
			if (!err)
				err = pass_emit(p, &s);
		}
	} else {
		r->used = backend_names[r->reap->used];
		for (int i = 0; i < (p->dedup ? MAX_PASSES : 1); i++) {
			p->ns.progress = 0;
			err = one_pass(r);
			if (err || !p->ns.progress)
				break;
		}
	}
	reap_diag_close(r->rd);
	r->rd = NULL;
	if (err) {
		nk_msg(r->ctx, "netns %s: %s backend failed: %s", ns->label, r->used, strerror(-err));
		r->ns_failed++;
	}
	if (err && !r->opened) {	/* the failure is this namespace's report */
		out_open(o, NULL);
		out_str(o, "netns", NULL, ns->label);
		out_open_array(o, "sockets");
		r->opened = true;
	}
	if (r->opened) {
		out_close_array(o);
		if (err)
			out_str(o, "error", NULL, strerror(-err));
		out_uint(o, "matched", r->kill ? "  %" PRIu64 " matched" : "  %" PRIu64 " matched\n",
			 p->ns.matched);
		if (r->kill) {
			out_uint(o, "destroyed", ", %" PRIu64 " destroyed", p->ns.destroyed);
			out_uint(o, "failed", ", %" PRIu64 " failed\n", p->ns.failed);
		}
		out_str(o, "backend", NULL, r->used);
		out_close(o);
	}
	r->matched += p->ns.matched;
	r->destroyed += p->ns.destroyed;
	r->failed += p->ns.failed;
	r->unsupported += p->ns.unsupported;
	return 0;
}

static void ns_failed(const char *label, int err, void *data)
{
	struct run *r = data;

	nk_msg(r->ctx, "cannot open network namespace %s: %s", label, strerror(-err));
	/* in the JSON too: a namespace not searched is part of the answer,
	 * with the keys of the others (jq's .sockets[] keeps working) */
	out_open(&r->ctx->out, NULL);
	out_str(&r->ctx->out, "netns", NULL, label);
	out_open_array(&r->ctx->out, "sockets");
	out_close_array(&r->ctx->out);
	out_str(&r->ctx->out, "error", NULL, strerror(-err));
	out_uint(&r->ctx->out, "matched", NULL, 0);
	out_close(&r->ctx->out);
	r->ns_failed++;
}

static int pick_backend(struct nk_ctx *ctx, struct reap *reap, const struct nk_filter *f)
{
	if (reap->backend != BACKEND_DIAG) {
		reap->bpf_err = reap_bpf_open(&reap->rb, f);
		if (!reap->bpf_err) {
			reap->used = BACKEND_BPF;
			return 0;
		}
		if (reap->backend == BACKEND_BPF)
			return nk_unsupp(ctx, "the bpf backend needs bpf_sock_destroy and socket iterators (Linux 6.5): %s",
					 strerror(-reap->bpf_err));
	}
	reap->used = BACKEND_DIAG;
	return 0;
}

/* Every namespace (or -n's), then the exit code of what was found. */
static int walk(struct nk_ctx *ctx, struct reap *reap, struct run *r)
{
	int ret = 0;

	/* Across namespaces, one walk of every process's files finds where
	 * namespaces are held, and for auto the sockets that SOCK_DESTROY can
	 * destroy without walking a namespace. Without it: /proc, and walks. */
	if (!ctx->netns && !reap_index_build(&r->index, &r->f))
		r->index_sockets = reap->backend == BACKEND_AUTO &&
				   (!r->kill || reap_diag_probe() == 0);
	if (ctx->netns) {
		struct netns_ent here = { .fd = -1 };

		snprintf(here.label, sizeof(here.label), "%s", ctx->netns);
		reap_here(&here, r);
	} else {
		/* the index knows where processes hold namespaces: no /proc scan */
		const struct netns_hint *hints = NULL;
		size_t n = r->index ? reap_index_hints(r->index, &hints) : 0;

		if (netns_foreach_in_hinted(reap_here, ns_failed, r, hints, n))
			ret = nk_fail(ctx, NULL, 0, "cannot return to the original network namespace");
	}
	pass_free(&r->pass);
	reap_index_free(r->index);
	reap_bpf_close(reap->rb);
	reap->rb = NULL;
	if (ret)
		return ret;
	/* every failure says "not supported": is there any way at all? */
	if (r->failed && r->failed == r->unsupported && !r->destroyed && reap->used == BACKEND_DIAG &&
	    reap_diag_probe() == -EOPNOTSUPP)
		return nk_unsupp(ctx, "this kernel cannot destroy sockets (SOCK_DESTROY: %s; it needs CONFIG_INET_DIAG_DESTROY)%s",
				 strerror(EOPNOTSUPP),
				 reap->bpf_err ? ", and it has no bpf_sock_destroy" : "");
	if (r->ns_failed || r->failed)
		return NK_EXIT_PARTIAL;
	return r->matched ? NK_EXIT_OK : NK_EXIT_NONE;
}

static int run(struct nk_ctx *ctx, struct nk_args *a, bool kill)
{
	struct reap *reap = ctx->priv;
	struct run r = { .ctx = ctx, .reap = reap, .kill = kill };
	bool all;
	int ret;

	if ((ret = reap_parse_filter(ctx, a, &r.f, &all)) ||
	    (ret = reap_filter_finish(ctx, &r.f, kill, all)))
		return ret;
	r.f.dry_run = !kill;
	if ((ret = pick_backend(ctx, reap, &r.f)))
		return ret;
	r.pass = (struct pass){
		.dry_run = !kill,
		/* one pass where every socket is visited once: no set needed */
		.dedup = kill && !(reap->used == BACKEND_BPF && reap_bpf_exactly_once()),
		.fallback = reap->used == BACKEND_BPF && reap->backend == BACKEND_AUTO ? fallback : NULL,
		.report = report,
		.data = &r,
	};
	return walk(ctx, reap, &r);
}

/* -batch FILE: one walk for every line. The socket index (auto, where it
 * covers a namespace) or sock_diag dumps give what any line can select;
 * each socket is matched against every line and destroyed once, with
 * SOCK_DESTROY, if a "kill" line takes it. */
static int batch(struct nk_ctx *ctx, FILE *f)
{
	struct reap *reap = ctx->priv;
	struct reap_batch b = { 0 };
	struct run r = { .ctx = ctx, .reap = reap, .batch = &b };
	int ret = reap_batch_read(ctx, f, &b);

	if (!ret && reap->backend == BACKEND_BPF)
		ret = nk_usage(ctx, "-batch walks with sock_diag: it does not take --backend bpf");
	if (ret) {
		reap_batch_free(&b);
		return ret;
	}
	reap->used = BACKEND_DIAG;
	r.kill = b.kill;
	reap_batch_union(&b, &r.f);
	r.pass = (struct pass){
		.dry_run = true,
		.dedup = b.kill,	/* kills repeat the dump until it finds nothing new */
		.select = select_lines,
		.report = report,
		.data = &r,
	};
	ret = walk(ctx, reap, &r);
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
