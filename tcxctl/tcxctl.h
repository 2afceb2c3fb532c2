/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcxctl: the words and the output over lib/tcx's pipeline:
 *   parse.c  a command line -> struct tcx_req                      (pure)
 *   print.c  output from a snapshot and a plan's results only       (pure)
 *   cmd.c    each command: parse, resolve, snapshot, plan, apply, print
 *   show.c   show, also in every namespace
 *
 * Return convention: a function that takes a ctx says why on stderr and
 * returns an exit code (0 or NK_EXIT_*); one that only makes system calls
 * returns 0 or -errno; the pure stages return what they compute, and a plan
 * carries its own refusal (exit code and message).
 */
#ifndef TCXCTL_H
#define TCXCTL_H

#include "args.h"
#include "ctx.h"
#include "tcx/tcx.h"

enum tcx_cmd { CMD_ATTACH, CMD_DETACH, CMD_REPLACE, CMD_MOVE, CMD_SHOW };
/* Parse the arguments of one command; 0 or NK_EXIT_USAGE. Pure. */
int tcx_parse(struct nk_ctx *ctx, enum tcx_cmd cmd, struct nk_args *a, struct tcx_req *r);
/* "first", "before name x": a position in words (pure). */
/* --- printing, from a snapshot and a plan only ---------------------------------- */
/* The hook's entries: a header line, then one object per entry. */
void print_hook(struct out *o, const struct hook_snap *s, const char *netns);
/* show ... hooks: the hook as one object with its revision and entries. */
void print_hook_obj(struct out *o, const struct hook_snap *s, const char *netns);
/* attach: the new entry (or the one already there). */
void print_attached(struct out *o, const struct hook_snap *s, const struct plan *p,
		    const struct prog_facts *pf);
/* detach all: each reported entry that was detached. */
void print_detached(struct out *o, const struct hook_snap *s, const struct plan *p);
/* "nk_pass (prog 12, link 5)": an op's entry in words, for stderr. */
void print_defunct(struct out *o, const char *netns, const char *pin, uint32_t link_id);

/* --- commands ------------------------------------------------------------------ */
int tcx_cmd_attach(struct nk_ctx *ctx, struct nk_args *a);
int tcx_cmd_detach(struct nk_ctx *ctx, struct nk_args *a);
int tcx_cmd_replace(struct nk_ctx *ctx, struct nk_args *a);
int tcx_cmd_move(struct nk_ctx *ctx, struct nk_args *a);
int tcx_cmd_show(struct nk_ctx *ctx, struct nk_args *a);

/* The tool's per-invocation state (ctx->priv): the command's snapshot and
 * plan (commands run one at a time), and what the kernel has. */
struct tcxctl {
	struct hook_snap snap;
	struct plan plan;
	int tcx;		/* -1: not asked yet */
};
/* Has the kernel tcx? (asked once per run) */
bool tcx_supported(struct nk_ctx *ctx);

#endif
