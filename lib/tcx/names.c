// SPDX-License-Identifier: GPL-2.0
/* The hooks: their names, kinds and attach types, and a target made from
 * what is known. Pure: the printers and the planner use these. */
#include <stdio.h>
#include <string.h>
#include "tcx/pins.h"
#include "tcx/tcx.h"

const char *const hook_names[] = { "ingress", "egress", "primary", "peer", NULL };
const char *const mode_names[] = { "auto", "tcx", "tc", NULL };

static const enum bpf_attach_type hook_types[] = {
	BPF_TCX_INGRESS, BPF_TCX_EGRESS, BPF_NETKIT_PRIMARY, BPF_NETKIT_PEER,
};

const char *hook_kind(int hook)
{
	static const char *const kinds[] = {
		"tcx/ingress", "tcx/egress", "netkit/primary", "netkit/peer",
	};

	return kinds[hook];
}

const char *tc_kind(int hook)
{
	return hook == HOOK_INGRESS ? "tc/ingress" : "tc/egress";
}

void hook_target_init(struct hook_target *t, const char *dev, int ifindex, int hook)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->dev, sizeof(t->dev), "%s", dev);
	t->ifindex = ifindex;
	t->hook = hook;
	t->type = hook_types[hook];
}

void tcx_pin_name(const char *dir, uint32_t link_id, const char *prog, char *buf, size_t len)
{
	snprintf(buf, len, "%s/link%u-%s", dir, link_id, prog);
}
