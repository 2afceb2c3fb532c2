// SPDX-License-Identifier: GPL-2.0
/* Classic tc for kernels without tcx: a clsact qdisc and cls_bpf filters in
 * direct-action mode, over rtnetlink. Our filters carry the name
 * "nktools:PROG", so that we only ever remove our own; a clsact qdisc we
 * add is marked in /run/nktools/clsact, so that we remove only that one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include "compat.h"
#include "nl.h"
#include "tcx/tcx.h"

#define TC_OURS "nktools:"
#define MARK_DIR "/run/nktools/clsact"

static uint32_t parent_of(bool ingress)
{
	return TC_H_MAKE(TC_H_CLSACT, ingress ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
}

/* The mark of a device's clsact: a file named by the namespace's inode and
 * the ifindex, holding the namespace's cookie. Inode numbers are reused
 * soon after a namespace dies, so the marks of dead namespaces do not pile
 * up: a mark whose cookie is not the namespace's is stale, and the next
 * command that changes the hook removes it (OP_UNMARK). */
struct mark {
	char path[128];
	uint64_t cookie;
};

static int mark_of(struct nl *nl, int ifindex, struct mark *m)
{
	socklen_t sl = sizeof(m->cookie);
	struct stat st;

	if (getsockopt(nl_fd(nl), SOL_SOCKET, SO_NETNS_COOKIE, &m->cookie, &sl) ||
	    stat("/proc/thread-self/ns/net", &st))
		return -errno;
	snprintf(m->path, sizeof(m->path), MARK_DIR "/%lu-%d", (unsigned long)st.st_ino, ifindex);
	return 0;
}

int tc_clsact_mark(struct nl *nl, int ifindex)
{
	unsigned long long cookie;
	struct mark m;
	bool ours;
	FILE *f;

	if (mark_of(nl, ifindex, &m) || !(f = fopen(m.path, "re")))
		return MARK_NONE;
	ours = fscanf(f, "%llu", &cookie) == 1 && cookie == m.cookie;
	fclose(f);
	/* else of a namespace that had this inode before */
	return ours ? MARK_OURS : MARK_STALE;
}

void tc_clsact_unmark(struct nl *nl, int ifindex)
{
	struct mark m;

	if (mark_of(nl, ifindex, &m) == 0)
		unlink(m.path);
}

static void mark(struct nl *nl, int ifindex)
{
	struct mark m;
	FILE *f;

	if (mark_of(nl, ifindex, &m))
		return;
	mkdir("/run/nktools", 0700);
	mkdir(MARK_DIR, 0700);
	f = fopen(m.path, "we");
	if (f) {
		fprintf(f, "%llu\n", (unsigned long long)m.cookie);
		fclose(f);
	}
}

/* RTM_NEWQDISC, RTM_GETQDISC or RTM_DELQDISC for the device's clsact. */
static int clsact_request(struct nl *nl, int type, int flags, int ifindex)
{
	struct tcmsg *tc;
	struct nlmsghdr *nlh = nl_request(nl, type, flags, (void **)&tc, sizeof(*tc));

	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = ifindex;
	tc->tcm_handle = TC_H_MAKE(TC_H_CLSACT, 0);
	tc->tcm_parent = TC_H_CLSACT;
	nla_put_strz(nlh, TCA_KIND, "clsact");
	return nl_talk(nl, nlh, NULL, NULL);
}

static int ensure_clsact(struct nl *nl, int ifindex)
{
	int err = clsact_request(nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, ifindex);

	if (err == -EEXIST)
		return 0;
	if (!err)
		mark(nl, ifindex);
	return err;
}

int tc_has_clsact(struct nl *nl, int ifindex)
{
	int err = clsact_request(nl, RTM_GETQDISC, 0, ifindex);

	/* ENOENT: no ingress qdisc; EINVAL: another kind, or none left */
	return !err ? 1 : err == -ENOENT || err == -EINVAL ? 0 : err;
}

int tc_del_clsact(struct nl *nl, int ifindex)
{
	int err = clsact_request(nl, RTM_DELQDISC, 0, ifindex);

	if (!err || err == -ENOENT || err == -EINVAL)
		tc_clsact_unmark(nl, ifindex);
	return err;
}

