/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver every tool's main() is: global options, -n, -b, -V, help,
 * command dispatch by unique prefix, one JSON document per invocation.
 */
#ifndef NK_CLI_H
#define NK_CLI_H

#include <stdio.h>
#include "args.h"
#include "ctx.h"

#define NK_BATCH_MAX_ARGS 128	/* words on one batch line */

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
	/* The whole batch at once (FILE open, one command a line), instead of
	 * one dispatch a line; reads the lines with nk_batch_next(). */
	int (*batch_run)(struct nk_ctx *ctx, FILE *f);
	void *priv;
};

int nk_main(const struct nk_tool *tool, int argc, char **argv);

/* The next batch line with words, split into a (its words point into
 * *line, which the caller frees); ctx->line is its number. 0, -1 at the
 * end, or an exit code (> 0) after saying why (too many words, a quote
 * left open, a read error). */
int nk_batch_next(struct nk_ctx *ctx, FILE *f, char **line, size_t *cap, struct nk_args *a,
		  char **argv, int max);

/* libbpf's log, as NKTOOLS_DEBUG asks (for libbpf_set_print) */
#include <stdarg.h>
#include <bpf/libbpf.h>
int nk_libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap);

#endif
