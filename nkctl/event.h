/* SPDX-License-Identifier: GPL-2.0 */
/* nkctl monitor: the kernel's link notifications turned into netkit events,
 * by a pure table of the devices seen so far (testable on canned messages). */
#ifndef NKCTL_EVENT_H
#define NKCTL_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>
#include "link.h"

enum nk_event {
	NK_EV_NONE,		/* not netkit, or nothing new: print nothing */
	NK_EV_CREATED,
	NK_EV_CHANGED,		/* name, flags, state, MTU, address, sizes, peer */
	NK_EV_POLICY,		/* policy or peer policy */
	NK_EV_MOVED,		/* to another namespace */
	NK_EV_DELETED,
};
extern const char *const nk_event_names[];

struct nk_dev_state {
	char ifname[16];
	unsigned int flags;
	uint32_t mtu;
	uint8_t operstate;
	uint8_t address[32];
	int addrlen;
	bool has_policy, has_peer_policy;
	uint32_t policy, peer_policy;
	uint32_t size[LINK_SIZE_COUNT];
	int link;
};

/* Devices are keyed by the nsid of their namespace in ours (-1: ours). */
struct nk_events {
	struct nk_dev {
		int nsid, ifindex;
		struct nk_dev_state st;
	} *v;
	size_t n, cap;
	struct nk_move {	/* moved out, not yet seen arriving */
		int nsid, ifindex;
	} *moves;
	size_t nmoves, capmoves;
};

/* One RTM_NEWLINK or RTM_DELLINK from the namespace nsid, parsed
 * (link_parse); new_nsid is its IFLA_NEW_NETNSID already translated into our
 * nsids. *ev: what happened (NK_EV_NONE for anything that is not news). 0 or
 * -ENOMEM. */
int nk_events_feed(struct nk_events *e, int nsid, const struct link *l,
		   int new_nsid, enum nk_event *ev);
/* The name of a device seen, or NULL. */
const char *nk_events_name(const struct nk_events *e, int nsid, int ifindex);
/* A namespace went away (its nsid may be given to another). */
void nk_events_forget_ns(struct nk_events *e, int nsid);
void nk_events_free(struct nk_events *e);

#endif
