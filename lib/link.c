// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/net_namespace.h>
#include "grow.h"
#include "compat.h"
#include "link.h"
#include "netns.h"

const struct link_size_attr link_sizes[LINK_SIZE_COUNT] = {
	[LINK_TXQLEN] = { IFLA_TXQLEN, "txqlen" },
	[LINK_GSO_MAX_SIZE] = { IFLA_GSO_MAX_SIZE, "gso_max_size" },
	[LINK_GRO_MAX_SIZE] = { IFLA_GRO_MAX_SIZE, "gro_max_size" },		/* 5.16 */
	[LINK_GSO_IPV4_MAX_SIZE] = { IFLA_GSO_IPV4_MAX_SIZE, "gso_ipv4_max_size" },	/* 6.3 */
	[LINK_GRO_IPV4_MAX_SIZE] = { IFLA_GRO_IPV4_MAX_SIZE, "gro_ipv4_max_size" },	/* 6.3 */
};

static void parse_size(const struct nlattr *a, struct link *l)
{
	for (int i = 0; i < LINK_SIZE_COUNT; i++) {
		if (link_sizes[i].type == nla_type(a) &&
		    nla_len(a) >= 4) {
			l->size[i] = nla_u32(a);
			l->has_size[i] = true;
		}
	}
}

static void parse_linkinfo(const struct nlattr *li, struct link *l)
{
	const struct nlattr *a;

	nla_for_each_nested(a, li) {
		switch (nla_type(a)) {
		case IFLA_INFO_KIND:
			snprintf(l->kind, sizeof(l->kind), "%.*s",
				 (int)nla_len(a), (const char *)nla_data(a));
			break;
		case IFLA_INFO_DATA:
			l->info_data = a;
			break;
		}
	}
}

int link_parse(const struct nlmsghdr *nlh, struct link *l)
{
	const struct ifinfomsg *ifi = nlmsg_data(nlh);
	const struct nlattr *a;

	memset(l, 0, sizeof(*l));
	l->link_netnsid = -1;
	l->new_netnsid = -1;
	if ((nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) ||
	    nlh->nlmsg_len < nlmsg_size(sizeof(*ifi)))
		return -EBADMSG;
	l->ifindex = ifi->ifi_index;
	l->deleted = nlh->nlmsg_type == RTM_DELLINK;
	l->flags = ifi->ifi_flags;
	l->change = ifi->ifi_change;
	nla_for_each(a, nlh, sizeof(*ifi)) {
		size_t len = nla_len(a);

		switch (nla_type(a)) {
		case IFLA_IFNAME:
			snprintf(l->ifname, sizeof(l->ifname), "%.*s", (int)len,
				 (const char *)nla_data(a));
			break;
		case IFLA_MTU:
			if (len >= 4)
				l->mtu = nla_u32(a);
			break;
		case IFLA_GROUP:
			if (len >= 4)
				l->group = nla_u32(a);
			break;
		case IFLA_IFALIAS:
			if (nla_is_strz(a))
				l->ifalias = nla_str(a);
			break;
		case IFLA_NUM_TX_QUEUES:
			if (len >= 4)
				l->num_tx_queues = nla_u32(a);
			break;
		case IFLA_OPERSTATE:
			if (len >= 1) {
				l->operstate = nla_u8(a);
				l->has_operstate = true;
			}
			break;
		case IFLA_ADDRESS:
			if (len <= sizeof(l->address)) {
				memcpy(l->address, nla_data(a), len);
				l->addrlen = len;
			}
			break;
		case IFLA_LINK:
			if (len >= 4)
				l->link = nla_u32(a);
			break;
		case IFLA_LINK_NETNSID:
			if (len >= 4)
				l->link_netnsid = (int32_t)nla_u32(a);
			break;
		case IFLA_LINKINFO:
			parse_linkinfo(a, l);
			break;
		case IFLA_NEW_NETNSID:
			if (len >= 4)
				l->new_netnsid = (int32_t)nla_u32(a);
			break;
		case IFLA_NEW_IFINDEX:
			if (len >= 4)
				l->new_ifindex = (int32_t)nla_u32(a);
			break;
		default:
			parse_size(a, l);
			break;
		}
	}
	return 0;
}

bool link_netkit_primary(const struct link *l)
{
	const struct nlattr *a;

	if (strcmp(l->kind, "netkit"))
		return false;
	if (l->info_data) {
		nla_for_each_nested(a, l->info_data)
			if (nla_type(a) == NK_IFLA_NETKIT_PRIMARY)
				return nla_u8(a);
	}
	return true;	/* kernels before the attribute had primaries only here */
}

int link_get(struct nl *nl, const char *name, int ifindex, int netnsid,
	     nl_cb cb, void *data)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETLINK, 0, (void **)&ifi, sizeof(*ifi));
	int err;

	ifi->ifi_family = AF_UNSPEC;
	if (name)
		nla_put_strz(nlh, IFLA_IFNAME, name);
	else
		ifi->ifi_index = ifindex;
	if (netnsid >= 0)
		nla_put_u32(nlh, IFLA_TARGET_NETNSID, netnsid);
	nla_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	err = nl_talk(nl, nlh, cb, data);
	return err;
}

int link_dump(struct nl *nl, const char *kind, nl_cb cb, void *data)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETLINK, NLM_F_DUMP, (void **)&ifi, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	nla_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (kind) {
		/* strict dumps filter by kind in the kernel (5.x and later) */
		struct nlattr *li = nla_nest_start(nlh, IFLA_LINKINFO);

		nla_put_strz(nlh, IFLA_INFO_KIND, kind);
		nla_nest_end(nlh, li);
	}
	return nl_talk(nl, nlh, cb, data);
}

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	nla_for_each(a, nlh, sizeof(struct rtgenmsg)) {
		if (nla_type(a) == NETNSA_NSID && nla_len(a) >= 4)
			*(int *)data = (int32_t)nla_u32(a);
	}
	return 0;
}

