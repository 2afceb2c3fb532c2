// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "tcxctl.h"

/* The grammar: printed by "tcxctl help" and repeated in tcxctl(8)'s SYNOPSIS. */
static const char synopsis[] =
"Usage: tcxctl [ OPTIONS ] { attach | detach | replace | move | show | help } ...\n"
"OPTIONS := { -j[son] | -p[retty] | -n[etns] NETNS | -b[atch] FILE | -V[ersion] | -h[elp] }\n"
"tcxctl attach dev DEV HOOK PROG [ POSITION ] [ revision N ] [ pin PATH ] [ mode { auto | tcx | tc } ]\n"
"tcxctl detach dev DEV HOOK { REF | all [ ours ] } [ revision N ]\n"
"tcxctl replace dev DEV HOOK REF PROG [ revision N ]\n"
"tcxctl move dev DEV HOOK REF POSITION [ revision N ]\n"
"tcxctl show [ dev DEV ] [ HOOK ] [ all-netns ] [ hooks ]\n"
"HOOK     := { ingress | egress | primary | peer }\n"
"PROG     := { object FILE [ section SEC | program NAME ] | pinned PATH | id PROG_ID }\n"
"REF      := { id PROG_ID | link LINK_ID | pinned PATH | name PROG_NAME }\n"
"POSITION := { first | last | before REF | after REF }\n"
"NETNS    := { NAME | PATH | PID }\n";

static void features(struct nk_ctx *ctx)
{
	out_bool(&ctx->out, "tcx", " tcx %s", tcx_supported(ctx));
}

static const struct nk_cmd cmds[] = {
	{ "attach", tcx_cmd_attach },
	{ "detach", tcx_cmd_detach },
	{ "replace", tcx_cmd_replace },
	{ "move", tcx_cmd_move },
	{ "show", tcx_cmd_show },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	/* about 300 KB: the snapshot and plan of one command */
	struct tcxctl *tc = calloc(1, sizeof(*tc));
	int ret;

	if (!tc) {
		fputs("tcxctl: out of memory\n", stderr);
		return 1;
	}
	tc->tcx = -1;
	const struct nk_tool tool = {
		.name = "tcxctl",
		.synopsis = synopsis,
		.cmds = cmds,
		.default_cmd = "show",
		.features = features,
		.batch = true,
		.priv = tc,
	};

	ret = nk_main(&tool, argc, argv);
	free(tc);
	return ret;
}
