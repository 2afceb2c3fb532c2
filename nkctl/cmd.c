// SPDX-License-Identifier: GPL-2.0
/* nkctl add | set | del | show */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include "grow.h"
#include "compat.h"
#include "datapath/dp.h"
#include "err.h"
#include "exit.h"
#include "link.h"
#include "nk_words.h"
#include "netns.h"
#include "nkctl.h"
#include "nl.h"
#include "netkit/probe.h"

/* A copy of one link message, so that more requests can follow a dump. */
struct msgs {
	struct nlmsghdr **v;
	size_t n, cap;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct msgs *m = data;
	struct nlmsghdr *copy;

	if (NK_GROW(m->v, m->n, m->cap) || !(copy = malloc(nlh->nlmsg_len)))
		return -ENOMEM;
	memcpy(copy, nlh, nlh->nlmsg_len);
	m->v[m->n++] = copy;
	return 0;
}

static void msgs_free(struct msgs *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

/* Fetch device name; 0, or an exit code after saying why. */
static int get_netkit(struct nk_ctx *ctx, struct nl *nl, const char *name, struct msgs *m,
		      struct link *l)
{
	int err = link_get(nl, name, 0, -1, collect_cb, m);

	if (err == -ENODEV || (!err && !m->n)) {
		nk_msg(ctx, "cannot find device \"%s\"", name);
		return NK_EXIT_NONE;
	}
	if (err)
		return nk_fail(ctx, nl, err, "cannot get device \"%s\"", name);
	link_parse(m->v[0], l);
	if (strcmp(l->kind, "netkit")) {
		nk_msg(ctx, "\"%s\" is not a netkit device (kind: %s)", name,
		       l->kind[0] ? l->kind : "none");
		return NK_EXIT_FAIL;
	}
	return 0;
}

static int netkit_missing(struct nk_ctx *ctx)
{
	return nk_unsupp(ctx, "netkit is not supported by this kernel (it needs Linux 6.7 with CONFIG_NETKIT)");
}

/* Refuse what the running kernel would silently ignore: the netkit
 * attributes of the table it lacks, and the BIG TCP sizes. */
static int check_features(struct nk_ctx *ctx, const struct nk_conf *c)
{
	const uint64_t sizes = (1ULL << KW_GRO_MAX_SIZE) | (1ULL << KW_GSO_IPV4_MAX_SIZE) |
		(1ULL << KW_GRO_IPV4_MAX_SIZE);
	uint64_t seen = c->dev.seen | c->peer.seen;
	const struct nk_features *f;
	const struct nk_attr *a;
	static const struct {
		enum nk_kw kw;
		size_t offset;		/* of the bool in struct nk_features */
		const char *version;
	} needs[] = {
		{ KW_GRO_MAX_SIZE, offsetof(struct nk_features, gro_max_size), "5.16" },
		{ KW_GSO_IPV4_MAX_SIZE, offsetof(struct nk_features, ipv4_max_size), "6.3" },
		{ KW_GRO_IPV4_MAX_SIZE, offsetof(struct nk_features, ipv4_max_size), "6.3" },
	};

	if (!(seen & (sizes | nk_attr_probed())))
		return 0;
	f = nk_probe(nk_features(ctx));
	if (f->err)
		return nk_fail(ctx, NULL, f->err, "cannot probe the kernel's netkit features");
	if (!f->netkit)
		return netkit_missing(ctx);
	if ((a = nk_attr_missing(f, seen)))
		return nk_unsupp(ctx, "%s is not supported by this kernel's netkit (it needs Linux %s)",
				 a->word, a->since);
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		if (!(seen & (1ULL << needs[i].kw)) ||
		    *(const bool *)((const char *)f + needs[i].offset))
			continue;
		return nk_unsupp(ctx, "%s is not supported by this kernel (it needs Linux %s)",
				 nk_kw_word(needs[i].kw), needs[i].version);
	}
	return 0;
}

static int del_index(struct nl *nl, int ifindex)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = nl_request(nl, RTM_DELLINK, 0, (void **)&ifi, sizeof(*ifi));

	ifi->ifi_index = ifindex;
	return nl_talk(nl, nlh, NULL, NULL);
}

/* The peer cannot be brought up in the creating request: the kernel
 * configures only the primary's flags. Its ifindex is the primary's
 * IFLA_LINK, valid in the peer's namespace (netns_fd, or ours if < 0),
 * where a socket of its own changes it: in a set request,
 * IFLA_TARGET_NETNSID would move the device instead. */
