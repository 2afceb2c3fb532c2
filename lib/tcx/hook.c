// SPDX-License-Identifier: GPL-2.0
/* A device's hook: which attach type, and what runs there now. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "compat.h"
#include "err.h"
#include "exit.h"
#include "link.h"
#include "nl.h"
#include "tcx/tcx.h"

bool tcx_probe(void)
{
	LIBBPF_OPTS(bpf_prog_query_opts, q);

	/* 6.6+: an empty hook answers count 0; older kernels refuse the type */
	return bpf_prog_query_opts(1, BPF_TCX_INGRESS, &q) == 0;
}

struct dev_info {
	struct link l;
	bool found;
	bool primary;
};

static int dev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dev_info *d = data;

	if (link_parse(nlh, &d->l) < 0)
		return 0;
	d->found = true;
	d->primary = link_netkit_primary(&d->l);
	d->l.info_data = NULL;	/* points into the receive buffer */
	return 0;
}

static int name_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link l;

	if (link_parse(nlh, &l) == 0)
		snprintf(data, IFNAMSIZ, "%s", l.ifname);
	return 0;
}

int hook_resolve(struct nk_ctx *ctx, const char *dev, int hook, struct hook_target *t)
{
	struct nl *nl = nk_rtnl(ctx);
	struct dev_info d = { 0 };
	int err;

	if (!nl)
		return NK_EXIT_FAIL;
	err = link_get(nl, dev, 0, -1, dev_cb, &d);
	if (err == -ENODEV || (!err && !d.found)) {
		nk_msg(ctx, "cannot find device \"%s\"", dev);
		return NK_EXIT_NONE;
	}
	if (err)
		return nk_fail(ctx, nl, err, "cannot get device \"%s\"", dev);
	hook_target_init(t, dev, d.l.ifindex, hook);
	if (hook == HOOK_PRIMARY || hook == HOOK_PEER) {
		if (strcmp(d.l.kind, "netkit"))
			return nk_usage(ctx, "the %s hook needs a netkit device; \"%s\" is %s",
					hook_names[hook], dev, d.l.kind[0] ? d.l.kind : "not netkit");
		if (!d.primary) {
			char peer[IFNAMSIZ] = "";

			link_get(nl, NULL, d.l.link, d.l.link_netnsid, name_cb, peer);
			return nk_usage(ctx, "\"%s\" is the peer of a netkit pair: netkit hooks attach to the primary device%s%s%s",
					dev, peer[0] ? " (\"" : "", peer, peer[0] ? "\")" : "");
		}
		if (!d.l.link)
			return nk_unsupp(ctx, "\"%s\" has no peer (pairing single): it has no BPF hooks", dev);
	}
	return 0;
}

static void fill_entry(struct hook_entry *e)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(e->prog_id);

	if (fd >= 0) {
		if (bpf_prog_get_info_by_fd(fd, &info, &len) == 0) {
			snprintf(e->name, sizeof(e->name), "%s", info.name);
			for (int i = 0; i < BPF_TAG_SIZE; i++)
				sprintf(e->tag + 2 * i, "%02x", info.tag[i]);
		}
		close(fd);
	}
}

int hook_state_from_query(struct hook_state *st, uint64_t revision, uint32_t count,
			  const uint32_t *prog_ids, const uint32_t *link_ids, uint32_t len)
{
	memset(st, 0, sizeof(*st));
	/* the kernel says how many there are, the arrays hold at most len */
	if (count > len || count > HOOK_MAX_PROGS)
		return -ENOSPC;
	st->revision = revision;
	st->count = count;
	for (uint32_t i = 0; i < count; i++) {
		st->e[i].prog_id = prog_ids[i];
		st->e[i].link_id = link_ids[i];
	}
	return 0;
}

int hook_query(const struct hook_target *t, struct hook_state *st)
{
	__u32 prog_ids[HOOK_MAX_PROGS], link_ids[HOOK_MAX_PROGS];
	LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = prog_ids, .link_ids = link_ids,
		    .count = HOOK_MAX_PROGS);
	int err;

	memset(st, 0, sizeof(*st));
	err = bpf_prog_query_opts(t->ifindex, t->type, &q);
	if (!err)
		err = hook_state_from_query(st, q.revision, q.count, prog_ids, link_ids,
					    HOOK_MAX_PROGS);
	if (err)
		return err;
	for (uint32_t i = 0; i < st->count; i++)
		fill_entry(&st->e[i]);
	return 0;
}
