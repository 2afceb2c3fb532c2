// SPDX-License-Identifier: GPL-2.0
/* nkctl monitor [ all-netns ]: netkit events as they happen, until SIGINT or
 * SIGTERM. One rtnetlink listener; with all-netns it also hears every
 * namespace that has an nsid in ours, and gives one to each namespace in
 * /run/netns as it appears (the kernel sends a namespace's events to such
 * a listener only then; a socket of our own inside each namespace would
 * keep the namespace alive). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include "err.h"
#include "event.h"
#include "exit.h"
#include "grow.h"
#include "link.h"
#include "nk_words.h"
#include "netns.h"
#include "nkctl.h"
#include "nl.h"

#define MON_RCVBUF (32 << 20)	/* a burst of 300 pairs is about 2 MB */

/* The /run/netns entries given an nsid, by the identity of their namespace */
struct named {
	struct named_ns {
		dev_t dev;
		ino_t ino;
	} *v;
	size_t n, cap;
};

struct monitor {
	struct nk_ctx *ctx;
	struct nl ev;			/* the listener */
	struct nl *rt;			/* requests */
	bool all;
	struct nk_events events;
	struct nsid_names names;
	bool names_stale;
	struct named named;
	struct xlate {		/* rel, in a message of namespace nsid, is ours */
		int nsid, rel, ours;
	} *xlate;
	size_t nxlate, capxlate;
	unsigned long lost;
};

struct scan {
	struct monitor *m;
	struct named seen;
};

static int scan_cb(const char *name, const char *path, void *data)
{
	struct scan *s = data;
	struct monitor *m = s->m;
	struct stat st;
	bool known = false;
	int fd, nsid;

	if (stat(path, &st) < 0)
		return 0;
	for (size_t i = 0; i < m->named.n && !known; i++)
		known = m->named.v[i].dev == st.st_dev && m->named.v[i].ino == st.st_ino;
	if (!known) {
		/* not a namespace yet: "ip netns add" mounts it just after
		 * creating the file, and that mount wakes us again */
		fd = netns_open(path);
		if (fd < 0)
			return 0;
		nsid = link_nsid_assign(m->rt, fd);
		close(fd);
		if (nsid < 0) {
			nk_msg(m->ctx, "cannot give namespace \"%s\" an nsid: %s", name, strerror(-nsid));
			return 0;
		}
		m->names_stale = true;
	}
	if (!NK_GROW(s->seen.v, s->seen.n, s->seen.cap))
		s->seen.v[s->seen.n++] = (struct named_ns){ st.st_dev, st.st_ino };
	return 0;
}

/* Give every namespace in /run/netns an nsid in ours, once. */
static void scan_named(struct monitor *m)
{
	struct scan s = { .m = m };

	netns_named_foreach(scan_cb, &s);
	free(m->named.v);
	m->named = s.seen;
}

static const char *ns_name(struct monitor *m, int nsid)
{
	const char *name;

	if (nsid < 0)
		return NULL;
	name = nsid_names_find(&m->names, nsid);
	if (!*name && m->names_stale) {
		nsid_names_free(&m->names);
		memset(&m->names, 0, sizeof(m->names));
		nsid_names_read(m->rt, &m->names);
		m->names_stale = false;
		name = nsid_names_find(&m->names, nsid);
	}
	return name;
}

/* Where an nsid in a message of namespace nsid points, in our nsids: -1 for
 * our own namespace, NSID_UNKNOWN when it is none we can name. The kernel
 * only answers "what is X called in K", so X is each candidate in turn: our
 * own namespace (a pod's peer usually is here), then the named ones. The
 * answer is kept until nsids change. */
#define NSID_UNKNOWN (-2)
struct xlate_scan {
	struct monitor *m;
	int nsid, rel, found;
};

static int xlate_cb(const char *name, const char *path, void *data)
{
	struct xlate_scan *x = data;
	int fd = netns_open(path), current;

	(void)name;
	if (fd < 0)
		return 0;
	if (link_nsid_seen_from(x->m->rt, fd, x->nsid, &current) == x->rel && current >= 0)
		x->found = current;
	close(fd);
	return x->found != NSID_UNKNOWN;
}

static int ours(struct monitor *m, int nsid, int rel)
{
	struct xlate_scan x = { m, nsid, rel, NSID_UNKNOWN };
	int fd;

	if (rel < 0)
		return nsid;		/* the same namespace as the device */
	if (nsid < 0)
		return rel;
	for (size_t i = 0; i < m->nxlate; i++)
		if (m->xlate[i].nsid == nsid && m->xlate[i].rel == rel)
			return m->xlate[i].ours;
	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && link_nsid_seen_from(m->rt, fd, nsid, NULL) == rel)
		x.found = -1;
	if (fd >= 0)
		close(fd);
	if (x.found == NSID_UNKNOWN)
		netns_named_foreach(xlate_cb, &x);
	if (!NK_GROW(m->xlate, m->nxlate, m->capxlate))
		m->xlate[m->nxlate++] = (struct xlate){ nsid, rel, x.found };
	return x.found;
}