static int peer_up(struct nk_ctx *ctx, struct nl *nl, const char *name, int netns_fd)
{
	struct nl *pnl = nl, peer_nl;
	struct msgs m = { 0 };
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct link l;
	int err = link_get(nl, name, 0, -1, collect_cb, &m);

	if (!err && !m.n)
		err = -ENODEV;
	if (err) {
		msgs_free(&m);
		return nk_fail(ctx, nl, err, "cannot find the new device \"%s\"", name);
	}
	link_parse(m.v[0], &l);
	msgs_free(&m);
	if (netns_fd >= 0 && !(err = nl_open_in(&peer_nl, NETLINK_ROUTE, netns_fd)))
		pnl = &peer_nl;
	if (!err) {
		nlh = nl_request(pnl, RTM_NEWLINK, 0, (void **)&ifi, sizeof(*ifi));
		ifi->ifi_index = l.link;
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
		err = nl_talk(pnl, nlh, NULL, NULL);
	}
	if (err)
		nk_fail(ctx, pnl, err, "cannot bring the peer of \"%s\" up", name);
	if (pnl != nl)
		nl_close(pnl);
	if (!err)
		return 0;
	err = del_index(nl, l.ifindex);
	if (err)
		nk_fail(ctx, nl, err, "cannot remove \"%s\" again", name);
	return NK_EXIT_FAIL;
}

int nk_cmd_add(struct nk_ctx *ctx, struct nk_args *a)
{
	struct nk_conf c;
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct nl *nl;
	int ret, err, fd = -1;

	ret = nk_flush_dels(ctx);
	if (ret)
		return ret;
	ret = nk_parse_add(ctx, a, &c);
	if (ret)
		return ret;
	ret = check_features(ctx, &c);
	if (ret)
		return ret;
	if (c.peer.netns) {
		fd = netns_open(c.peer.netns);
		if (fd == -ENOENT) {
			nk_msg(ctx, "peer network namespace \"%s\" does not exist", c.peer.netns);
			return NK_EXIT_NONE;
		}
		if (fd < 0)
			return nk_fail(ctx, NULL, fd, "cannot open peer network namespace \"%s\"",
				       c.peer.netns);
	}
	nl = nk_rtnl(ctx);
	if (!nl) {
		ret = NK_EXIT_FAIL;
		goto out;
	}
	nlh = nl_request(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, (void **)&ifi, sizeof(*ifi));
	nk_build_add(nlh, &c, fd, nk_peer_template(c.name));
	err = nl_talk(nl, nlh, NULL, NULL);
	/* "Unknown device type", or no message at all, depending on the kernel */
	if (err == -EOPNOTSUPP && !nk_probe(nk_features(ctx))->netkit) {
		ret = netkit_missing(ctx);
		goto out;
	}
	if (err == -EEXIST) {
		ret = nk_fail(ctx, nl, err, "cannot create \"%s\"%s%s", c.name,
			      c.peer.name ? " or its peer " : "", c.peer.name ? c.peer.name : "");
		goto out;
	}
	if (err == -EOPNOTSUPP && has(&c.dev, KW_TXQ) && c.txqueues > 1 && !nl->extack[0]) {
		ret = nk_fail(ctx, nl, err, "cannot create \"%s\": this kernel's netkit refuses txqueues %u",
			      c.name, c.txqueues);
		goto out;
	}
	if (err) {
		ret = nk_fail(ctx, nl, err, "cannot create \"%s\"", c.name);
		goto out;
	}
	nk_warn_extack(ctx, nl);
	if (has(&c.peer, KW_UP))
		ret = peer_up(ctx, nl, c.name, fd);
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

int nk_cmd_set(struct nk_ctx *ctx, struct nk_args *a)
{
	struct msgs m = { 0 };
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct nk_attrs na;
	struct nk_conf c;
	struct link l;
	struct nl *nl;
	int ret, err;

	ret = nk_flush_dels(ctx);
	if (ret)
		return ret;
	ret = nk_parse_set(ctx, a, &c);
	if (ret)
		return ret;
	nl = nk_rtnl(ctx);
	if (!nl)
		return NK_EXIT_FAIL;
	ret = get_netkit(ctx, nl, c.name, &m, &l);
	if (ret)
		goto out;
	nk_parse_attrs(l.info_data, &na);
	if ((has(&c.dev, KW_POLICY) || has(&c.peer, KW_POLICY)) &&
	    na.has[NK_IFLA_NETKIT_PRIMARY] && !na.val[NK_IFLA_NETKIT_PRIMARY]) {
		nk_msg(ctx, "\"%s\" is the peer of a netkit pair: policies are set on the primary device",
		       c.name);
		ret = NK_EXIT_FAIL;
		goto out;
	}
	if (has(&c.peer, KW_POLICY) && !l.link) {
		nk_msg(ctx, "\"%s\" has no peer (pairing single): there is no peer policy", c.name);
		ret = NK_EXIT_FAIL;
		goto out;
	}
	if (has(&c.dev, KW_ADDRESS) && na.val[NK_IFLA_NETKIT_MODE] != NK_NETKIT_L2) {
		nk_msg(ctx, "\"%s\" is in mode l3: it has no MAC address", c.name);
		ret = NK_EXIT_FAIL;
		goto out;
	}
	nlh = nl_request(nl, RTM_NEWLINK, 0, (void **)&ifi, sizeof(*ifi));
	nk_build_set(nlh, &c, l.ifindex);
	err = nl_talk(nl, nlh, NULL, NULL);
	if (err)
		ret = nk_fail(ctx, nl, err, "cannot change \"%s\"", c.name);
	else
		nk_warn_extack(ctx, nl);
out:
	msgs_free(&m);
	return ret;
}

static int set_group(struct nl *nl, int ifindex, uint32_t group)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = nl_request(nl, RTM_NEWLINK, 0, (void **)&ifi, sizeof(*ifi));

	ifi->ifi_index = ifindex;
	nla_put_u32(nlh, IFLA_GROUP, group);
	return nl_talk(nl, nlh, NULL, NULL);
}

