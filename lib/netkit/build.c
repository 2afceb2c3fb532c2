// SPDX-License-Identifier: GPL-2.0
/* struct nk_conf -> RTM_NEWLINK. Pure: builds bytes, sends nothing. */
#include <string.h>
#include <net/if.h>
#include "nl.h"
#include "compat.h"
#include "netkit/netkit.h"

static void put_generic(struct nlmsghdr *nlh, const struct nk_side *s)
{
	if (has(s, KW_ADDRESS))
		nla_put(nlh, IFLA_ADDRESS, sizeof(s->mac), s->mac);
	if (has(s, KW_MTU))
		nla_put_u32(nlh, IFLA_MTU, s->mtu);
	for (int i = 0; i < LINK_SIZE_COUNT; i++)
		if (has(s, KW_SIZE(i)))
			nla_put_u32(nlh, link_sizes[i].type, s->size[i]);
}

static void put_peer_info(struct nlmsghdr *nlh, const struct nk_conf *c, int netns_fd,
			  const char *peer_template)
{
	struct nlattr *pi = nla_nest_start(nlh, NK_IFLA_NETKIT_PEER_INFO);

	/* PEER_INFO starts with a zeroed struct ifinfomsg, then ordinary IFLA_* */
	nlmsg_put_extra(nlh, sizeof(struct ifinfomsg));
	nla_put_strz(nlh, IFLA_IFNAME, c->peer.name ? c->peer.name : peer_template);
	if (netns_fd >= 0)
		nla_put_u32(nlh, IFLA_NET_NS_FD, netns_fd);
	put_generic(nlh, &c->peer);
	nla_nest_end(nlh, pi);
}

static void put(struct nlmsghdr *nlh, const struct nk_attr *a, int type, uint32_t v)
{
	if (a->size == 2)
		nla_put_u16(nlh, type, v);
	else
		nla_put_u32(nlh, type, v);
}

/* The table's attributes the configuration gives (only the settable ones
 * for set): the device's, and the peer's through the primary */
static void put_attrs(struct nlmsghdr *nlh, const struct nk_conf *c, bool set)
{
	for (size_t i = 0; i < nk_attr_count; i++) {
		const struct nk_attr *a = &nk_attr_table[i];

		if (a->kw < 0 || (set && !a->settable))
			continue;
		if (has(&c->dev, a->kw))
			put(nlh, a, a->type, nk_attr_get(c, &c->dev, a));
		if (a->peer_type && has(&c->peer, a->kw))
			put(nlh, a, a->peer_type, nk_attr_get(c, &c->peer, a));
	}
}

void nk_build_add(struct nlmsghdr *nlh, const struct nk_conf *c, int peer_netns_fd,
		  const char *peer_template)
{
	struct ifinfomsg *ifi = nlmsg_data(nlh);
	struct nlattr *li, *data;

	if (has(&c->dev, KW_UP)) {
		ifi->ifi_flags |= IFF_UP;
		ifi->ifi_change |= IFF_UP;
	}
	nla_put_strz(nlh, IFLA_IFNAME, c->name);
	put_generic(nlh, &c->dev);
	if (has(&c->dev, KW_TXQ))
		nla_put_u32(nlh, IFLA_NUM_TX_QUEUES, c->txqueues);
	if (has(&c->dev, KW_RXQ))
		nla_put_u32(nlh, IFLA_NUM_RX_QUEUES, c->rxqueues);

	li = nla_nest_start(nlh, IFLA_LINKINFO);
	nla_put_strz(nlh, IFLA_INFO_KIND, "netkit");
	data = nla_nest_start(nlh, IFLA_INFO_DATA);
	if (c->pairing != NK_NETKIT_DEVICE_SINGLE)
		put_peer_info(nlh, c, peer_netns_fd, peer_template);
	put_attrs(nlh, c, false);
	nla_nest_end(nlh, data);
	nla_nest_end(nlh, li);
}

void nk_build_set(struct nlmsghdr *nlh, const struct nk_conf *c, int ifindex)
{
	struct ifinfomsg *ifi = nlmsg_data(nlh);

	ifi->ifi_index = ifindex;
	if (has(&c->dev, KW_UP) || has(&c->dev, KW_DOWN)) {
		ifi->ifi_change |= IFF_UP;
		if (has(&c->dev, KW_UP))
			ifi->ifi_flags |= IFF_UP;
	}
	put_generic(nlh, &c->dev);
	if ((c->dev.seen | c->peer.seen) & nk_attr_kws(false, true)) {
		struct nlattr *li = nla_nest_start(nlh, IFLA_LINKINFO);
		struct nlattr *data;

		nla_put_strz(nlh, IFLA_INFO_KIND, "netkit");
		data = nla_nest_start(nlh, IFLA_INFO_DATA);
		put_attrs(nlh, c, true);
		nla_nest_end(nlh, data);
		nla_nest_end(nlh, li);
	}
}

const char *nk_peer_template(const char *primary)
{
	/* The kernel fills in %d with the first free number in the peer's
	 * namespace; only a primary named like the template itself could
	 * still take that name, and then the other template cannot match. */
	const char *p = primary;

	if (strncmp(p, "nkp", 3))
		return "nkp%d";
	for (p += 3; *p >= '0' && *p <= '9'; p++)
		;
	return *p || !primary[3] ? "nkp%d" : "nkq%d";
}
