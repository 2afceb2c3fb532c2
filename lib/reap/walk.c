// SPDX-License-Identifier: GPL-2.0
/* The walk over every network namespace: in each, the socket index where
 * it covers the namespace, else passes of a backend (bpf iterators or
 * sock_diag dumps) until one destroys nothing new. What is found goes to
 * the caller's callbacks; nothing here prints. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "exit.h"
#include "netns.h"
#include "reap/reap.h"

#define MAX_PASSES 8

struct walk {
	struct reap_walk *w;
	struct reap_bpf *rb;
	struct pass pass;
	const char *label;		/* the namespace being searched */
	struct reap_diag *rd;		/* its sock_diag socket */
	struct reap_index *index;	/* every namespace's socket files, or NULL */
	bool index_sockets;		/* destroy from the index where it can */
};

static void report(const struct nk_sock *s, void *data)
{
	struct walk *k = data;

	if (k->w->sock)
		k->w->sock(k->label, s, k->w->data);
}

/* Several filters: the caller's select decides; a kill is SOCK_DESTROY
 * (a dump is over when its sockets are emitted: safe on its socket). */
static int select_sock(struct nk_sock *s, void *data)
{
	struct walk *k = data;
	int ret = k->w->select(s, k->w->data);

	if (ret == 2)
		s->result = reap_diag_destroy(k->rd, s);
	return ret;
}

/* The bpf backend could not destroy it (a time-wait socket on kernels such
 * as 6.18): SOCK_DESTROY may. */
static int fallback(struct nk_sock *s, void *data)
{
	struct walk *k = data;

	if (!k->rd && reap_diag_open(&k->rd))
		return s->result;
	return reap_diag_destroy(k->rd, s);
}

static int one_pass(struct walk *k)
{
	int err;

	if (k->w->used == BACKEND_BPF)
		return reap_bpf_run(k->rb, &k->pass);
	if (!k->rd && (err = reap_diag_open(&k->rd)))
		return err;
	return reap_diag_run(k->rd, &k->w->f, &k->pass);
}

static int from_index(struct walk *k, const struct nk_sock *match, size_t n)
{
	struct reap_walk *w = k->w;
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		struct nk_sock s = match[i];

		if (!k->rd && (w->kill || !s.cookie))
			err = reap_diag_open(&k->rd);
		if (!err && !s.cookie)
			reap_diag_cookie(k->rd, &s);	/* to report: 0 if it cannot */
		/* (several filters: select decides) */
		if (!err && w->kill && !w->select)
			s.result = reap_diag_destroy(k->rd, &s);
		if (!err)
			err = pass_emit(&k->pass, &s);
	}
	return err;
}

/* Can the kernel's socket counts answer for the filter? They hold every
 * hashed socket (orphans too), not request sockets. */
static bool countable(const struct nk_filter *f)
{
	uint32_t requests = (1u << 3) | (1u << 12);	/* SYN_RECV, NEW_SYN_RECV */

	return f->state_mask && !(f->state_mask & requests);
}

/* Pure: do the counts show no socket the filter could select? */
static bool empty(const struct nk_filter *f, const struct reap_sockstat *st)
{
	bool tcp = !f->proto_mask || f->proto_mask & NK_PROTO_TCP;
	bool udp = !f->proto_mask || f->proto_mask & NK_PROTO_UDP;
	bool tw = f->state_mask & (1u << 6);

	return !(tcp && (st->tcp || (tw && st->tw))) && !(udp && st->udp);
}