static int group_cb(const struct nlmsghdr *nlh, void *data)
{
	uint32_t *g = data;
	struct link l;

	/* the first group number from ours up that no device has */
	if (link_parse(nlh, &l) == 0 && l.group >= g[0] && l.group < g[0] + 64)
		g[1 + (l.group - g[0]) / 32] |= 1u << ((l.group - g[0]) % 32);
	return 0;
}

/* A device group no device of the namespace is in, or 0 */
static uint32_t free_group(struct nl *nl)
{
	uint32_t g[3] = { 0x6e6b0000 | (getpid() & 0xffc0), 0, 0 };

	if (link_dump(nl, NULL, group_cb, g))
		return 0;
	for (int i = 0; i < 64; i++)
		if (!(g[1 + i / 32] & (1u << (i % 32))))
			return g[0] + i;
	return 0;
}

static int del_one(struct nk_ctx *ctx, struct nl *nl, const struct nk_pending_del *d)
{
	int err = del_index(nl, d->ifindex);

	if (err)
		return nk_fail(ctx, nl, err, "cannot delete \"%s\"", d->name);
	return 0;
}

int nk_flush_dels(struct nk_ctx *ctx)
{
	struct nkctl *st = ctx->priv;
	unsigned int line = ctx->line;
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct nl *nl;
	uint32_t group = 0;
	size_t i, moved = 0;
	int ret = 0, err;

	if (!st->ndels)
		return 0;
	nl = nk_rtnl(ctx);
	if (!nl)
		return NK_EXIT_FAIL;
	if (st->ndels > 1)
		group = free_group(nl);
	for (i = 0; group && i < st->ndels; i++, moved++)
		if (set_group(nl, st->dels[i].ifindex, group))
			break;
	if (group && moved == st->ndels) {
		nlh = nl_request(nl, RTM_DELLINK, 0, (void **)&ifi, sizeof(*ifi));
		nla_put_u32(nlh, IFLA_GROUP, group);
		err = nl_talk(nl, nlh, NULL, NULL);
		if (!err)
			moved = st->ndels = 0;
	}
	/* no group, or it did not work: give the groups back, one at a time */
	for (i = 0; i < moved; i++)
		set_group(nl, st->dels[i].ifindex, st->dels[i].group);
	for (i = 0; i < st->ndels && !ret; i++) {
		ctx->line = st->dels[i].line;
		ret = del_one(ctx, nl, &st->dels[i]);
	}
	ctx->line = line;
	st->ndels = 0;
	return ret;
}

