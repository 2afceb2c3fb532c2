// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include "compat.h"
#include "link.h"
#include "netkit/netkit.h"
#include "netns.h"
#include "nl.h"
#include "netkit/probe.h"

static int probe_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nk_features *f = data;
	struct nk_attrs na;
	struct link l;

	if (link_parse(nlh, &l) < 0)
		return 0;
	nk_parse_attrs(l.info_data, &na);
	memcpy(f->known, na.has, sizeof(f->known));
	f->gro_max_size = l.has_size[LINK_GRO_MAX_SIZE];
	f->ipv4_max_size = l.has_size[LINK_GSO_IPV4_MAX_SIZE];
	return 0;
}

/* In a fresh namespace of our own: create, read back. The namespace and
 * the pair in it vanish when we leave. */
static void probe_here(struct nk_features *f)
{
	struct nk_conf c = { .name = "nkprobe0" };
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct nl nl;
	int err;

	c.peer.name = "nkprobe1";
	err = nl_open(&nl, NETLINK_ROUTE);
	if (err) {
		f->err = err;
		return;
	}
	nlh = nl_request(&nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, (void **)&ifi, sizeof(*ifi));
	nk_build_add(nlh, &c, -1, NULL);
	err = nl_talk(&nl, nlh, NULL, NULL);
	if (err == -EOPNOTSUPP) {
		f->netkit = false;
	} else if (err) {
		f->err = err;
	} else {
		f->netkit = true;
		err = link_get(&nl, "nkprobe0", 0, -1, probe_cb, f);
		if (err)
			f->err = err;
	}
	nl_close(&nl);
}

const struct nk_features *nk_probe(struct nk_features *f)
{
	int saved;

	if (f->probed)
		return f;
	f->probed = true;
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		f->err = -errno;
		return f;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		f->err = -errno;
		close(saved);
		return f;
	}
	probe_here(f);
	if (netns_restore(saved) < 0 && !f->err)
		f->err = -EIO;
	return f;
}

const struct nk_attr *nk_attr_missing(const struct nk_features *f, uint64_t seen)
{
	for (size_t i = 0; i < nk_attr_count; i++) {
		const struct nk_attr *a = &nk_attr_table[i];

		if (a->kw >= 0 && a->since && (seen & (1ULL << a->kw)) && !f->known[a->type])
			return a;
	}
	return NULL;
}
