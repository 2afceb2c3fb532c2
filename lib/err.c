// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "err.h"
#include "exit.h"
#include "nl.h"

static void prefix(struct nk_ctx *ctx)
{
	fprintf(stderr, "%s: ", ctx->prog);
	if (ctx->line)
		fprintf(stderr, "%s:%u: ", ctx->batch, ctx->line);
}

static void vmsg(struct nk_ctx *ctx, const char *fmt, va_list ap)
{
	prefix(ctx);
	vfprintf(stderr, fmt, ap);
}

void nk_msg(struct nk_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctx, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int nk_usage(struct nk_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctx, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try \"%s help\")\n", ctx->prog);
	return NK_EXIT_USAGE;
}

int nk_unsupp(struct nk_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctx, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return NK_EXIT_UNSUPP;
}

const char *nk_strerror(int err)
{
	static char buf[128];

	if (err < 0)
		err = -err;
	if (err >= 4000 && err < 4100) {	/* libbpf's own codes, LIBBPF_ERRNO__* */
		libbpf_strerror(err, buf, sizeof(buf));
		return buf;
	}
	return strerror(err);
}

int nk_fail(struct nk_ctx *ctx, const struct nl *nl, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(ctx, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, ": %s", nk_strerror(err));
	if (nl && nl->extack[0])
		fprintf(stderr, " (kernel: %s)", nl->extack);
	fputc('\n', stderr);
	return NK_EXIT_FAIL;
}

void nk_warn_extack(struct nk_ctx *ctx, const struct nl *nl)
{
	if (nl && nl->extack[0]) {
		prefix(ctx);
		fprintf(stderr, "warning from the kernel: %s\n", nl->extack);
	}
}
