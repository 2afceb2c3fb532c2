// SPDX-License-Identifier: GPL-2.0
/* One namespace's pass: every socket a backend finds goes through
 * pass_emit(), which drops the ones seen in an earlier pass, gives a socket
 * the first backend could not destroy to the other one, counts, and hands
 * the socket to the report. Nothing here knows how sockets are found or
 * printed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "reap/reap.h"

/* Open addressing with linear probing; 0 marks an empty slot (the kernel
 * never gives a socket cookie 0). Kept at most half full. */
static size_t slot_of(__u64 cookie, size_t mask)
{
	cookie ^= cookie >> 33;
	cookie *= 0xff51afd7ed558ccdULL;
	cookie ^= cookie >> 33;
	return cookie & mask;
}

static void insert(__u64 *slot, size_t cap, __u64 cookie)
{
	size_t i = slot_of(cookie, cap - 1);

	while (slot[i])
		i = (i + 1) & (cap - 1);
	slot[i] = cookie;
}

int cookie_set_add(struct cookie_set *s, __u64 cookie)
{
	size_t i;

	if (!cookie)
		return 1;	/* no identity: cannot be a repeat */
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		__u64 *slot = calloc(cap, sizeof(*slot));

		if (!slot)
			return -ENOMEM;
		for (i = 0; i < s->cap; i++)
			if (s->slot[i])
				insert(slot, cap, s->slot[i]);
		free(s->slot);
		s->slot = slot;
		s->cap = cap;
	}
	for (i = slot_of(cookie, s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == cookie)
			return 0;
	s->slot[i] = cookie;
	s->n++;
	return 1;
}

void cookie_set_clear(struct cookie_set *s)
{
	if (s->n)
		memset(s->slot, 0, s->cap * sizeof(*s->slot));
	s->n = 0;
}

void cookie_set_free(struct cookie_set *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

void pass_begin_ns(struct pass *p)
{
	cookie_set_clear(&p->seen);
	memset(&p->ns, 0, sizeof(p->ns));
}

int pass_emit(struct pass *p, struct nk_sock *s)
{
	int sel;

	if (p->dedup) {
		int fresh = cookie_set_add(&p->seen, s->cookie);

		if (fresh < 0)
			return fresh;
		/* Seen in an earlier pass: a known failure, or a socket that
		 * stays hashed after it was destroyed. Neither is news. */
		if (!fresh)
			return 0;
	}
	sel = p->select ? p->select(s, p->data) : p->dry_run ? 1 : 2;
	if (sel <= 0)
		return sel;
	if (sel == 2 && s->result == -EOPNOTSUPP && p->fallback)
		s->result = p->fallback(s, p->data);
	p->ns.matched++;
	if (sel == 2) {
		if (s->result == 0) {
			p->ns.destroyed++;
			p->ns.progress++;
		} else if (s->result != -ENOENT) {
			/* -ENOENT: it went away on its own meanwhile */
			p->ns.failed++;
			if (s->result == -EOPNOTSUPP)
				p->ns.unsupported++;
		}
	}
	if (p->report)
		p->report(s, p->data);
	return 0;
}

const char *reap_strerror(int result)
{
	if (result == -REAP_EHIDDEN)
		return "sock_diag finds another socket of its SO_REUSEPORT group";
	return strerror(-result);
}

void pass_free(struct pass *p)
{
	cookie_set_free(&p->seen);
}
