/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NKCTL_H
#define NKCTL_H

#include <stddef.h>
#include <stdint.h>
#include "args.h"
#include "ctx.h"
#include "netkit/probe.h"

/* In a batch, consecutive "del" lines are carried out together: each device
 * is looked up (and refused) at its line, then all of them go in one
 * RTM_DELLINK of a device group, so that the kernel unregisters them in one
 * pass and waits for RCU once instead of once per pair (8 ms a pair under
 * emulation). Any other command, and the end of the batch, flush them. */
struct nk_pending_del {
	int ifindex;
	uint32_t group;		/* to give back if the deletion fails */
	unsigned int line;
	char name[16];
};

struct nkctl {
	struct nk_features features;
	struct nk_pending_del *dels;
	size_t ndels, capdels;
};

static inline struct nk_features *nk_features(struct nk_ctx *ctx)
{
	return &((struct nkctl *)ctx->priv)->features;
}

int nk_cmd_add(struct nk_ctx *ctx, struct nk_args *a);
int nk_cmd_set(struct nk_ctx *ctx, struct nk_args *a);
int nk_cmd_del(struct nk_ctx *ctx, struct nk_args *a);
int nk_cmd_show(struct nk_ctx *ctx, struct nk_args *a);
int nk_cmd_monitor(struct nk_ctx *ctx, struct nk_args *a);
/* Carry out the deferred deletions; an exit code. */
int nk_flush_dels(struct nk_ctx *ctx);

#endif