int tc_attach(struct nl *nl, int ifindex, bool ingress, int prog_fd, const char *name,
	      uint32_t prio)
{
	char tcname[256];
	struct tcmsg *tc;
	struct nlmsghdr *nlh;
	struct nlattr *opts;
	int err = ensure_clsact(nl, ifindex);

	if (err)
		return err;
	nlh = nl_request(nl, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL, (void **)&tc, sizeof(*tc));
	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = ifindex;
	tc->tcm_parent = parent_of(ingress);
	tc->tcm_info = TC_H_MAKE(prio << 16, htons(ETH_P_ALL));
	tc->tcm_handle = 1;
	nla_put_strz(nlh, TCA_KIND, "bpf");
	opts = nla_nest_start(nlh, TCA_OPTIONS);
	nla_put_u32(nlh, TCA_BPF_FD, prog_fd);
	snprintf(tcname, sizeof(tcname), TC_OURS "%s", name);
	nla_put_strz(nlh, TCA_BPF_NAME, tcname);
	nla_put_u32(nlh, TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
	nla_nest_end(nlh, opts);
	return nl_talk(nl, nlh, NULL, NULL);
}

int tc_detach(struct nl *nl, int ifindex, bool ingress, uint32_t prio, uint32_t handle)
{
	struct tcmsg *tc;
	struct nlmsghdr *nlh = nl_request(nl, RTM_DELTFILTER, 0, (void **)&tc, sizeof(*tc));

	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = ifindex;
	tc->tcm_parent = parent_of(ingress);
	tc->tcm_info = TC_H_MAKE(prio << 16, htons(ETH_P_ALL));
	tc->tcm_handle = handle;
	nla_put_strz(nlh, TCA_KIND, "bpf");
	return nl_talk(nl, nlh, NULL, NULL);
}

static int filter_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct tcmsg *tc = nlmsg_data(nlh);
	struct tc_list *l = data;
	struct tc_filter f = { 0 };
	const struct nlattr *a, *b;
	bool bpf = false;

	if (nlh->nlmsg_type != RTM_NEWTFILTER || !tc->tcm_handle)
		return 0;	/* the chain's head entry, not a filter */
	l->total++;
	f.prio = TC_H_MAJ(tc->tcm_info) >> 16;
	f.handle = tc->tcm_handle;
	nla_for_each(a, nlh, sizeof(*tc)) {
		if (nla_type(a) == TCA_KIND)
			bpf = !strcmp(nla_str(a), "bpf");
		if (nla_type(a) != TCA_OPTIONS)
			continue;
		nla_for_each_nested(b, a) {
			switch (nla_type(b)) {
			case TCA_BPF_ID:
				f.prog_id = nla_u32(b);
				break;
			case TCA_BPF_NAME:
				snprintf(f.name, sizeof(f.name), "%s", nla_str(b));
				break;
			case TCA_BPF_TAG:
				for (int i = 0; i < BPF_TAG_SIZE && i < (int)nla_len(b); i++)
					sprintf(f.tag + 2 * i, "%02x",
						((const uint8_t *)nla_data(b))[i]);
				break;
			}
		}
	}
	if (!bpf || l->count >= TC_MAX_FILTERS)
		return 0;
	f.ours = !strncmp(f.name, TC_OURS, strlen(TC_OURS));
	if (f.ours)
		memmove(f.name, f.name + strlen(TC_OURS), strlen(f.name) - strlen(TC_OURS) + 1);
	l->f[l->count++] = f;
	return 0;
}

int tc_list(struct nl *nl, int ifindex, bool ingress, struct tc_list *l)
{
	struct tcmsg *tc;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETTFILTER, NLM_F_DUMP, (void **)&tc, sizeof(*tc));
	int err;

	l->count = l->total = 0;
	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = ifindex;
	tc->tcm_parent = parent_of(ingress);
	err = nl_talk(nl, nlh, filter_cb, l);
	/* no clsact qdisc: no filters */
	return err == -EINVAL || err == -ENOENT ? 0 : err;
}