int link_nsid_of(struct nl *nl, int fd)
{
	struct rtgenmsg *g;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETNSID, 0, (void **)&g, sizeof(*g));
	int nsid = -1, err;

	g->rtgen_family = AF_UNSPEC;
	nla_put_u32(nlh, NETNSA_FD, fd);
	err = nl_talk(nl, nlh, nsid_cb, &nsid);
	if (err)
		return err;
	return nsid < 0 ? -1 : nsid;
}

int link_nsid_assign(struct nl *nl, int fd)
{
	struct rtgenmsg *g;
	struct nlmsghdr *nlh;
	int nsid = link_nsid_of(nl, fd), err;

	if (nsid != -1)
		return nsid;
	nlh = nl_request(nl, RTM_NEWNSID, 0, (void **)&g, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	nla_put_u32(nlh, NETNSA_FD, fd);
	nla_put_u32(nlh, NETNSA_NSID, (uint32_t)NETNSA_NSID_NOT_ASSIGNED);
	err = nl_talk(nl, nlh, NULL, NULL);
	if (err && err != -EEXIST)	/* EEXIST: someone else was quicker */
		return err;
	return link_nsid_of(nl, fd);
}

struct seen_from {
	int nsid, current;
};

static int seen_from_cb(const struct nlmsghdr *nlh, void *data)
{
	struct seen_from *r = data;
	const struct nlattr *a;

	nla_for_each(a, nlh, sizeof(struct rtgenmsg)) {
		if (nla_len(a) < 4)
			continue;
		if (nla_type(a) == NETNSA_NSID)
			r->nsid = (int32_t)nla_u32(a);
		if (nla_type(a) == NETNSA_CURRENT_NSID)
			r->current = (int32_t)nla_u32(a);
	}
	return 0;
}

int link_nsid_seen_from(struct nl *nl, int fd, int target_nsid, int *current)
{
	struct seen_from r = { -1, -1 };
	struct rtgenmsg *g;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETNSID, 0, (void **)&g, sizeof(*g));
	int err;

	g->rtgen_family = AF_UNSPEC;
	nla_put_u32(nlh, NETNSA_FD, fd);
	nla_put_u32(nlh, NETNSA_TARGET_NSID, target_nsid);
	err = nl_talk(nl, nlh, seen_from_cb, &r);
	if (err)
		return err;
	if (current)
		*current = r.current < 0 ? -1 : r.current;
	return r.nsid < 0 ? -1 : r.nsid;
}

const char *link_operstate_name(uint8_t state)
{
	static const char *const names[] = {
		"unknown", "notpresent", "down", "lowerlayerdown",
		"testing", "dormant", "up",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

void link_format_addr(const uint8_t *a, int len, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < len && off + 3 < size; i++)
		off += snprintf(buf + off, size - off, i ? ":%02x" : "%02x", a[i]);
}

/* Add path's nsid under name, unless that nsid has a name already. */
static int nsid_names_add(struct nl *nl, struct nsid_names *m, const char *path, const char *name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), nsid;

	if (fd < 0)
		return 0;
	nsid = link_nsid_of(nl, fd);
	close(fd);
	if (nsid < 0 || nsid_names_find(m, nsid)[0])
		return 0;
	if (NK_GROW(m->v, m->n, m->cap))
		return -ENOMEM;
	m->v[m->n].nsid = nsid;
	snprintf(m->v[m->n].name, sizeof(m->v[m->n].name), "%s", name);
	m->n++;
	return 0;
}

struct names_read {
	struct nl *nl;
	struct nsid_names *m;
};

static int names_read_cb(const char *name, const char *path, void *data)
{
	struct names_read *r = data;

	return nsid_names_add(r->nl, r->m, path, name);
}

int nsid_names_read(struct nl *nl, struct nsid_names *m)
{
	struct names_read r = { nl, m };
	int err = netns_named_foreach(names_read_cb, &r);

	if (!err)
		err = nsid_names_add(nl, m, "/proc/1/ns/net", "init");
	return err;
}

const char *nsid_names_find(const struct nsid_names *m, int nsid)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].nsid == nsid)
			return m->v[i].name;
	return "";
}

void nsid_names_free(struct nsid_names *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

int link_parse_mac(const char *s, uint8_t mac[6])
{
	const char *p = s;

	for (int i = 0; i < 6; i++) {
		int n = 0, b = 0;

		/* hex digits only: strtoul and %x would take a sign or spaces */
		while (n < 2 && isxdigit((unsigned char)p[n])) {
			b = b * 16 + (isdigit((unsigned char)p[n]) ? p[n] - '0' : (tolower((unsigned char)p[n]) - 'a' + 10));
			n++;
		}
		if (!n)
			return -EINVAL;
		mac[i] = b;
		p += n;
		if (i < 5 && *p++ != ':')
			return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	if ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return -EADDRNOTAVAIL;
	return 0;
}

int link_set_alias(struct nl *nl, int ifindex, const char *alias)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = nl_request(nl, RTM_NEWLINK, 0, (void **)&ifi, sizeof(*ifi));

	ifi->ifi_index = ifindex;
	nla_put_strz(nlh, IFLA_IFALIAS, alias);
	return nl_talk(nl, nlh, NULL, NULL);
}
