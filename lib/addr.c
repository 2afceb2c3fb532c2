// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include "addr.h"

int nk_ip_parse(const char *s, struct nk_ip *ip)
{
	char buf[64], *slash, *end;
	long plen = -1;

	memset(ip, 0, sizeof(*ip));
	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -EINVAL;
	if ((slash = strchr(buf, '/'))) {
		*slash++ = '\0';
		if (!*slash || *slash == '-' || *slash == '+')
			return -EINVAL;
		plen = strtol(slash, &end, 10);
		if (*end)
			return -EINVAL;
	}
	if (inet_pton(AF_INET, buf, ip->addr) == 1)
		ip->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, ip->addr) == 1)
		ip->family = AF_INET6;
	else
		return -EINVAL;
	if (plen > (ip->family == AF_INET ? 32 : 128))
		return -EINVAL;
	ip->plen = plen;
	return 0;
}

void nk_ip_format(const struct nk_ip *ip, bool plen, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "";

	inet_ntop(ip->family, ip->addr, a, sizeof(a));
	if (plen && ip->plen >= 0)
		snprintf(buf, len, "%s/%d", a, ip->plen);
	else
		snprintf(buf, len, "%s", a);
}

bool nk_ip_equal(const struct nk_ip *a, const struct nk_ip *b)
{
	return a->family == b->family &&
	       !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

static size_t alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

int addr_add(struct nl *nl, int ifindex, const struct nk_ip *ip, int plen, unsigned char scope)
{
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh = nl_request(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
					  (void **)&ifa, sizeof(*ifa));

	ifa->ifa_family = ip->family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = scope;
	ifa->ifa_index = ifindex;
	if (ip->family == AF_INET6)
		ifa->ifa_flags = IFA_F_NODAD;
	nla_put(nlh, IFA_LOCAL, alen(ip->family), ip->addr);
	nla_put(nlh, IFA_ADDRESS, alen(ip->family), ip->addr);
	if (ip->family == AF_INET6)
		nla_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	return nl_talk(nl, nlh, NULL, NULL);
}

struct list {
	int ifindex;
	int (*fn)(const struct nk_ip *ip, void *data);
	void *data;
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = nlmsg_data(nlh);
	struct list *l = data;
	const struct nlattr *a, *local = NULL, *address = NULL;
	struct nk_ip ip = { .family = ifa->ifa_family, .plen = ifa->ifa_prefixlen };

	if (nlh->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != l->ifindex ||
	    (ip.family != AF_INET && ip.family != AF_INET6))
		return 0;
	nla_for_each(a, nlh, sizeof(*ifa)) {
		if (nla_type(a) == IFA_LOCAL)
			local = a;
		else if (nla_type(a) == IFA_ADDRESS)
			address = a;
	}
	a = local ? local : address;
	if (!a || nla_len(a) != alen(ip.family))
		return 0;
	memcpy(ip.addr, nla_data(a), alen(ip.family));
	return l->fn(&ip, l->data);
}

int addr_list(struct nl *nl, int ifindex, int (*fn)(const struct nk_ip *ip, void *data), void *data)
{
	struct list l = { ifindex, fn, data };
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETADDR, NLM_F_DUMP, (void **)&ifa, sizeof(*ifa));

	ifa->ifa_index = ifindex;	/* (a filter only with strict checking) */
	return nl_talk(nl, nlh, addr_cb, &l);
}

int route_add(struct nl *nl, const struct nk_ip *dst, int plen, const struct nk_ip *gw,
	      int ifindex, unsigned char scope)
{
	struct rtmsg *rtm;
	struct nlmsghdr *nlh = nl_request(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE,
					  (void **)&rtm, sizeof(*rtm));

	rtm->rtm_family = dst->family;
	rtm->rtm_dst_len = plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = scope;
	rtm->rtm_type = RTN_UNICAST;
	if (plen)
		nla_put(nlh, RTA_DST, alen(dst->family), dst->addr);
	if (gw)
		nla_put(nlh, RTA_GATEWAY, alen(gw->family), gw->addr);
	nla_put_u32(nlh, RTA_OIF, ifindex);
	return nl_talk(nl, nlh, NULL, NULL);
}

static int oif_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	nla_for_each(a, nlh, sizeof(struct rtmsg))
		if (nla_type(a) == RTA_OIF)
			*(int *)data = nla_u32(a);
	return 0;
}

int route_oif(struct nl *nl, const struct nk_ip *ip)
{
	struct rtmsg *rtm;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETROUTE, 0, (void **)&rtm, sizeof(*rtm));
	int oif = 0, err;

	rtm->rtm_family = ip->family;
	rtm->rtm_dst_len = nk_ip_host_plen(ip);
	nla_put(nlh, RTA_DST, alen(ip->family), ip->addr);
	err = nl_talk(nl, nlh, oif_cb, &oif);
	if (err)
		return err;
	return oif ? oif : -ENETUNREACH;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = nlmsg_data(nlh);
	struct list *l = data;
	const struct nlattr *a;
	struct nk_ip ip = { .family = rtm->rtm_family, .plen = rtm->rtm_dst_len };
	int oif = 0;
	bool dst = false;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_table != RT_TABLE_MAIN ||
	    (ip.family != AF_INET && ip.family != AF_INET6) || ip.plen != nk_ip_host_plen(&ip))
		return 0;
	nla_for_each(a, nlh, sizeof(*rtm)) {
		if (nla_type(a) == RTA_OIF)
			oif = nla_u32(a);
		else if (nla_type(a) == RTA_DST &&
			 nla_len(a) == alen(ip.family)) {
			memcpy(ip.addr, nla_data(a), alen(ip.family));
			dst = true;
		}
	}
	if (!dst || oif != l->ifindex)
		return 0;
	return l->fn(&ip, l->data);
}

/* every route, IPv4 then IPv6, to cb */
static int route_dump(struct nl *nl, int (*cb)(const struct nlmsghdr *nlh, void *data), void *data)
{
	int families[] = { AF_INET, AF_INET6 }, err = 0;

	for (int i = 0; i < 2 && !err; i++) {
		struct rtmsg *rtm;
		struct nlmsghdr *nlh = nl_request(nl, RTM_GETROUTE, NLM_F_DUMP, (void **)&rtm,
						  sizeof(*rtm));

		rtm->rtm_family = families[i];
		err = nl_talk(nl, nlh, cb, data);
	}
	return err;
}

int route_list_hosts(struct nl *nl, int ifindex, int (*fn)(const struct nk_ip *ip, void *data),
		     void *data)
{
	struct list l = { ifindex, fn, data };

	return route_dump(nl, route_cb, &l);
}

struct defaults {
	int *oif;
	size_t max, n;
};

static int default_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = nlmsg_data(nlh);
	struct defaults *d = data;
	const struct nlattr *a;
	int oif = 0;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_table != RT_TABLE_MAIN || rtm->rtm_dst_len ||
	    rtm->rtm_type != RTN_UNICAST)
		return 0;
	nla_for_each(a, nlh, sizeof(*rtm))
		if (nla_type(a) == RTA_OIF)
			oif = nla_u32(a);
	for (size_t i = 0; i < d->n; i++)
		if (d->oif[i] == oif)
			return 0;
	if (oif > 0 && d->n < d->max)
		d->oif[d->n++] = oif;
	return 0;
}

int route_default_oifs(struct nl *nl, int *oif, size_t max)
{
	struct defaults d = { oif, max, 0 };
	int err = route_dump(nl, default_cb, &d);

	return err ? err : (int)d.n;
}
