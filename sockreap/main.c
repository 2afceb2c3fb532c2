// SPDX-License-Identifier: GPL-2.0
/* sockreap list | kill: find (and destroy) matching sockets in every
 * network namespace. The options and the commands; cmd.c runs them,
 * print.c prints. */
#include <string.h>
#include "cli.h"
#include "reap_words.h"

static const char synopsis[] =
"Usage: sockreap [ OPTIONS ] { list | kill | help } [ FILTER ]\n"
"OPTIONS := { -j[son] | -p[retty] | -n[etns] NETNS | -b[atch] FILE | --backend { auto | bpf | diag } |\n"
"             -V[ersion] | -h[elp] }\n"
"FILTER  := [ tcp | udp ] [ -4 | -6 ] [ dst PREFIX[:PORT] ] [ src PREFIX[:PORT] ]\n"
"           [ dport PORT ] [ sport PORT ] [ state STATE ]... [ cookie COOKIE[,COOKIE...] ]\n"
"           [ all ]\n"
"FILE    := lines of { list | kill } FILTER\n"
"NETNS   := { NAME | PATH | PID }\n"
"STATE   := { established | syn-sent | syn-recv | fin-wait-1 | fin-wait-2 | time-wait |\n"
"             close | close-wait | last-ack | listen | closing | new-syn-recv |\n"
"             connected | all }\n";

const char *const backend_names[] = { "auto", "bpf", "diag", NULL };

static int option(struct nk_ctx *ctx, struct nk_args *a)
{
	struct reap *reap = ctx->priv;
	const char *opt = args_peek(a), *v;
	int idx, ret;

	if (strcmp(opt, "--backend") && strcmp(opt, "-backend"))
		return -1;
	args_next(a);
	if ((ret = args_value(ctx, a, opt, &v)) ||
	    (ret = parse_choice(ctx, "backend", v, backend_names, &idx)))
		return ret;
	reap->backend = idx;
	return 0;
}

static const struct nk_cmd cmds[] = {
	{ "list", reap_cmd_list },
	{ "kill", reap_cmd_kill },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	struct reap reap = { .backend = BACKEND_AUTO };
	const struct nk_tool tool = {
		.name = "sockreap",
		.synopsis = synopsis,
		.cmds = cmds,
		.option = option,
		.features = reap_cmd_features,
		.batch = true,
		.batch_run = reap_cmd_batch,
		.priv = &reap,
	};

	return nk_main(&tool, argc, argv);
}
