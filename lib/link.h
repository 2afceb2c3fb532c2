/* SPDX-License-Identifier: GPL-2.0 */
/* rtnetlink link messages: parse one into a plain struct, get one by name or
 * index (optionally in another namespace by nsid), map namespaces to nsids. */
#ifndef NK_LINK_H
#define NK_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>
#include "nl.h"

/* The per-device u32 sizes a link message carries and a creating or changing
 * request may set on either end of a pair (BIG TCP and the queue length). */
enum link_size {
	LINK_TXQLEN, LINK_GSO_MAX_SIZE, LINK_GRO_MAX_SIZE,
	LINK_GSO_IPV4_MAX_SIZE, LINK_GRO_IPV4_MAX_SIZE,
	LINK_SIZE_COUNT
};

struct link_size_attr {
	int type;		/* IFLA_* */
	const char *name;	/* as "ip -d -j" names it */
};
extern const struct link_size_attr link_sizes[LINK_SIZE_COUNT];

struct link {
	int ifindex;
	bool deleted;			/* an RTM_DELLINK */
	unsigned int flags;		/* IFF_* */
	unsigned int change;		/* ifi_change: which flags a notification changed */
	char ifname[IFNAMSIZ];
	uint32_t mtu;
	uint32_t group;			/* IFLA_GROUP */
	uint32_t num_tx_queues;		/* IFLA_NUM_TX_QUEUES, 0 if not given */
	const char *ifalias;		/* IFLA_IFALIAS, NULL if none */
	uint8_t operstate;
	bool has_operstate;
	uint8_t address[32];
	int addrlen;
	char kind[32];			/* IFLA_INFO_KIND, "" if none */
	const struct nlattr *info_data;	/* IFLA_INFO_DATA, NULL if none */
	int link;			/* IFLA_LINK, 0 if none */
	int new_netnsid;		/* RTM_DELLINK of a move: IFLA_NEW_NETNSID, else -1 */
	int new_ifindex;		/* and IFLA_NEW_IFINDEX, else 0 */
	uint32_t size[LINK_SIZE_COUNT];	/* see link_sizes[] */
	bool has_size[LINK_SIZE_COUNT];
	int link_netnsid;		/* IFLA_LINK_NETNSID, -1 if none */
};

/* Parse an RTM_NEWLINK (or RTM_DELLINK) message; pointers stay valid as long as nlh. */
int link_parse(const struct nlmsghdr *nlh, struct link *l);

/* A netkit device that is the primary of its pair (or single); false for the
 * peer and for other kinds. Reads l->info_data, so call it while the message
 * is still valid. */
bool link_netkit_primary(const struct link *l);

/* RTM_GETLINK of one device by name (if name) or ifindex, in the namespace
 * with nsid netnsid relative to nl's (or nl's own if netnsid < 0). cb sees
 * the reply. Returns 0 or -errno (-ENODEV when there is no such device). */
int link_get(struct nl *nl, const char *name, int ifindex, int netnsid,
	     nl_cb cb, void *data);

/* RTM_GETLINK dump of the devices of one kind ("netkit"), or all if NULL. */
int link_dump(struct nl *nl, const char *kind, nl_cb cb, void *data);

/* The nsid nl's namespace has for the namespace of fd (RTM_GETNSID), or
 * -1 if it has none, or -errno. */
int link_nsid_of(struct nl *nl, int fd);

/* The nsid nl's namespace has for the namespace of fd, given one first if it
 * has none (RTM_NEWNSID, as "ip netns set NAME auto"): the kernel delivers a
 * namespace's events to a NETLINK_LISTEN_ALL_NSID socket only then.
 * Returns the nsid or -errno. */
int link_nsid_assign(struct nl *nl, int fd);

/* The nsid the namespace of fd has in the one that has target_nsid in nl's
 * (RTM_GETNSID with NETNSA_TARGET_NSID), or -1 if none, or -errno; *current
 * (if not NULL) gets its nsid in nl's own (-1 if none). The kernel reads a
 * NETNSA_NSID in such a request in nl's namespace, not the target's, so an
 * nsid of another namespace is translated by asking about candidates. */
int link_nsid_seen_from(struct nl *nl, int fd, int target_nsid, int *current);

/* The names of the namespaces nl's namespace has nsids for: the /run/netns
 * names (the first one for each nsid) and "init" for PID 1's, found with one
 * RTM_GETNSID per name, once, instead of once per device shown. */
struct nsid_names {
	size_t n, cap;
	struct nsid_name {
		int nsid;
		char name[256];
	} *v;
};

/* Fill m (zeroed by the caller). 0 or -ENOMEM; names that cannot be opened
 * are left out. */
int nsid_names_read(struct nl *nl, struct nsid_names *m);
/* The name for nsid, or "" if none. */
const char *nsid_names_find(const struct nsid_names *m, int nsid);
void nsid_names_free(struct nsid_names *m);

/* "up", "down", "unknown", ... for IF_OPER_* */
const char *link_operstate_name(uint8_t state);
void link_format_addr(const uint8_t *a, int len, char *buf, size_t size);
/* A device's Ethernet address, "xx:xx:xx:xx:xx:xx" (one or two hex digits
 * each, no sign, no space): 0; -EINVAL for anything else; -EADDRNOTAVAIL
 * for a multicast or the all-zero address, which no device can have. Pure. */
int link_parse_mac(const char *s, uint8_t mac[6]);
/* Set ifindex's alias (IFLA_IFALIAS, at most IFALIASZ - 1 bytes; "" clears
 * it): what the kernel keeps for whoever made the device. 0 or -errno. */
int link_set_alias(struct nl *nl, int ifindex, const char *alias);

#endif
