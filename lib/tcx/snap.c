// SPDX-License-Identifier: GPL-2.0
/* A hook as it is now, read in one place: the tcx (or netkit) chain with its
 * revision, names, tags and our pins; for ingress and egress also classic
 * tc: clsact, the cls_bpf filters of both directions, whether the clsact is
 * ours. The planner and the printers work from this alone. Reading changes
 * nothing: what it finds out of place (a pin left behind by a device that
 * moved here, a stale clsact mark) the planner tidies. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tcx/tcx.h"

static int read_tc(struct nl *nl, struct hook_snap *s)
{
	struct tc_list *other;
	int has, err, mark;

	has = tc_has_clsact(nl, s->t.ifindex);
	if (has < 0)
		return has;
	s->clsact = has;
	mark = tc_clsact_mark(nl, s->t.ifindex);
	/* a mark that outlived its qdisc (deleted by hand) is not ours any more */
	s->stale_mark = mark == MARK_STALE || (!has && mark == MARK_OURS);
	if (!has)
		return 0;
	s->clsact_ours = mark == MARK_OURS;
	if ((err = tc_list(nl, s->t.ifindex, s->t.hook == HOOK_INGRESS, &s->tc)))
		return err;
	/* the other direction matters only to whether our clsact can go */
	if (s->clsact_ours) {
		if (!(other = malloc(sizeof(*other))))
			return -ENOMEM;
		err = tc_list(nl, s->t.ifindex, s->t.hook != HOOK_INGRESS, other);
		s->tc_other = other->total;
		free(other);
		if (err)
			return err;
	}
	return 0;
}

int snap_read(struct nl *nl, const struct hook_target *t, bool tcx, struct hook_snap *s)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->t = *t;
	s->tcx = tcx;
	s->tc_hook = is_tc_hook(t->hook);
	if (s->tcx) {
		if ((err = hook_query(t, &s->st)))
			return err;
		if (pin_dir(t, s->pin_dir, sizeof(s->pin_dir), false) == 0)
			pin_fill(t, s->pin_dir, &s->st);
	}
	if (s->tc_hook && nl)
		return read_tc(nl, s);
	return 0;
}
