/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver every tool's main() is: global options, -n, -b, -V, help,
 * command dispatch by unique prefix, one JSON document per invocation.
 */
#ifndef NK_CLI_H
#define NK_CLI_H

#include "args.h"
#include "ctx.h"

struct nk_cmd {
	const char *name;
	int (*run)(struct nk_ctx *ctx, struct nk_args *a);
};

struct nk_tool {
	const char *name;
	const char *synopsis;		/* the grammar, shared by help and man page */
	const struct nk_cmd *cmds;	/* NULL-name terminated */
	const char *default_cmd;	/* run when no command is given, or NULL */
	/* A tool-specific global option (argv[0] is the option): returns 0 if
	 * it took it, -1 if it is not the tool's, or an exit code. */
	int (*option)(struct nk_ctx *ctx, struct nk_args *a);
	/* Fields for -V: the features the running kernel has. */
	void (*features)(struct nk_ctx *ctx);
	void (*cleanup)(struct nk_ctx *ctx);
	/* At the end of a batch, also one that failed: carry out what the
	 * tool's commands deferred. Returns an exit code. */
	int (*batch_end)(struct nk_ctx *ctx);
	bool batch;			/* takes -b FILE */
	void *priv;
};

int nk_main(const struct nk_tool *tool, int argc, char **argv);

#endif
