// SPDX-License-Identifier: GPL-2.0
/* The kernel side of ADD and DEL, over lib/: the netkit pair, the pod's
 * addresses and routes, the host's routes, the program, the sockets. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "datapath/dp.h"
#include "exit.h"
#include "link.h"
#include "netns.h"
#include "netkit/probe.h"
#include "plugin.h"
#include "qdisc.h"
#include "reap/reap.h"
#include "tcx/pins.h"
#include "tcx/prog.h"
#include "tcx/tcx.h"

static const char no_netkit[] = "netkit is not supported by this kernel (it needs Linux 6.7 with CONFIG_NETKIT)";

static int copy_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_buf *b = data;

	if (nlh->nlmsg_len > sizeof(b->msg))
		return 0;
	memcpy(b->msg, nlh, nlh->nlmsg_len);
	return link_parse((struct nlmsghdr *)b->msg, &b->l);
}

int net_link(struct nl *nl, const char *name, int ifindex, struct link_buf *b)
{
	int err;

	memset(&b->l, 0, sizeof(b->l));
	err = link_get(nl, name, ifindex, -1, copy_cb, b);
	if (!err && !b->l.ifindex)
		err = -ENODEV;
	return err;
}

/* l's MAC as text (buf) and bytes (hw); zero where it has none */
static void mac_of(const struct link *l, char *buf, uint8_t hw[6])
{
	const uint8_t z[6] = { 0 }, *a = l->addrlen == 6 ? l->address : z;

	memcpy(hw, a, 6);
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
}

int net_features(struct plugin *p, int code)
{
	const uint64_t seen = p->c.nk.dev.seen | p->c.nk.peer.seen;
	struct nk_features f = { 0 };
	const struct nk_attr *a;
	char why[160];

	nk_probe_boot(&f, NK_PROBE_CACHE);
	if (f.err)
		return cni_fail(&p->err, code == E_KERNEL ? E_SYSTEM : code, strerror(-f.err),
				"cannot probe the kernel's netkit features");
	if (!f.netkit)
		return cni_fail(&p->err, code, no_netkit, "the kernel lacks a feature this network needs");
	if ((a = nk_attr_missing(&f, seen))) {
		snprintf(why, sizeof(why), "%s is not supported by this kernel's netkit (it needs Linux %s)",
			 a->word, a->since);
		return cni_fail(&p->err, code, why, "the kernel lacks a feature this network needs");
	}
	return 0;
}

/* What the kernel would silently ignore is refused first */
static int check_features(struct plugin *p)
{
	const uint64_t seen = p->c.nk.dev.seen | p->c.nk.peer.seen;

	return seen & nk_attr_probed() ? net_features(p, E_KERNEL) : 0;
}

int net_ifindex(struct plugin *p, const char *dev)
{
	struct link_buf b;

	/* by rtnetlink: an ioctl for a missing name (if_nametoindex) makes the
	 * kernel try to load a module "netdev-NAME", a process each time */
	return net_link(p->nl, dev, 0, &b) ? 0 : b.l.ifindex;
}

int net_create(struct plugin *p, int netns_fd, int *ifindex)
{
	char alias[CNI_ALIAS_MAX];
	struct nk_conf c = p->c.nk;
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct link_buf b;
	int err, ret;

	if ((ret = check_features(p)))
		return ret;
	c.name = p->dev;
	c.peer.name = p->ifname;
	nlh = nl_request(p->nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, (void **)&ifi, sizeof(*ifi));
	nk_build_add(nlh, &c, netns_fd, NULL);
	err = nl_talk(p->nl, nlh, NULL, NULL);
	if (err == -EOPNOTSUPP)
		return cni_fail(&p->err, E_KERNEL, no_netkit, "the kernel lacks a feature this network needs");
	if (err == -EEXIST)
		return cni_fail(&p->err, E_SYSTEM, p->nl->extack,
				"cannot create the netkit pair %s: %s or %s in the container exists", p->dev,
				p->dev, p->ifname);
	if (err)
		return cni_fail(&p->err, E_SYSTEM, p->nl->extack, "cannot create the netkit pair %s: %s",
				p->dev, strerror(-err));
	err = net_link(p->nl, p->dev, 0, &b);
	if (err)
		return cni_fail(&p->err, E_SYSTEM, NULL, "cannot find the new device %s: %s", p->dev,
				strerror(-err));
	*ifindex = b.l.ifindex;
	/* whose it is, for a GC that finds it without its record */
	if (!cni_alias(p->c.name, p->id, p->ifname, alias) &&
	    (err = link_set_alias(p->nl, *ifindex, alias)))
		return cni_fail(&p->err, E_SYSTEM, p->nl->extack, "cannot set the alias of %s: %s",
				p->dev, strerror(-err));
	return 0;
}

