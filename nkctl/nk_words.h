/* SPDX-License-Identifier: GPL-2.0 */
/* nkctl: what a command line asks for, parsed into a plain struct, and the
 * pure functions between that struct and netlink messages. */
#ifndef NKCTL_WORDS_H
#define NKCTL_WORDS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>
#include "ctx.h"
#include "out.h"
#include "args.h"
#include "compat.h"
#include "link.h"
#include "event.h"

#include "netkit/netkit.h"

/* The keyword of a field (enum nk_kw): the netkit table's or nkctl's own */
const char *nk_kw_word(int kw);

/* "add NAME ..." and "set NAME ..." arguments (after the command word).
 * Returns 0 or NK_EXIT_USAGE after printing why. */
int nk_parse_add(struct nk_ctx *ctx, struct nk_args *a, struct nk_conf *c);
int nk_parse_set(struct nk_ctx *ctx, struct nk_args *a, struct nk_conf *c);

/* The other end of a pair, as resolved by the caller. */
struct nk_peer {
	bool present;
	bool found;		/* ifname could be looked up */
	char ifname[16];
	int ifindex;
	int netnsid;		/* -1: same namespace */
	bool ns_unknown;	/* in a namespace nkctl cannot name (monitor) */
	char netns[256];	/* name in /run/netns, "" if unnamed */
	uint32_t size[LINK_SIZE_COUNT];	/* from the peer's own message, if found */
	bool has_size[LINK_SIZE_COUNT];
};

/* What the BPF data path's maps hold of this namespace's devices */
struct nk_dp_entry;
struct nk_dp_rate_entry;
struct nk_dp_view {
	struct nk_dp_entry *eps;	/* endpoints: addresses and counters */
	size_t neps;
	struct nk_dp_rate_entry *rates;	/* the pods' rates */
	size_t nrates;
};
/* Print one netkit device: a pure function of the RTM_NEWLINK message, the
 * resolved peer and the data path's view (its own entries, if any). */
void nk_print(struct out *o, const struct nlmsghdr *nlh, const struct nk_peer *peer,
	      const struct nk_dp_view *dp);

/* Where an event happened: nsids in ours (-1: ours) and their names. */
struct nk_where {
	int nsid;		/* < 0 and no name: the monitor's own */
	const char *netns;
	int new_nsid;		/* moved: where to */
	const char *new_netns;
};
/* One event on one line (text) or as one object, the device as nk_print
 * has it, after "event" and the device's namespace. */
void nk_print_event(struct out *o, enum nk_event ev, const struct nk_where *w,
		    const struct link *l, const struct nk_peer *peer);

#endif
