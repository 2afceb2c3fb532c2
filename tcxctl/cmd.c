// SPDX-License-Identifier: GPL-2.0
/* tcxctl attach | detach | replace | move: parse, resolve the hook, read
 * it, plan, apply, print. Every rule is in plan->c. */
#include <stdio.h>
#include <string.h>
#include "err.h"
#include "exit.h"
#include "nl.h"
#include "tcxctl.h"

bool tcx_supported(struct nk_ctx *ctx)
{
	struct tcxctl *tc = ctx->priv;

	if (tc->tcx < 0)
		tc->tcx = tcx_probe();
	return tc->tcx;
}

static int refused(struct nk_ctx *ctx, const struct plan *p)
{
	nk_msg(ctx, "%s", p->msg);
	return p->exit;
}

/* With the hook resolved: the REFs' pinned paths read, the hook read. */
static int prepare(struct nk_ctx *ctx, struct tcx_req *r, const struct hook_target *t)
{
	int ret, err;

	if ((ret = ref_resolve(ctx, &r->ref)) || (ret = ref_resolve(ctx, &r->anchor)))
		return ret;
	err = snap_read(is_tc_hook(t->hook) ? nk_rtnl(ctx) : NULL, t, tcx_supported(ctx),
			&((struct tcxctl *)ctx->priv)->snap);
	if (err)
		return nk_fail(ctx, nk_rtnl(ctx), err, "cannot read %s %s", t->dev, hook_names[t->hook]);
	return 0;
}

static void facts(const struct loaded_prog *lp, struct prog_facts *pf)
{
	pf->id = lp->id;
	pf->name = lp->name;
	pf->tag = lp->tag;
}

static void warn_shadow(struct nk_ctx *ctx, const struct plan *p, const struct hook_target *t)
{
	if (p->shadow)
		nk_msg(ctx, "warning: %s %s has both tcx programs and classic tc filters: a tcx program that returns anything but NEXT hides every classic tc filter",
		       t->dev, hook_names[t->hook]);
}

int tcx_cmd_attach(struct nk_ctx *ctx, struct nk_args *a)
{
	struct tcxctl *tc = ctx->priv;
	struct hook_snap *snap = &tc->snap;
	struct plan *plan = &tc->plan;
	struct loaded_prog lp = { .fd = -1 };
	struct prog_facts pf;
	struct hook_target t;
	struct tcx_req r;
	int ret;

	if ((ret = tcx_parse(ctx, CMD_ATTACH, a, &r)))
		return ret;
	if ((ret = hook_resolve(ctx, r.dev, r.hook, &t)))
		return ret;
	/* what the kernel lacks is said before anything is loaded */
	plan_mechanism(&r, tcx_supported(ctx), plan);
	if (plan->exit)
		return refused(ctx, plan);
	if ((ret = prepare(ctx, &r, &t)) || (ret = prog_load(ctx, &r.prog, &lp)))
		goto out;
	facts(&lp, &pf);
	plan_attach(&r, snap, &pf, plan);
	if (plan->exit) {
		ret = refused(ctx, plan);
		goto out;
	}
	if (plan->noop)
		nk_msg(ctx, "%s is already attached to %s %s as asked; nothing was changed", pf.name,
		       t.dev, hook_names[t.hook]);
	ret = apply(ctx, snap, plan, lp.fd, lp.name);
	if (ret == NK_EXIT_OK || ret == NK_EXIT_PARTIAL) {
		print_attached(&ctx->out, snap, plan, &pf);
		warn_shadow(ctx, plan, &t);
	}
out:
	prog_close(&lp);
	return ret;
}

static void sweep_cb(const char *pin, uint32_t link_id, void *data)
{
	struct nk_ctx *ctx = data;

	nk_msg(ctx, "removed the pin of defunct link %u (its device is gone): %s", link_id, pin);
}

int tcx_cmd_detach(struct nk_ctx *ctx, struct nk_args *a)
{
	struct tcxctl *tc = ctx->priv;
	struct hook_snap *snap = &tc->snap;
	struct plan *plan = &tc->plan;
	struct hook_target t;
	struct tcx_req r;
	int ret;

	if ((ret = tcx_parse(ctx, CMD_DETACH, a, &r)))
		return ret;
	ret = hook_resolve(ctx, r.dev, r.hook, &t);
	if (ret == NK_EXIT_NONE && pin_sweep_defunct(true, sweep_cb, ctx) > 0)
		return NK_EXIT_OK;
	if (ret || (ret = prepare(ctx, &r, &t)))
		return ret;
	plan_detach(&r, snap, plan);
	if (plan->exit)
		return refused(ctx, plan);
	ret = apply(ctx, snap, plan, -1, NULL);
	print_detached(&ctx->out, snap, plan);
	if (plan->kept_foreign)
		nk_msg(ctx, "kept %d classic tc filter%s on %s %s that tcxctl did not add",
		       plan->kept_foreign, plan->kept_foreign > 1 ? "s" : "", t.dev, hook_names[t.hook]);
	pin_sweep_defunct(true, sweep_cb, ctx);
	return ret;
}

int tcx_cmd_replace(struct nk_ctx *ctx, struct nk_args *a)
{
	struct tcxctl *tc = ctx->priv;
	struct hook_snap *snap = &tc->snap;
	struct plan *plan = &tc->plan;
	struct loaded_prog lp = { .fd = -1 };
	struct prog_facts pf;
	struct hook_target t;
	struct tcx_req r;
	int ret;

	if ((ret = tcx_parse(ctx, CMD_REPLACE, a, &r)) ||
	    (ret = hook_resolve(ctx, r.dev, r.hook, &t)))
		return ret;
	if ((ret = prepare(ctx, &r, &t)) || (ret = prog_load(ctx, &r.prog, &lp)))
		goto out;
	facts(&lp, &pf);
	plan_replace(&r, snap, &pf, plan);
	if (plan->exit)
		ret = refused(ctx, plan);
	else
		ret = apply(ctx, snap, plan, lp.fd, lp.name);
out:
	prog_close(&lp);
	return ret;
}

int tcx_cmd_move(struct nk_ctx *ctx, struct nk_args *a)
{
	struct tcxctl *tc = ctx->priv;
	struct hook_snap *snap = &tc->snap;
	struct plan *plan = &tc->plan;
	struct hook_target t;
	struct tcx_req r;
	int ret;

	if ((ret = tcx_parse(ctx, CMD_MOVE, a, &r)) ||
	    (ret = hook_resolve(ctx, r.dev, r.hook, &t)) || (ret = prepare(ctx, &r, &t)))
		return ret;
	plan_move(&r, snap, plan);
	if (plan->exit)
		return refused(ctx, plan);
	return apply(ctx, snap, plan, -1, NULL);
}