static int on_link(struct monitor *m, int nsid, const struct nlmsghdr *nlh)
{
	struct nk_where w = { .nsid = nsid, .new_nsid = -1 };
	struct nk_peer p = { .netnsid = -1 };
	enum nk_event ev;
	const char *name;
	struct link l;
	int err;

	if (link_parse(nlh, &l) < 0)
		return 0;
	if (l.deleted && l.new_netnsid >= 0)
		w.new_nsid = ours(m, nsid, l.new_netnsid);
	err = nk_events_feed(&m->events, nsid, &l, w.new_nsid, &ev);
	if (err)
		return err;
	if (ev == NK_EV_NONE)
		return 0;
	w.netns = ns_name(m, w.nsid);
	w.new_netns = ns_name(m, w.new_nsid);
	if (l.link) {
		p.present = true;
		p.ifindex = l.link;
		p.netnsid = ours(m, nsid, l.link_netnsid);
		p.ns_unknown = p.netnsid == NSID_UNKNOWN;
		name = p.ns_unknown ? NULL : nk_events_name(&m->events, p.netnsid, p.ifindex);
		if (name) {
			p.found = true;
			snprintf(p.ifname, sizeof(p.ifname), "%s", name);
		}
		snprintf(p.netns, sizeof(p.netns), "%s", p.netnsid >= 0 ? ns_name(m, p.netnsid) : "");
		if (p.ns_unknown)
			p.netnsid = -1;
	}
	nk_print_event(&m->ctx->out, ev, &w, &l, &p);
	fflush(m->ctx->out.f);
	return 0;
}

static int on_nsid(struct monitor *m, const struct nlmsghdr *nlh)
{
	const struct nlattr *a;

	m->names_stale = true;
	m->nxlate = 0;		/* nsids may have been given again */
	if (nlh->nlmsg_type != RTM_DELNSID)
		return 0;
	nla_for_each(a, nlh, sizeof(struct rtgenmsg))
		if (nla_type(a) == NETNSA_NSID && nla_len(a) >= 4)
			nk_events_forget_ns(&m->events, (int32_t)nla_u32(a));
	return 0;
}

/* Every datagram waiting on the listener */
static int drain(struct monitor *m)
{
	for (;;) {
		int nsid, err = 0;
		ssize_t len = nl_recv_events(&m->ev, &nsid);
		const struct nlmsghdr *nlh;
		size_t rem;

		if (len == -ENOBUFS) {
			m->lost++;
			nk_msg(m->ctx, "the kernel dropped events: its socket buffer was full");
			continue;
		}
		if (len <= 0)
			return len;
		rem = len;
		for (nlh = (const void *)m->ev.rx; !err && nl_msg_ok(nlh, rem); nlh = nl_msg_next(nlh, &rem)) {
			if (nlh->nlmsg_type == RTM_NEWLINK || nlh->nlmsg_type == RTM_DELLINK)
				err = on_link(m, nsid, nlh);
			else if (nlh->nlmsg_type == RTM_NEWNSID || nlh->nlmsg_type == RTM_DELNSID)
				err = on_nsid(m, nlh);
		}
		if (err)
			return err;
	}
}

static int run(struct monitor *m, int sigfd, int mountfd)
{
	struct pollfd pfd[3] = {
		{ .fd = nl_fd(&m->ev), .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
		{ .fd = mountfd, .events = POLLPRI },
	};

	for (;;) {
		int err;

		if (poll(pfd, mountfd >= 0 ? 3 : 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return nk_fail(m->ctx, NULL, -errno, "cannot wait for events");
		}
		if (pfd[0].revents) {
			err = drain(m);
			if (err)
				return nk_fail(m->ctx, NULL, err, "cannot read events");
		}
		if (pfd[1].revents) {
			struct signalfd_siginfo si;

			/* taken, so that it is not delivered when unblocked */
			if (read(sigfd, &si, sizeof(si)) < 0)
				return nk_fail(m->ctx, NULL, -errno, "cannot read a signal");
			return 0;	/* SIGINT or SIGTERM */
		}
		if (mountfd >= 0 && pfd[2].revents)
			scan_named(m);
	}
}

int nk_cmd_monitor(struct nk_ctx *ctx, struct nk_args *a)
{
	static const unsigned int groups[] = { RTNLGRP_LINK, RTNLGRP_NSID };
	struct monitor m = { .ctx = ctx };
	const char *word = args_next(a);
	int ret, err, sigfd = -1, mountfd = -1;
	sigset_t sigs, old;

	if (word && !strcmp(word, "all-netns")) {
		m.all = true;
		word = args_next(a);
	}
	if (word)
		return nk_usage(ctx, "unexpected \"%s\" (monitor [ all-netns ])", word);
	if (ctx->batch)
		return nk_usage(ctx, "monitor runs until it is stopped: not in a batch");
	if (!out_lines(&ctx->out))
		return nk_usage(ctx, "monitor cannot follow other output");
	m.rt = nk_rtnl(ctx);
	if (!m.rt)
		return NK_EXIT_FAIL;
	err = nl_open(&m.ev, NETLINK_ROUTE);
	if (!err)
		err = nl_listen(&m.ev, groups, 2, MON_RCVBUF, m.all);
	if (err) {
		ret = nk_fail(ctx, NULL, err, "cannot listen to link events");
		goto out;
	}
	/* a shell starts background jobs with SIGINT ignored, and an ignored
	 * signal never reaches a signalfd: stopping is what these signals ask */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, &old);
	sigfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sigfd < 0) {
		ret = nk_fail(ctx, NULL, -errno, "cannot catch signals");
		goto out;
	}
	if (m.all) {
		/* listening first: a namespace named while we scan is not missed */
		mountfd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
		scan_named(&m);
	}
	m.names_stale = true;
	ret = run(&m, sigfd, mountfd);
	if (!ret && m.lost)
		ret = NK_EXIT_FAIL;
out:
	if (sigfd >= 0) {
		close(sigfd);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	if (mountfd >= 0)
		close(mountfd);
	nl_close(&m.ev);
	nk_events_free(&m.events);
	nsid_names_free(&m.names);
	free(m.named.v);
	free(m.xlate);
	return ret;
}
