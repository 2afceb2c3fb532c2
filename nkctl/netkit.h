/* SPDX-License-Identifier: GPL-2.0 */
/* nkctl: what a command line asks for, parsed into a plain struct, and the
 * pure functions between that struct and netlink messages. */
#ifndef NKCTL_NETKIT_H
#define NKCTL_NETKIT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>
#include "ctx.h"
#include "out.h"
#include "args.h"
#include "compat.h"
#include "link.h"
#include "event.h"

/* Keywords, as bits of nk_side.seen / nk_conf.seen */
enum nk_kw {
	KW_MODE, KW_POLICY, KW_SCRUB, KW_HEADROOM, KW_TAILROOM, KW_PAIRING,
	KW_ADDRESS, KW_MTU, KW_TXQ, KW_RXQ, KW_UP, KW_DOWN, KW_PEER,
	KW_NAME, KW_NETNS,
	/* the link sizes, in enum link_size's order */
	KW_TXQLEN, KW_GSO_MAX_SIZE, KW_GRO_MAX_SIZE, KW_GSO_IPV4_MAX_SIZE, KW_GRO_IPV4_MAX_SIZE,
	KW_COUNT
};

extern const char *const nk_keywords[];	/* indexed by enum nk_kw */
extern const char *const nk_mode_names[];	/* l2 l3 */
extern const char *const nk_policy_names[];	/* forward blackhole */
extern const char *const nk_scrub_names[];	/* none default */
extern const char *const nk_pairing_names[];	/* pair single */

struct nk_side {
	uint64_t seen;		/* keywords given for this side */
	const char *name;	/* peer only */
	const char *netns;	/* peer only */
	uint32_t policy;	/* NETKIT_PASS / NETKIT_DROP */
	uint32_t scrub;
	uint8_t mac[6];
	uint32_t mtu;
	uint32_t size[LINK_SIZE_COUNT];	/* KW_TXQLEN + i */
};

/* The keyword of a link size, and the size of a keyword */
#define KW_SIZE(i) ((enum nk_kw)(KW_TXQLEN + (i)))
#define KW_SIZE_BITS (((1ULL << LINK_SIZE_COUNT) - 1) << KW_TXQLEN)

struct nk_conf {
	const char *name;
	struct nk_side dev, peer;	/* dev.seen also holds the device-wide keywords */
	uint32_t mode, pairing;
	uint16_t headroom, tailroom;
	uint32_t txqueues, rxqueues;
};

static inline bool has(const struct nk_side *s, enum nk_kw kw)
{
	return s->seen & (1ULL << kw);
}

/* "add NAME ..." and "set NAME ..." arguments (after the command word).
 * Returns 0 or NK_EXIT_USAGE after printing why. */
int nk_parse_add(struct nk_ctx *ctx, struct nk_args *a, struct nk_conf *c);
int nk_parse_set(struct nk_ctx *ctx, struct nk_args *a, struct nk_conf *c);

/* Build the RTM_NEWLINK that creates the pair; peer_netns_fd < 0 keeps the
 * peer in the current namespace; peer_template names an unnamed peer. */
void nk_build_add(struct nlmsghdr *nlh, const struct nk_conf *c, int peer_netns_fd,
		  const char *peer_template);
/* Build the RTM_NEWLINK that changes device ifindex. */
void nk_build_set(struct nlmsghdr *nlh, const struct nk_conf *c, int ifindex);
/* A peer name template that cannot collide with the primary's name. */
const char *nk_peer_template(const char *primary);

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

/* The netkit attributes of one link message. */
struct nk_attrs {
	bool has[NK_IFLA_NETKIT_MAX + 1];
	uint32_t val[NK_IFLA_NETKIT_MAX + 1];
	int unknown[8];		/* attribute types we do not know */
	int nunknown;
};
void nk_parse_attrs(const struct nlattr *info_data, struct nk_attrs *na);

/* Print one netkit device: a pure function of the RTM_NEWLINK message and
 * the resolved peer. */
void nk_print(struct out *o, const struct nlmsghdr *nlh, const struct nk_peer *peer);

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
