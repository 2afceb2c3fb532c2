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

struct link {
	int ifindex;
	unsigned int flags;		/* IFF_* */
	char ifname[IFNAMSIZ];
	uint32_t mtu;
	uint8_t operstate;
	bool has_operstate;
	uint8_t address[32];
	int addrlen;
	char kind[32];			/* IFLA_INFO_KIND, "" if none */
	const struct nlattr *info_data;	/* IFLA_INFO_DATA, NULL if none */
	int link;			/* IFLA_LINK, 0 if none */
	int link_netnsid;		/* IFLA_LINK_NETNSID, -1 if none */
};

/* Parse an RTM_NEWLINK message; pointers stay valid as long as nlh. */
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

#endif
