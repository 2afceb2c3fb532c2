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

void pass_begin_ns(struct pass *p)
{
	nk_set_clear(&p->seen);
	memset(&p->ns, 0, sizeof(p->ns));
}

int pass_emit(struct pass *p, struct nk_sock *s)
{
	int sel;

	if (p->dedup) {
		int fresh = nk_set_add(&p->seen, s->cookie);

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
	nk_set_free(&p->seen);
}
