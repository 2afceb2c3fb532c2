// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <linux/netlink.h>
#include "cli.h"
#include "err.h"
#include "exit.h"
#include "netns.h"
#include "nl.h"

#ifndef NK_VERSION
#define NK_VERSION "unknown"
#endif

/* The one libbpf log hook of every tool: silent unless NKTOOLS_DEBUG is
 * set (1: libbpf's warnings, such as a verifier log; 2: everything it
 * says), to stderr. TCXCTL_DEBUG and SOCKREAP_DEBUG are older spellings. */
int nk_libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	const char *v = getenv("NKTOOLS_DEBUG");

	if (!v)
		v = getenv("TCXCTL_DEBUG");
	if (!v)
		v = getenv("SOCKREAP_DEBUG");
	if (!v || !*v || !strcmp(v, "0"))
		return 0;
	if (level == LIBBPF_DEBUG && strcmp(v, "2"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

struct nl *nk_rtnl(struct nk_ctx *ctx)
{
	if (!ctx->rt) {
		struct nl *nl = calloc(1, sizeof(*nl));
		int err;

		if (!nl) {
			nk_fail(ctx, NULL, -ENOMEM, "cannot allocate a netlink socket");
			return NULL;
		}
		err = nl_open(nl, NETLINK_ROUTE);
		if (err) {
			nk_fail(ctx, NULL, err, "cannot open a netlink socket");
			free(nl);
			return NULL;
		}
		ctx->rt = nl;
	}
	return ctx->rt;
}

static void print_help(struct nk_ctx *ctx, const struct nk_tool *tool)
{
	if (ctx->json) {
		out_open(&ctx->out, NULL);
		out_str(&ctx->out, "synopsis", NULL, tool->synopsis);
		out_close(&ctx->out);
	} else {
		fputs(tool->synopsis, stdout);
	}
}

static int version(struct nk_ctx *ctx, const struct nk_tool *tool)
{
	struct out *o = &ctx->out;
	char libbpf[32];

	snprintf(libbpf, sizeof(libbpf), "%u.%u", libbpf_major_version(),
		 libbpf_minor_version());
	out_open(o, NULL);
	out_str(o, "tool", "%s", tool->name);
	out_str(o, "version", " nktools %s", NK_VERSION);
	out_str(o, "libbpf", ", libbpf %s\n", libbpf);
	if (tool->features) {
		out_text(o, "features:");
		out_open(o, "features");
		tool->features(ctx);
		out_close(o);
		out_text(o, "\n");
	}
	out_close(o);
	return NK_EXIT_OK;
}

static int dispatch(struct nk_ctx *ctx, const struct nk_tool *tool, struct nk_args *a)
{
	const char *names[32];
	const char *word = args_next(a);
	int n = 0, i;

	if (!word)
		word = tool->default_cmd;
	if (!word)
		return nk_usage(ctx, "no command given");
	for (; tool->cmds[n].name && n < 31; n++)
		names[n] = tool->cmds[n].name;
	names[n] = NULL;
	if (!strcmp(word, "help") || !strcmp(word, "-h") || !strcmp(word, "--help")) {
		print_help(ctx, tool);
		return NK_EXIT_OK;
	}
	i = nk_lookup(word, names, true);
	if (i == -2)
		return nk_usage(ctx, "ambiguous command \"%s\"", word);
	if (i < 0)
		return nk_usage(ctx, "unknown command \"%s\"", word);
	return tool->cmds[i].run(ctx, a);
}

int nk_batch_next(struct nk_ctx *ctx, FILE *f, char **line, size_t *cap, struct nk_args *a,
		  char **argv, int max)
{
	while (getline(line, cap, f) >= 0) {
		ctx->line++;
		a->argc = nk_split(*line, argv, max);
		a->argv = argv;
		if (a->argc == -E2BIG)
			return nk_usage(ctx, "too many words on one line");
		if (a->argc < 0)
			return nk_usage(ctx, "unterminated quote");
		if (a->argc > 0)
			return 0;
	}
	if (ferror(f))	/* e.g. a directory: EISDIR */
		return nk_fail(ctx, NULL, -errno, "cannot read batch file %s", ctx->batch);
	return -1;
}

static int run_batch(struct nk_ctx *ctx, const struct nk_tool *tool)
{
	FILE *f = strcmp(ctx->batch, "-") ? fopen(ctx->batch, "r") : stdin;
	char *line = NULL, *argv[NK_BATCH_MAX_ARGS];
	size_t cap = 0;
	int ret = NK_EXIT_OK, r;

	if (!f)
		return nk_fail(ctx, NULL, -errno, "cannot open batch file %s", ctx->batch);
	if (tool->batch_run) {
		ret = tool->batch_run(ctx, f);
	} else {
		struct nk_args a;

		while ((r = nk_batch_next(ctx, f, &line, &cap, &a, argv, NK_BATCH_MAX_ARGS)) == 0) {
			ret = dispatch(ctx, tool, &a);
			if (ret != NK_EXIT_OK)
				break;
		}
		if (r > 0)
			ret = r;
	}
	if (tool->batch_end) {
		int end = tool->batch_end(ctx);

		if (ret == NK_EXIT_OK)
			ret = end;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

/* Global option words: each may be spelled -x, -word or --word. */
static const char *const gopts[] = { "json", "pretty", "netns", "batch", "Version", "help", NULL };
enum { G_JSON, G_PRETTY, G_NETNS, G_BATCH, G_VERSION, G_HELP };

static int global_option(const char *arg)
{
	const char *w = arg + 1;

	if (*w == '-')
		w++;
	if (!*w)
		return -1;
	return nk_lookup(w, gopts, true);
}

/* Is -j anywhere on the command line (before a "--")? Known before any
 * option is parsed, so that stdout is one JSON document whatever goes wrong
 * while parsing: also after an option's value ("--backend x --json", "-b
 * /tmp -j") or a bad option. No command's argument starts with "-j". */
static bool wants_json(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (argv[i][0] == '-' && global_option(argv[i]) == G_JSON)
			return true;
	return false;
}

/* The global options, up to the command. 0, or the exit code. */
static int parse_globals(struct nk_ctx *ctx, const struct nk_tool *tool, struct nk_args *a,
			 bool *show_version, bool *show_help)
{
	while (args_peek(a) && args_peek(a)[0] == '-') {
		const char *opt = args_peek(a);
		int g, ret;

		if (!strcmp(opt, "--")) {
			args_next(a);
			break;
		}
		if (tool->option) {
			ret = tool->option(ctx, a);
			if (ret > 0)
				return ret;
			if (ret == 0)
				continue;
		}
		g = global_option(opt);
		if (g == G_BATCH && !tool->batch)
			g = -1;
		args_next(a);
		switch (g) {
		case G_JSON:
			ctx->json = true;
			break;
		case G_PRETTY:
			ctx->pretty = true;
			break;
		case G_NETNS:
			if (args_value(ctx, a, opt, &ctx->netns))
				return NK_EXIT_USAGE;
			break;
		case G_BATCH:
			if (args_value(ctx, a, opt, &ctx->batch))
				return NK_EXIT_USAGE;
			break;
		case G_VERSION:
			*show_version = true;
			break;
		case G_HELP:
			*show_help = true;
			return 0;
		case -2:
			return nk_usage(ctx, "ambiguous option \"%s\"", opt);
		default:
			return nk_usage(ctx, "unknown option \"%s\"", opt);
		}
	}
	if (ctx->batch && a->argc)
		return nk_usage(ctx, "-batch takes no command on the command line");
	return 0;
}

static int enter_netns(struct nk_ctx *ctx)
{
	int fd = netns_open(ctx->netns), err;

	if (fd == -ENOENT) {
		nk_msg(ctx, "network namespace \"%s\" does not exist", ctx->netns);
		return NK_EXIT_NONE;
	}
	if (fd < 0)
		return nk_fail(ctx, NULL, fd, "cannot open network namespace \"%s\"", ctx->netns);
	err = netns_enter(fd, NULL);
	close(fd);
	if (err)
		return nk_fail(ctx, NULL, err, "cannot enter network namespace \"%s\"", ctx->netns);
	return 0;
}

int nk_main(const struct nk_tool *tool, int argc, char **argv)
{
	struct nk_ctx ctx = { .prog = tool->name, .priv = tool->priv };
	struct nk_args a = { argc - 1, argv + 1 };
	bool show_version = false, show_help = false;
	int ret;

	/* stdout is data only: with -j one JSON document, even after a usage
	 * error (then an empty one), whatever the error says on stderr */
	libbpf_set_print(nk_libbpf_log);
	ctx.json = wants_json(argc, argv);
	ret = parse_globals(&ctx, tool, &a, &show_version, &show_help);
	out_init(&ctx.out, stdout, ctx.json, ctx.pretty);
	out_begin(&ctx.out);
	if (!ret && show_help)
		print_help(&ctx, tool);
	else if (!ret && !(ctx.netns && (ret = enter_netns(&ctx)))) {
		if (show_version)
			ret = version(&ctx, tool);
		else if (ctx.batch)
			ret = run_batch(&ctx, tool);
		else
			ret = dispatch(&ctx, tool, &a);
	}
	out_end(&ctx.out);

	if (tool->cleanup)
		tool->cleanup(&ctx);
	if (ctx.rt) {
		nl_close(ctx.rt);
		free(ctx.rt);
	}
	return ret;
}