int nk_cmd_del(struct nk_ctx *ctx, struct nk_args *a)
{
	struct nkctl *st = ctx->priv;
	const char *name = args_next(a);
	struct msgs m = { 0 };
	struct link l;
	struct nl *nl;
	int ret;

	if (!name)
		return nk_usage(ctx, "del needs a device name");
	if (args_peek(a))
		return nk_usage(ctx, "unexpected \"%s\" after the device name", args_peek(a));
	ret = parse_ifname(ctx, "device name", name);
	if (ret)
		return ret;
	nl = nk_rtnl(ctx);
	if (!nl)
		return NK_EXIT_FAIL;
	ret = get_netkit(ctx, nl, name, &m, &l);
	if (!ret) {
		struct nk_pending_del d = { .ifindex = l.ifindex, .group = l.group, .line = ctx->line };
		bool queued = false;

		snprintf(d.name, sizeof(d.name), "%s", name);
		/* the other end of one queued already goes with it */
		for (size_t i = 0; i < st->ndels; i++)
			queued |= st->dels[i].ifindex == l.ifindex ||
				  (st->dels[i].ifindex == l.link && l.link_netnsid < 0);
		if (queued) {
			/* as if the lines had run one by one */
			nk_msg(ctx, "cannot find device \"%s\"", name);
			ret = NK_EXIT_NONE;
		} else if (ctx->batch && !NK_GROW(st->dels, st->ndels, st->capdels))
			st->dels[st->ndels++] = d;
		else
			ret = del_one(ctx, nl, &d);
	}
	msgs_free(&m);
	return ret;
}

static int peer_name_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nk_peer *p = data;
	struct link l;

	if (link_parse(nlh, &l) == 0) {
		snprintf(p->ifname, sizeof(p->ifname), "%s", l.ifname);
		memcpy(p->size, l.size, sizeof(p->size));
		memcpy(p->has_size, l.has_size, sizeof(p->has_size));
		p->found = true;
	}
	return 0;
}

/* names: read on the first peer in another namespace, then shared by all */
static void resolve_peer(struct nl *nl, const struct link *l, struct nk_peer *p,
			 struct nsid_names *names, bool *names_read)
{
	memset(p, 0, sizeof(*p));
	p->netnsid = -1;
	if (!l->link)
		return;
	p->present = true;
	p->ifindex = l->link;
	p->netnsid = l->link_netnsid;
	link_get(nl, NULL, l->link, l->link_netnsid, peer_name_cb, p);
	if (p->netnsid < 0)
		return;
	if (!*names_read)
		*names_read = nsid_names_read(nl, names) == 0;
	snprintf(p->netns, sizeof(p->netns), "%s", nsid_names_find(names, p->netnsid));
}

int nk_cmd_show(struct nk_ctx *ctx, struct nk_args *a)
{
	const char *name = args_next(a);
	struct msgs m = { 0 };
	struct nsid_names names = { 0 };
	struct nk_dp_view dp = { 0 };
	bool names_read = false;
	struct nl *nl;
	struct link l;
	int ret = 0, err, dpfd;

	ret = nk_flush_dels(ctx);
	if (ret)
		return ret;
	if (args_peek(a))
		return nk_usage(ctx, "unexpected \"%s\" after the device name", args_peek(a));
	if (name && (ret = parse_ifname(ctx, "device name", name)))
		return ret;
	nl = nk_rtnl(ctx);
	if (!nl)
		return NK_EXIT_FAIL;
	if (name) {
		ret = get_netkit(ctx, nl, name, &m, &l);
	} else {
		err = link_dump(nl, "netkit", collect_cb, &m);
		if (err)
			ret = nk_fail(ctx, nl, err, "cannot list devices");
	}
	/* the BPF data path's endpoints and rates of this namespace, where it
	 * has them */
	if (!ret && (dpfd = nk_dp_map(NK_DP_ENDPOINTS)) >= 0) {
		if ((err = nk_dp_endpoints_read(dpfd, &dp.eps, &dp.neps)))
			ret = nk_fail(ctx, NULL, err, "cannot read the endpoint map");
		close(dpfd);
	}
	if (!ret && (dpfd = nk_dp_map(NK_DP_RATES)) >= 0) {
		if ((err = nk_dp_rates_read(dpfd, &dp.rates, &dp.nrates)))
			ret = nk_fail(ctx, NULL, err, "cannot read the rate map");
		close(dpfd);
	}
	for (size_t i = 0; !ret && i < m.n; i++) {
		struct nk_peer p;

		/* a kernel without kind filtering sends every device */
		if (link_parse(m.v[i], &l) < 0 || strcmp(l.kind, "netkit"))
			continue;
		resolve_peer(nl, &l, &p, &names, &names_read);
		nk_print(&ctx->out, m.v[i], &p, &dp);
	}
	free(dp.eps);
	free(dp.rates);
	nsid_names_free(&names);
	msgs_free(&m);
	return ret;
}
