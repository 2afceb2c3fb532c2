/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NKCTL_H
#define NKCTL_H

#include "args.h"
#include "ctx.h"
#include "probe.h"

struct nkctl {
	struct nk_features features;
};

static inline struct nk_features *nk_features(struct nk_ctx *ctx)
{
	return &((struct nkctl *)ctx->priv)->features;
}

int nk_cmd_add(struct nk_ctx *ctx, struct nk_args *a);
int nk_cmd_set(struct nk_ctx *ctx, struct nk_args *a);
int nk_cmd_del(struct nk_ctx *ctx, struct nk_args *a);
int nk_cmd_show(struct nk_ctx *ctx, struct nk_args *a);

#endif