static int set_up(struct nl *nl, int ifindex)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = nl_request(nl, RTM_NEWLINK, 0, (void **)&ifi, sizeof(*ifi));

	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return nl_talk(nl, nlh, NULL, NULL);
}

/* 1 in /proc/sys/PATH (forwarding), unless it is there already */
static int sysctl_on(const char *path)
{
	char buf[8] = "";
	int fd = open(path, O_RDWR | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (read(fd, buf, sizeof(buf) - 1) > 0 && buf[0] == '1')
		goto out;
	if (pwrite(fd, "1\n", 2, 0) != 2)
		err = -errno;
out:
	close(fd);
	return err;
}

static const struct nk_ip *gateway_of(const struct cni_ipam *r, int family)
{
	for (size_t i = 0; i < r->nip; i++)
		if (r->ip[i].addr.family == family && r->ip[i].gw.family)
			return &r->ip[i].gw;
	return NULL;
}

static int pod_side(struct plugin *p, struct nl *pnl, int peer, struct cni_ipam *r)
{
	char a[64];
	int err;
	bool fam[2] = { false, false };

	if ((err = set_up(pnl, peer)))
		return cni_fail(&p->err, E_SYSTEM, pnl->extack, "cannot bring %s up: %s", p->ifname,
				strerror(-err));
	/* each address alone (/32, /128), a route to the gateway over the link
	 * and the default route via it: everything, the other pods of the
	 * subnet too, goes through the host, which routes each pod address to
	 * its own pair */
	for (size_t i = 0; i < r->nip; i++) {
		const struct cni_ip *ip = &r->ip[i];

		nk_ip_format(&ip->addr, false, a, sizeof(a));
		if ((err = addr_add(pnl, peer, &ip->addr, nk_ip_host_plen(&ip->addr), RT_SCOPE_UNIVERSE)))
			return cni_fail(&p->err, E_SYSTEM, pnl->extack, "cannot add %s to %s: %s", a,
					p->ifname, strerror(-err));
		if (ip->gw.family &&
		    (err = route_add(pnl, &ip->gw, nk_ip_host_plen(&ip->gw), NULL, peer, RT_SCOPE_LINK)))
			return cni_fail(&p->err, E_SYSTEM, pnl->extack,
					"cannot add the pod's route to its gateway: %s", strerror(-err));
		fam[ip->addr.family == AF_INET6] = true;
	}
	if (!r->nroute) {	/* none from IPAM: a default route per family */
		for (int f = 0; f < 2; f++) {
			struct cni_route *rt = &r->route[r->nroute];
			const struct nk_ip *gw = gateway_of(r, f ? AF_INET6 : AF_INET);

			if (!fam[f])
				continue;
			memset(rt, 0, sizeof(*rt));
			rt->dst.family = f ? AF_INET6 : AF_INET;
			rt->dst.plen = 0;
			if (gw)
				rt->gw = *gw;
			r->nroute++;
		}
	}
	for (size_t i = 0; i < r->nroute; i++) {
		const struct cni_route *rt = &r->route[i];
		const struct nk_ip *gw = rt->gw.family ? &rt->gw : gateway_of(r, rt->dst.family);

		err = route_add(pnl, &rt->dst, rt->dst.plen, gw, peer,
				gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
		if (err) {
			nk_ip_format(&rt->dst, true, a, sizeof(a));
			return cni_fail(&p->err, E_SYSTEM, pnl->extack, "cannot add the pod's route to %s: %s",
					a, strerror(-err));
		}
	}
	return 0;
}

static int host_side(struct plugin *p, int ifindex, const struct cni_ipam *r)
{
	char a[64];
	int err;

	for (size_t i = 0; i < r->nip; i++) {
		const struct cni_ip *ip = &r->ip[i];
		bool v6 = ip->addr.family == AF_INET6;

		nk_ip_format(&ip->addr, false, a, sizeof(a));
		if ((err = route_add(p->nl, &ip->addr, nk_ip_host_plen(&ip->addr), NULL, ifindex,
				     RT_SCOPE_LINK)))
			return cni_fail(&p->err, E_SYSTEM, p->nl->extack,
					"cannot add the host route to %s: %s", a, strerror(-err));
		/* The host end answers for the gateway (l2: its ARP and ND). In
		 * scope global, as ptp has it: portmap masquerades the node's own
		 * connections to a host port (its source is in the pod's subnet),
		 * and MASQUERADE takes the outgoing device's global address;
		 * with none, such a connection is dropped. */
		if (ip->gw.family &&
		    (err = addr_add(p->nl, ifindex, &ip->gw, nk_ip_host_plen(&ip->gw), RT_SCOPE_UNIVERSE)))
			return cni_fail(&p->err, E_SYSTEM, p->nl->extack,
					"cannot add the gateway address to %s: %s", p->dev, strerror(-err));
		err = sysctl_on(v6 ? "/proc/sys/net/ipv6/conf/all/forwarding" :
				     "/proc/sys/net/ipv4/ip_forward");
		if (err)
			return cni_fail(&p->err, E_SYSTEM, NULL, "cannot turn on IPv%c forwarding: %s",
					v6 ? '6' : '4', strerror(-err));
	}
	return 0;
}

int net_configure(struct plugin *p, int netns_fd, int ifindex, struct cni_ipam *r,
		  struct cni_made *m)
{
	struct link_buf b, pb;
	struct nl pnl;
	int err, ret;

	if ((err = net_link(p->nl, NULL, ifindex, &b)))
		return cni_fail(&p->err, E_SYSTEM, NULL, "cannot find %s: %s", p->dev, strerror(-err));
	mac_of(&b.l, m->host_mac, m->host_hw);
	if ((err = nl_open_in(&pnl, NETLINK_ROUTE, netns_fd)))
		return cni_fail(&p->err, E_SYSTEM, NULL, "cannot enter %s: %s", p->netns, strerror(-err));
	ret = pod_side(p, &pnl, b.l.link, r);
	if (!ret && (err = net_link(&pnl, NULL, b.l.link, &pb)))
		ret = cni_fail(&p->err, E_SYSTEM, NULL, "cannot find %s: %s", p->ifname, strerror(-err));
	if (!ret)
		mac_of(&pb.l, m->pod_mac, m->pod_hw);
	nl_close(&pnl);
	return ret ? ret : host_side(p, ifindex, r);
}

static void sink(struct nk_ctx *ctx, const char *msg)
{
	struct plugin *p = ctx->priv;

	snprintf(p->err.details, sizeof(p->err.details), "%s", msg);
}

int net_attach(struct plugin *p, int ifindex)
{
	struct prog_spec s = { .kind = PROG_OBJECT, .path = p->c.prog.object,
			       .section = p->c.prog.section, .name = p->c.prog.name };
	const char *hook = p->c.prog.hook == PROG_PEER ? "peer" : "primary";
	struct bpf_link_info info = { 0 };
	__u32 ilen = sizeof(info);
	struct hook_target t;
	char pin[PATH_MAX];
	struct loaded_prog lp;
	int fd, err, ret;

	p->ctx.sink = sink;
	p->ctx.priv = p;
	ret = prog_load(&p->ctx, &s, &lp);
	if (ret) {
		prog_close(&lp);
		p->err.code = 0;
		return cni_fail(&p->err, ret == NK_EXIT_UNSUPP ? E_KERNEL : E_CONFIG, p->err.details,
				"cannot load the program from %s", s.path);
	}
	hook_target_init(&t, p->dev, ifindex, p->c.prog.hook == PROG_PEER ? HOOK_PEER : HOOK_PRIMARY);
	fd = bpf_link_create(lp.fd, ifindex, t.type, NULL);
	if (fd < 0) {
		err = -errno;
		prog_close(&lp);
		return cni_fail(&p->err, err == -EINVAL || err == -EOPNOTSUPP ? E_KERNEL : E_SYSTEM,
				strerror(-err), "the kernel cannot attach %s to %s %s", lp.name, p->dev, hook);
	}
	err = bpf_link_get_info_by_fd(fd, &info, &ilen) ? -errno : 0;
	if (!err)
		err = tcx_bpffs_ensure();
	if (!err)
		err = pin_link(&t, fd, info.id, lp.name, NULL, pin, sizeof(pin));
	close(fd);
	prog_close(&lp);
	if (err)
		return cni_fail(&p->err, E_SYSTEM, strerror(-err), "cannot pin the link of %s on %s", lp.name,
				p->dev);
	return 0;
}

static void remove_tree(const char *path, int depth)
{
	DIR *d = depth ? opendir(path) : NULL;
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char sub[PATH_MAX];

		if (de->d_name[0] == '.' ||
		    snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >= (int)sizeof(sub))
			continue;
		remove_tree(sub, depth - 1);
	}
	if (d) {
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

void net_unpin(int ifindex)
{
	char ns[PATH_MAX], dir[PATH_MAX + 16];

	if (tcx_pin_ns_dir(ns, sizeof(ns)) ||
	    snprintf(dir, sizeof(dir), "%s/%d", ns, ifindex) >= (int)sizeof(dir))
		return;
	remove_tree(dir, 2);	/* IFINDEX/HOOK/PIN */
	rmdir(ns);		/* if it was the namespace's last */
}

int net_delete(struct plugin *p, const char *dev, int ifindex)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct link_buf b;
	char name[IF_NAMESIZE];
	int err = net_link(p->nl, dev, 0, &b);

	if (err == -ENODEV) {	/* gone with its pod's namespace */
		if (ifindex > 0 && (!if_indextoname(ifindex, name) || !strcmp(name, dev)))
			net_unpin(ifindex);
		return 0;
	}
	if (err)
		return cni_fail(&p->err, E_SYSTEM, NULL, "cannot look up %s: %s", dev, strerror(-err));
	if (strcmp(b.l.kind, "netkit"))
		return 0;	/* a name we would have chosen, but not our kind */
	net_unpin(b.l.ifindex);
	nlh = nl_request(p->nl, RTM_DELLINK, 0, (void **)&ifi, sizeof(*ifi));
	ifi->ifi_index = b.l.ifindex;
	err = nl_talk(p->nl, nlh, NULL, NULL);
	if (err && err != -ENODEV)
		return cni_fail(&p->err, E_SYSTEM, p->nl->extack, "cannot delete %s: %s", dev,
				strerror(-err));
	return 0;
}

/* Several addresses, one walk: a socket connected to any of them goes */
struct reap_set {
	const struct nk_ip *ip;
	size_t n;
};

static bool sock_to(const struct nk_sock *s, const struct nk_ip *ip)
{
	/* records hold IPv4 as IPv4-mapped IPv6, also for an IPv6 socket
	 * connected to an IPv4 address: the same bytes either way */
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (ip->family == AF_INET)
		return !memcmp(s->daddr, mapped, 12) && !memcmp(s->daddr + 12, ip->addr, 4);
	return s->family == AF_INET6 && !memcmp(s->daddr, ip->addr, 16);
}

static int select_addr(struct nk_sock *s, void *data)
{
	const struct reap_set *rs = data;

	for (size_t i = 0; i < rs->n; i++)
		if (sock_to(s, &rs->ip[i]))
			return 2;
	return 0;
}

bool net_other_pod(struct plugin *p, const struct nk_ip *ip, int ifindex)
{
	struct link_buf b;
	int oif = route_oif(p->nl, ip);

	return oif > 0 && oif != ifindex && !net_link(p->nl, NULL, oif, &b) &&
	       !strcmp(b.l.kind, "netkit");
}

int net_reap(struct plugin *p, const struct nk_ip *ip, size_t n)
{
	struct reap_set rs = { ip, n };
	/* sock_diag in each namespace: a DEL has few addresses, and a BPF
	 * load with the kernel's BTF would cost more than the dumps */
	struct reap_walk w = { .backend = BACKEND_DIAG, .kill = true, .select = select_addr,
			       .data = &rs, .no_index = true, .unnamed = true };
	int err;

	if (!n)
		return 0;
	w.f.state_mask = REAP_STATES_CONNECTED;	/* both families: v4-mapped sockets too */
	err = reap_walk(&w);
	if (getenv("NKTOOLS_DEBUG"))
		fprintf(stderr, "nktools: sockets to the container: %u matched, %u destroyed, %u failed, %u namespaces failed\n",
			w.matched, w.destroyed, w.failed, w.ns_failed);
	if (err)
		return cni_fail(&p->err, E_SYSTEM, strerror(-err),
				"cannot destroy the sockets connected to the container");
	if (w.cannot_destroy) {
		fprintf(stderr, "nktools: this kernel cannot destroy sockets; connections to the container stay\n");
		return 0;
	}
	if (w.ns_failed || w.failed)
		fprintf(stderr, "nktools: %u sockets connected to the container could not be destroyed\n",
			w.failed);
	return 0;
}

/* --- the BPF data path ------------------------------------------------------ */

int net_uplinks(struct plugin *p, int *oif, int *n)
{
	if (!p->c.ndevices) {
		*n = route_default_oifs(p->nl, oif, CNI_MAX_DEVICES);
		return *n < 0 ? cni_fail(&p->err, E_SYSTEM, strerror(-*n), "cannot read the default routes")
			      : 0;
	}
	for (*n = 0; *n < (int)p->c.ndevices; (*n)++) {
		oif[*n] = net_ifindex(p, p->c.devices[*n]);
		if (!oif[*n])
			return cni_fail(&p->err, E_CONFIG, NULL,
					"\"devices\": %s is not a device of this node", p->c.devices[*n]);
	}
	return 0;
}

/* fq on the uplinks (or the host end), where the pods' departure times
 * are honoured */
static int uplinks_fq(struct plugin *p, const int *oif, int n)
{
	for (int i = 0; i < n; i++) {
		struct link_buf b;
		char kind[16] = "";
		int err = net_link(p->nl, NULL, oif[i], &b);

		if (!err && (err = qdisc_fq_ensure(p->nl, oif[i], b.l.num_tx_queues, kind)) > 0)
			err = 0;
		if (err == -EBUSY)
			return cni_fail(&p->err, E_SYSTEM, NULL,
					"%s has a %s qdisc somebody set: an egress rate needs fq there (name other \"devices\", or remove it)",
					b.l.ifname, kind);
		if (err == -ENOENT || err == -EOPNOTSUPP)
			return cni_fail(&p->err, E_KERNEL, strerror(-err),
					"an egress rate needs the fq qdisc (CONFIG_NET_SCH_FQ), which this kernel lacks");
		if (err)
			return cni_fail(&p->err, E_SYSTEM, strerror(-err),
					"cannot put the fq qdisc on the device with ifindex %d", oif[i]);
	}
	return 0;
}

/* ifindex's rate entry: the configuration's, or none (an entry left by a
 * pair whose index this one has would police it) */
static int rate_set(struct plugin *p, int ifindex)
{
	int fd = nk_dp_map(NK_DP_RATES), err;

	if (fd == -ENOENT && !cni_has_bw(&p->c))
		return 0;
	if (fd < 0)
		return cni_fail(&p->err, E_SYSTEM, strerror(-fd), "cannot open the rate map");
	err = cni_has_bw(&p->c) ? nk_dp_rate_put(fd, ifindex, &p->c.bw) : nk_dp_rate_del(fd, ifindex);
	close(fd);
	return err ? cni_fail(&p->err, E_SYSTEM, strerror(-err), "cannot set %s's rate", p->dev) : 0;
}

int net_datapath_add(struct plugin *p, int ifindex, const struct cni_made *m,
		     const struct cni_ipam *r, const int *oif, int n)
{
	struct nk_dp_endpoint ep = { .ifindex = ifindex };
	bool bpf = p->c.datapath == DATAPATH_BPF, bw = cni_has_bw(&p->c);
	const char *step = "";
	struct nk_dp *dp;
	int fd, err;

	if (!bpf && !bw)
		return rate_set(p, ifindex);
	err = nk_dp_load(&dp, &step);
	if (err)
		return cni_fail(&p->err, err == -EINVAL || err == -EOPNOTSUPP ? E_KERNEL : E_SYSTEM,
				strerror(-err), "cannot set up the BPF data path: cannot %s", step);
	for (int i = 0; bpf && i < n && !err; i++)
		if ((err = nk_dp_attach_uplink(dp, oif[i])))
			cni_fail(&p->err, E_SYSTEM, strerror(-err),
				 "cannot attach the BPF data path to the uplink with ifindex %d", oif[i]);
	/* the rate before its programs, the pacer before the forwarder */
	if (!err)
		err = rate_set(p, ifindex);
	if (!err && p->c.bw.egress_rate)
		err = uplinks_fq(p, oif, n);
	if (!err && p->c.bw.ingress_rate)
		err = uplinks_fq(p, &ifindex, 1);	/* the host end's, for the ingress pacer */
	if (!err && bw &&
	    (err = nk_dp_attach_bw(dp, ifindex, p->c.bw.egress_rate, p->c.bw.ingress_rate)))
		cni_fail(&p->err, E_SYSTEM, strerror(-err), "cannot attach the rate programs to %s",
			 p->dev);
	if (!err && bpf && (err = nk_dp_attach_pod(dp, ifindex)))
		cni_fail(&p->err, E_SYSTEM, strerror(-err), "cannot attach the BPF data path to %s",
			 p->dev);
	nk_dp_free(dp);
	if (err)
		return p->err.code;
	if (!bpf)
		return 0;
	fd = nk_dp_map(NK_DP_ENDPOINTS);
	if (fd < 0)
		return cni_fail(&p->err, E_SYSTEM, strerror(-fd), "cannot open the endpoint map");
	if (p->c.bw.ingress_rate)
		ep.flags |= NK_DP_EP_STACK;	/* its host end's fq paces what it gets */
	memcpy(ep.pod_mac, m->pod_hw, 6);
	memcpy(ep.host_mac, m->host_hw, 6);
	for (size_t i = 0; i < r->nip && !err; i++)
		err = nk_dp_endpoint_put(fd, &r->ip[i].addr, &ep);
	close(fd);
	if (err)
		return cni_fail(&p->err, E_SYSTEM, strerror(-err), "cannot add %s to the endpoint map",
				p->dev);
	return 0;
}

void net_datapath_del(const struct nk_ip *ip, size_t n, int ifindex)
{
	int fd = nk_dp_map(NK_DP_ENDPOINTS);

	for (size_t i = 0; fd >= 0 && i < n; i++)
		nk_dp_endpoint_del(fd, &ip[i], ifindex);
	if (fd >= 0)
		close(fd);
	if (ifindex && (fd = nk_dp_map(NK_DP_RATES)) >= 0) {
		nk_dp_rate_del(fd, ifindex);
		close(fd);
	}
}

int net_datapath_prune(void)
{
	struct nk_dp_entry *e = NULL;
	size_t n = 0;
	int fd = nk_dp_map(NK_DP_ENDPOINTS), err;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	err = nk_dp_endpoints_read(fd, &e, &n);
	for (size_t i = 0; !err && i < n; i++)
		nk_dp_endpoint_del(fd, &e[i].ip, 0);	/* those whose device is gone */
	free(e);
	close(fd);
	if (!err && (fd = nk_dp_map(NK_DP_RATES)) >= 0) {
		err = nk_dp_rates_prune(fd);
		close(fd);
	}
	if (!err && (fd = nk_dp_map(NK_DP_UPLINKS)) >= 0) {
		err = nk_dp_uplinks_prune(fd);
		close(fd);
	}
	return err;
}
