// SPDX-License-Identifier: GPL-2.0
/* The index: every TCP and UDP socket that a process holds as a file, in
 * every namespace, from one BPF task_file iterator walk. The kernel keeps
 * one socket hash table for all namespaces that share it (the default), so
 * a socket iterator or a sock_diag dump in one namespace walks the sockets of
 * all of them: with the index, a namespace whose sockets are all files is
 * done with exact SOCK_DESTROY lookups and no walk at all. This file is the
 * index itself, pure; index_bpf.c loads the walk and reads the kernel's
 * counts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "netns.h"
#include "reap/reap.h"

struct index_ns {
	__u32 ino;
	unsigned int tcp, udp;	/* distinct hashed sockets held as files */
	bool unsure;		/* a match it cannot name exactly: walk */
	struct nk_set seen;
	struct nk_sock *match;
	size_t nmatch, cap;
};

struct reap_index {
	struct index_ns *ns;
	size_t n, cap;
	size_t last;		/* records come by process: mostly the same namespace */
	struct netns_hint *hint;	/* one place each namespace is held */
	size_t nhint, hcap;
	struct nk_set held;		/* the namespaces in hint */
};

/* The index's entry of namespace ino, or NULL. */
static struct index_ns *find_ns(const struct reap_index *ix, __u32 ino)
{
	for (size_t i = 0; i < ix->n; i++)
		if (ix->ns[i].ino == ino)
			return &ix->ns[i];
	return NULL;
}

/* ... made if it is not there yet */
static struct index_ns *ns_of(struct reap_index *ix, __u32 ino)
{
	struct index_ns *e;

	if (ix->n && ix->ns[ix->last].ino == ino)
		return &ix->ns[ix->last];
	if ((e = find_ns(ix, ino))) {
		ix->last = e - ix->ns;
		return e;
	}
	if (NK_GROW(ix->ns, ix->n, ix->cap))
		return NULL;
	memset(&ix->ns[ix->n], 0, sizeof(ix->ns[0]));
	ix->ns[ix->n].ino = ino;
	ix->last = ix->n;
	return &ix->ns[ix->n++];
}

/* The first place a namespace is seen held: a task's, or an nsfs fd (of
 * any type: netns_foreach keeps the network ones). */
static int add_holder(struct reap_index *ix, const struct nk_index_rec *r)
{
	struct netns_hint *h;
	int fresh = nk_set_add(&ix->held, r->netns);

	if (fresh <= 0)
		return fresh;
	if (NK_GROW(ix->hint, ix->nhint, ix->hcap))
		return -ENOMEM;
	h = &ix->hint[ix->nhint++];
	if (r->fd == NK_TASK_NS)
		snprintf(h->path, sizeof(h->path), "/proc/%u/ns/net", r->pid);
	else
		snprintf(h->path, sizeof(h->path), "/proc/%u/fd/%llu", r->pid,
			 (unsigned long long)r->fd);
	snprintf(h->label, sizeof(h->label), "pid %u", r->pid);
	return 0;
}

size_t reap_index_hints(const struct reap_index *ix, const struct netns_hint **hints)
{
	*hints = ix->hint;
	return ix->nhint;
}

/* One record of the walk; the same socket comes once per fd that holds it. */
int reap_index_add(struct reap_index *ix, const struct nk_index_rec *r)
{
	const struct nk_sock *s = &r->sock;
	struct index_ns *e;
	int fresh;

	if (r->kind == NK_REC_HOLDER)
		return add_holder(ix, r);
	if (r->kind != NK_REC_SOCK)
		return 0;
	e = ns_of(ix, r->netns);
	if (!e)
		return -ENOMEM;
	fresh = nk_set_add(&e->seen, r->key);
	if (fresh <= 0)
		return fresh;
	if (s->proto == NK_PROTO_TCP)
		e->tcp++;
	else
		e->udp++;
	if (!r->match)
		return 0;
	/* Without a cookie, SOCK_DESTROY finds a socket by its addresses and
	 * ports alone: exact for a connected socket, not for one without a
	 * peer, which may share them with its SO_REUSEPORT group. */
	if (!s->cookie && !s->dport)
		e->unsure = true;
	if (NK_GROW(e->match, e->nmatch, e->cap))
		return -ENOMEM;
	e->match[e->nmatch] = *s;
	e->match[e->nmatch].result = 0;
	e->nmatch++;
	return 0;
}

struct reap_index *reap_index_new(void)
{
	return calloc(1, sizeof(struct reap_index));
}

void reap_index_done(struct reap_index *ix)
{
	/* the counts are made: the sets that made them are not needed */
	for (size_t i = 0; i < ix->n; i++)
		nk_set_free(&ix->ns[i].seen);
	nk_set_free(&ix->held);
}

void reap_index_free(struct reap_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n; i++) {
		nk_set_free(&ix->ns[i].seen);
		free(ix->ns[i].match);
	}
	free(ix->ns);
	free(ix->hint);
	nk_set_free(&ix->held);
	free(ix);
}

bool reap_index_covers(const struct reap_index *ix, __u32 ino, const struct nk_filter *f,
		       const struct reap_sockstat *st, const struct nk_sock **match, size_t *n)
{
	static const struct index_ns none;
	const struct index_ns *e = find_ns(ix, ino) ?: &none;
	bool tcp = !f->proto_mask || f->proto_mask & NK_PROTO_TCP;
	bool udp = !f->proto_mask || f->proto_mask & NK_PROTO_UDP;
	/* a socket the kernel counts that is not a file of ours; time-wait
	 * and request sockets are never files */
	if (e->unsure || (tcp && (st->tcp != e->tcp || (st->tw && f->state_mask & (1u << 6)) ||
		     f->state_mask & (1u << 3 | 1u << 12))) ||
	    (udp && st->udp != e->udp))
		return false;
	*match = e->match;
	*n = e->nmatch;
	return true;
}
