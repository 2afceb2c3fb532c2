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
"OPTIONS := { -j[son] | -p[retty] | -n[etns] NETNS | --backend { auto | bpf | diag } | -V[ersion] | -h[elp] }\n"
"FILTER  := [ tcp | udp ] [ -4 | -6 ] [ dst PREFIX[:PORT] ] [ src PREFIX[:PORT] ]\n"
"           [ dport PORT ] [ sport PORT ] [ state STATE ]... [ cookie COOKIE[,COOKIE...] ]\n"
"           [ all ]\n"
"NETNS   := { NAME | PATH | PID }\n"
"STATE   := { established | syn-sent | syn-recv | fin-wait-1 | fin-wait-2 | time-wait |\n"
"             close | close-wait | last-ack | listen | closing | new-syn-recv }\n";

const char *const backend_names[] = { "auto", "bpf", "diag", NULL };

struct reap {
	enum backend backend;	/* as asked */
	enum backend used;	/* as resolved: bpf or diag */
	struct reap_bpf *rb;
	int bpf_err;		/* why bpf could not be loaded */
};

int pass_add(struct pass *p, const struct nk_sock *s)
{
	if (p->n == p->cap) {
		int cap = p->cap ? p->cap * 2 : 64;
		struct nk_sock *v = realloc(p->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = *s;
	return 0;
}

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

static void print_sock(struct out *o, const struct nk_sock *s, bool kill)
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
			out_str(o, "error", " (not destroyed: %s)", strerror(-s->result));
	}
	out_text(o, "\n");
	out_close(o);
}

struct run {
	struct nk_ctx *ctx;
	struct reap *reap;
	struct nk_filter f;
	bool kill;
	int matched, destroyed, failed, ns_failed, unsupported;
};

static bool seen_cookie(const struct pass *seen, __u64 cookie)
{
	for (int i = 0; i < seen->n; i++)
		if (seen->v[i].cookie == cookie)
			return true;
	return false;
}

static int one_pass(struct run *r, struct pass *p)
{
	return r->reap->used == BACKEND_BPF ? reap_bpf_run(r->reap->rb, p) : reap_diag_run(&r->f, p);
}

/* All passes over the current namespace. Kill repeats until a pass destroys
 * nothing new: sock_diag dumps, and socket iterators before 6.17, can skip
 * sockets while the buckets they walk change under them. */
static int reap_here(const struct netns_ent *ns, void *data)
{
	struct run *r = data;
	struct out *o = &r->ctx->out;
	struct pass all = { 0 };
	int matched = 0, destroyed = 0, failed = 0, err = 0;
	bool opened = false;

	int passes = !r->kill ? 1 : r->reap->used == BACKEND_BPF && reap_bpf_exactly_once() ? 1 :
		     MAX_PASSES;

	for (int pass = 0; pass < passes; pass++) {
		struct pass p = { 0 };
		int progress = 0;

		err = one_pass(r, &p);
		for (int i = 0; i < p.n; i++) {
			const struct nk_sock *s = &p.v[i];
			bool again = seen_cookie(&all, s->cookie);

			/* Seen in an earlier pass: a known failure, or a socket
			 * that stays hashed after it was destroyed (an explicitly
			 * bound UDP socket is only disconnected). Neither is news. */
			if (again)
				continue;
			if (s->result == 0 && r->kill)
				progress++;
			if (!opened) {
				out_open(o, NULL);
				out_str(o, "netns", "netns %s:\n", ns->label);
				out_open_array(o, "sockets");
				opened = true;
			}
			matched++;
			pass_add(&all, s);
			if (r->kill && s->result == 0)
				destroyed++;
			else if (r->kill && s->result != -ENOENT)
				failed++;
			if (r->kill && s->result == -EOPNOTSUPP)
				r->unsupported++;
			print_sock(o, s, r->kill);
		}
		free(p.v);
		if (err || !progress)
			break;
	}
	if (err) {
		nk_msg(r->ctx, "netns %s: %s backend failed: %s", ns->label,
		       backend_names[r->reap->used], strerror(-err));
		r->ns_failed++;
	}
	if (opened) {
		out_close_array(o);
		out_uint(o, "matched", r->kill ? "  %" PRIu64 " matched" : "  %" PRIu64 " matched\n",
			 matched);
		if (r->kill) {
			out_uint(o, "destroyed", ", %" PRIu64 " destroyed", destroyed);
			out_uint(o, "failed", ", %" PRIu64 " failed\n", failed);
		}
		out_str(o, "backend", NULL, backend_names[r->reap->used]);
		out_close(o);
	}
	free(all.v);
	r->matched += matched;
	r->destroyed += destroyed;
	r->failed += failed;
	return 0;
}

static void ns_failed(const char *label, int err, void *data)
{
	struct run *r = data;

	nk_msg(r->ctx, "cannot open network namespace %s: %s", label, strerror(-err));
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

static int run(struct nk_ctx *ctx, struct nk_args *a, bool kill)
{
	struct reap *reap = ctx->priv;
	struct run r = { .ctx = ctx, .reap = reap, .kill = kill };
	bool all;
	int ret;

	if ((ret = reap_parse_filter(ctx, a, &r.f, &all)))
		return ret;
	if (kill && reap_filter_empty(&r.f) && !all)
		return nk_usage(ctx, "kill with an empty filter would destroy every socket: say \"all\" if that is meant");
	r.f.dry_run = !kill;
	if ((ret = pick_backend(ctx, reap, &r.f)))
		return ret;
	if (ctx->netns) {
		struct netns_ent here = { .fd = -1 };

		snprintf(here.label, sizeof(here.label), "%s", ctx->netns);
		reap_here(&here, &r);
	} else {
		if (netns_foreach_in(reap_here, ns_failed, &r))
			return nk_fail(ctx, NULL, 0, "cannot return to the original network namespace");
	}
	reap_bpf_close(reap->rb);
	reap->rb = NULL;
	if (r.unsupported && !r.destroyed)
		return nk_unsupp(ctx, "this kernel cannot destroy these sockets (SOCK_DESTROY: %s; it needs CONFIG_INET_DIAG_DESTROY)",
				 strerror(EOPNOTSUPP));
	if (r.ns_failed || r.failed)
		return NK_EXIT_PARTIAL;
	return r.matched ? NK_EXIT_OK : NK_EXIT_NONE;
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

	out_bool(&ctx->out, "bpf_sock_destroy", " bpf_sock_destroy %s", err == 0);
	reap_bpf_close(rb);
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
		.priv = &reap,
	};

	return nk_main(&tool, argc, argv);
}
