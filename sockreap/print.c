// SPDX-License-Identifier: GPL-2.0
/* sockreap's output: each socket, and each namespace's report, from what
 * lib/reap's walk hands over. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include "err.h"
#include "reap_words.h"

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

/* A socket found: the namespace's report begins with its first socket, so
 * that namespaces without matches print nothing. */
void print_report(const char *label, const struct nk_sock *s, void *data)
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

/* A namespace is over: the end of its report. One that could not be
 * entered is part of the answer too, in the shape every tool gives it. */
void print_ns_done(const struct reap_ns_result *ns, void *data)
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