static int reap_here(const struct netns_ent *ns, void *data)
{
	struct walk *k = data;
	struct reap_walk *w = k->w;
	struct pass *p = &k->pass;
	struct reap_ns_result r = { .label = ns->label, .opened = true };
	const struct nk_sock *match;
	struct reap_sockstat st;
	bool counted;
	int err = 0;
	size_t n;

	k->label = ns->label;
	pass_begin_ns(p);
	/* one read of the counts serves the index and the empty check; sockstat
	 * and sockstat6 cost less than /proc/net/protocols, which formats every
	 * protocol's line (measured under TCG: 0.16 against 0.21 ms a namespace) */
	counted = (k->index_sockets || countable(&w->f)) && !reap_sockstat_read(&st);
	r.backend = w->used == BACKEND_BPF ? "bpf" : "diag";
	if (counted && k->index_sockets &&
	    reap_index_covers(k->index, ns->ino, &w->f, &st, &match, &n)) {
		/* every socket here is a file we know: no walk */
		r.backend = "index";
		err = from_index(k, match, n);
	} else if (!(counted && countable(&w->f) && empty(&w->f, &st))) {
		/* (else no socket the filter could select: no walk) */
		for (int i = 0; i < (p->dedup ? MAX_PASSES : 1); i++) {
			p->ns.progress = 0;
			err = one_pass(k);
			if (err || !p->ns.progress)
				break;
		}
	}
	reap_diag_close(k->rd);
	k->rd = NULL;
	r.err = err;
	r.matched = p->ns.matched;
	r.destroyed = p->ns.destroyed;
	r.failed = p->ns.failed;
	if (err)
		w->ns_failed++;
	w->matched += p->ns.matched;
	w->destroyed += p->ns.destroyed;
	w->failed += p->ns.failed;
	w->unsupported += p->ns.unsupported;
	if (w->ns_done)
		w->ns_done(&r, w->data);
	return 0;
}

static void ns_failed(const char *label, int err, void *data)
{
	struct walk *k = data;
	struct reap_ns_result r = { .label = label, .err = err };

	k->w->ns_failed++;
	if (k->w->ns_done)
		k->w->ns_done(&r, k->w->data);
}

int reap_walk(struct reap_walk *w)
{
	struct walk k = { .w = w };
	int err = 0;

	w->used = BACKEND_DIAG;
	if (w->backend != BACKEND_DIAG && !w->select) {
		w->bpf_err = reap_bpf_open(&k.rb, &w->f, w->kill);
		if (!w->bpf_err)
			w->used = BACKEND_BPF;
		else if (w->backend == BACKEND_BPF)
			return -EOPNOTSUPP;
	}
	k.pass = (struct pass){
		.dry_run = !w->kill || w->select,
		/* kills repeat until a pass finds nothing new, unless every
		 * socket is visited once (no set needed then) */
		.dedup = w->kill && !(w->used == BACKEND_BPF && reap_bpf_exactly_once()),
		.fallback = w->used == BACKEND_BPF && w->backend == BACKEND_AUTO ? fallback : NULL,
		.select = w->select ? select_sock : NULL,
		.report = report,
		.data = &k,
	};
	/* Across namespaces, one walk of every process's files finds where
	 * namespaces are held, and for auto the sockets that SOCK_DESTROY can
	 * destroy without walking a namespace. Without it: /proc, and walks. */
	if (!w->here && !w->no_index && !reap_index_build(&k.index, &w->f))
		k.index_sockets = w->backend == BACKEND_AUTO && (!w->kill || reap_diag_probe() == 0);
	if (w->here) {
		struct netns_ent here = { .fd = -1 };

		snprintf(here.label, sizeof(here.label), "%s", w->here);
		reap_here(&here, &k);
	} else {
		/* the index knows where processes hold namespaces: no /proc scan */
		const struct netns_hint *hints = NULL;
		size_t n = k.index ? reap_index_hints(k.index, &hints) : 0;

		if (netns_foreach_in_opts(reap_here, ns_failed, &k, hints, n, w->unnamed))
			err = -EIO;
	}
	pass_free(&k.pass);
	reap_index_free(k.index);
	reap_bpf_close(k.rb);
	/* every failure says "not supported": is there any way at all? */
	w->cannot_destroy = w->failed && w->failed == w->unsupported && !w->destroyed &&
			    w->used == BACKEND_DIAG && reap_diag_probe() == -EOPNOTSUPP;
	return err;
}

int reap_walk_exit(const struct reap_walk *w)
{
	if (w->cannot_destroy)
		return NK_EXIT_UNSUPP;
	if (w->ns_failed || w->failed)
		return NK_EXIT_PARTIAL;
	return w->matched ? NK_EXIT_OK : NK_EXIT_NONE;
}
