// SPDX-License-Identifier: GPL-2.0
/* tcxctl show: every program on every hook, in execution order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "compat.h"
#include "err.h"
#include "exit.h"
#include "grow.h"
#include "link.h"
#include "netns.h"
#include "nl.h"
#include "tcxctl.h"

struct dev {
	int ifindex;
	char name[IFNAMSIZ];
	bool netkit_primary;	/* has netkit hooks */
};

struct devs {
	struct dev *v;
	size_t n, cap;
};

static int dev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct devs *d = data;
	struct dev *v;
	struct link l;

	if (link_parse(nlh, &l) < 0)
		return 0;
	if (NK_GROW(d->v, d->n, d->cap))
		return -ENOMEM;
	v = &d->v[d->n++];
	memset(v, 0, sizeof(*v));
	v->ifindex = l.ifindex;
	snprintf(v->name, sizeof(v->name), "%s", l.ifname);
	v->netkit_primary = l.link && link_netkit_primary(&l);
	return 0;
}

struct show {
	struct nk_ctx *ctx;
	const struct tcx_req *r;
	const char *netns;	/* all-netns: the namespace's label */
	int failed;
};

/* One hook: read, then printed from what was read. */
static void show_hook(struct show *s, struct nl *nl, const struct dev *d, int hook)
{
	struct hook_target t;

	struct hook_snap *snap = &((struct tcxctl *)s->ctx->priv)->snap;

	hook_target_init(&t, d->name, d->ifindex, hook);
	if (snap_read(nl, &t, tcx_supported(s->ctx), snap))
		return;
	if (s->r->hooks)
		print_hook_obj(&s->ctx->out, snap, s->netns);
	else
		print_hook(&s->ctx->out, snap, s->netns);
}

static void defunct_cb(const char *pin, uint32_t link_id, void *data)
{
	struct show *s = data;

	print_defunct(&s->ctx->out, s->netns, pin, link_id);
}

/* Everything in the current namespace; nl was opened in it. */
static int show_here(struct show *s, struct nl *nl)
{
	struct devs d = { 0 };
	int err;

	if (s->r->dev) {
		err = link_get(nl, s->r->dev, 0, -1, dev_cb, &d);
		if (err == -ENODEV || (!err && !d.n)) {
			nk_msg(s->ctx, "cannot find device \"%s\"", s->r->dev);
			free(d.v);
			return NK_EXIT_NONE;
		}
	} else {
		err = link_dump(nl, NULL, dev_cb, &d);
	}
	if (err) {
		free(d.v);
		return nk_fail(s->ctx, nl, err, "cannot list devices");
	}
	for (size_t i = 0; i < d.n; i++) {
		for (int hook = 0; hook < HOOK_COUNT; hook++) {
			bool nk_hook = hook == HOOK_PRIMARY || hook == HOOK_PEER;

			if (s->r->hook >= 0 && s->r->hook != hook)
				continue;
			if (nk_hook && !d.v[i].netkit_primary)
				continue;
			show_hook(s, nl, &d.v[i], hook);
		}
	}
	free(d.v);
	if (!s->r->dev)
		pin_sweep_defunct(false, defunct_cb, s);
	return 0;
}

static int show_ns_cb(const struct netns_ent *ns, void *data)
{
	struct show *s = data;
	struct nl nl;

	s->netns = ns->label;
	if (nl_open(&nl, NETLINK_ROUTE)) {
		s->failed++;
		return 0;
	}
	if (show_here(s, &nl))
		s->failed++;
	nl_close(&nl);
	return 0;
}

static void ns_failed(const char *label, int err, void *data)
{
	struct show *s = data;

	nk_msg(s->ctx, "cannot enter network namespace %s: %s", label, strerror(-err));
	/* in the JSON too: a namespace not shown is part of the answer */
	out_netns_failed(&s->ctx->out, label, err);
	s->failed++;
}

int tcx_cmd_show(struct nk_ctx *ctx, struct nk_args *a)
{
	struct tcx_req r;
	struct show s = { .ctx = ctx, .r = &r };
	struct nl *nl;
	int ret;

	if ((ret = tcx_parse(ctx, CMD_SHOW, a, &r)))
		return ret;
	if (r.all_netns) {
		if (netns_foreach_in(show_ns_cb, ns_failed, &s))
			return nk_fail(ctx, NULL, 0, "cannot return to the original network namespace");
		return s.failed ? NK_EXIT_PARTIAL : NK_EXIT_OK;
	}
	nl = nk_rtnl(ctx);
	if (!nl)
		return NK_EXIT_FAIL;
	return show_here(&s, nl);
}
