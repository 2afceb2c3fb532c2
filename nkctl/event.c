// SPDX-License-Identifier: GPL-2.0
/* Link notifications -> netkit events. Pure: a table of the devices seen so
 * far, fed one message at a time; no sockets. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "compat.h"
#include "event.h"
#include "grow.h"
#include "nk_words.h"

const char *const nk_event_names[] = {
	[NK_EV_NONE] = "none", [NK_EV_CREATED] = "created", [NK_EV_CHANGED] = "changed",
	[NK_EV_POLICY] = "policy", [NK_EV_MOVED] = "moved", [NK_EV_DELETED] = "deleted",
};

/* What the kernel says has changed is read from the attributes: it sends the
 * same state several times (a new pair's carrier, its peer's registration). */
static void state_of(const struct link *l, struct nk_dev_state *st)
{
	struct nk_attrs na;

	memset(st, 0, sizeof(*st));
	nk_parse_attrs(l->info_data, &na);
	st->has_policy = na.has[NK_IFLA_NETKIT_POLICY];
	st->policy = na.val[NK_IFLA_NETKIT_POLICY];
	st->has_peer_policy = na.has[NK_IFLA_NETKIT_PEER_POLICY];
	st->peer_policy = na.val[NK_IFLA_NETKIT_PEER_POLICY];
	snprintf(st->ifname, sizeof(st->ifname), "%s", l->ifname);
	st->flags = l->flags;
	st->mtu = l->mtu;
	st->operstate = l->has_operstate ? l->operstate : 0xff;
	st->addrlen = l->addrlen;
	memcpy(st->address, l->address, sizeof(st->address));
	memcpy(st->size, l->size, sizeof(st->size));
	st->link = l->link;
}

/* A peer policy that vanishes with the peer (a pair being deleted) is not
 * a change of policy. */
static bool policy_differs(const struct nk_dev_state *a, const struct nk_dev_state *b)
{
	return a->has_policy != b->has_policy || a->policy != b->policy ||
	       (a->has_peer_policy && b->has_peer_policy && a->peer_policy != b->peer_policy);
}

static bool other_differs(const struct nk_dev_state *a, const struct nk_dev_state *b)
{
	return strcmp(a->ifname, b->ifname) || a->flags != b->flags || a->mtu != b->mtu ||
	       a->operstate != b->operstate || a->addrlen != b->addrlen ||
	       memcmp(a->address, b->address, sizeof(a->address)) ||
	       memcmp(a->size, b->size, sizeof(a->size)) || a->link != b->link;
}

static struct nk_dev *find(struct nk_events *e, int nsid, int ifindex)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].nsid == nsid && e->v[i].ifindex == ifindex)
			return &e->v[i];
	return NULL;
}

static void forget(struct nk_events *e, struct nk_dev *d)
{
	*d = e->v[--e->n];
}

const char *nk_events_name(const struct nk_events *e, int nsid, int ifindex)
{
	struct nk_dev *d = find((struct nk_events *)e, nsid, ifindex);

	return d ? d->st.ifname : NULL;
}

int nk_events_feed(struct nk_events *e, int nsid, const struct link *l,
		   int new_nsid, enum nk_event *ev)
{
	struct nk_dev_state st;
	struct nk_dev *d;

	*ev = NK_EV_NONE;
	d = find(e, nsid, l->ifindex);
	if (!d && strcmp(l->kind, "netkit"))
		return 0;
	if (l->deleted) {
		if (d)
			forget(e, d);
		if (l->new_netnsid < 0 && !l->new_ifindex) {
			*ev = NK_EV_DELETED;
			return 0;
		}
		/* moved: its arrival on the other side is this same event */
		*ev = NK_EV_MOVED;
		for (size_t i = 0; i < e->nmoves; i++)
			if (e->moves[i].nsid == new_nsid && e->moves[i].ifindex == l->new_ifindex)
				return 0;
		if (NK_GROW(e->moves, e->nmoves, e->capmoves))
			return -ENOMEM;
		e->moves[e->nmoves].nsid = new_nsid;
		e->moves[e->nmoves++].ifindex = l->new_ifindex;
		return 0;
	}
	state_of(l, &st);
	if (d) {
		if (policy_differs(&d->st, &st))
			*ev = NK_EV_POLICY;
		else if (other_differs(&d->st, &st))
			*ev = NK_EV_CHANGED;
		d->st = st;
		return 0;
	}
	if (NK_GROW(e->v, e->n, e->cap))
		return -ENOMEM;
	e->v[e->n].nsid = nsid;
	e->v[e->n].ifindex = l->ifindex;
	e->v[e->n++].st = st;
	for (size_t i = 0; i < e->nmoves; i++) {
		if (e->moves[i].nsid == nsid && e->moves[i].ifindex == l->ifindex) {
			e->moves[i] = e->moves[--e->nmoves];
			return 0;	/* reported when it left */
		}
	}
	/* the kernel announces a new device with every flag marked changed */
	*ev = l->change == ~0u ? NK_EV_CREATED : NK_EV_CHANGED;
	return 0;
}

void nk_events_forget_ns(struct nk_events *e, int nsid)
{
	for (size_t i = e->n; i-- > 0;)
		if (e->v[i].nsid == nsid)
			forget(e, &e->v[i]);
}

void nk_events_free(struct nk_events *e)
{
	free(e->v);
	free(e->moves);
	memset(e, 0, sizeof(*e));
}
