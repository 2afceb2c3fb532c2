// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "err.h"
#include "exit.h"
#include "nl.h"

/* One diagnostic, whole: to the context's sink, else to stderr after
 * "PROG: " (and "FILE:LINE: " in a batch). */
static void emit(struct nk_ctx *ctx, const char *msg)
{
	if (ctx->sink) {
		ctx->sink(ctx, msg);
		return;
	}
	if (ctx->line)
		fprintf(stderr, "%s: %s:%u: %s\n", ctx->prog, ctx->batch, ctx->line, msg);
	else
		fprintf(stderr, "%s: %s\n", ctx->prog, msg);
}

struct msg {
	char buf[1024];
	size_t len;
};

static void add(struct msg *m, const char *fmt, va_list ap)
{
	if (m->len < sizeof(m->buf)) {
		int n = vsnprintf(m->buf + m->len, sizeof(m->buf) - m->len, fmt, ap);

		m->len = n < 0 ? m->len : m->len + n < sizeof(m->buf) ? m->len + n : sizeof(m->buf) - 1;
	}
}

static void addf(struct msg *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(m, fmt, ap);
	va_end(ap);
}

void nk_msg(struct nk_ctx *ctx, const char *fmt, ...)
{
	struct msg m = { .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	add(&m, fmt, ap);
	va_end(ap);
	emit(ctx, m.buf);
}

int nk_usage(struct nk_ctx *ctx, const char *fmt, ...)
{
	struct msg m = { .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	add(&m, fmt, ap);
	va_end(ap);
	addf(&m, " (try \"%s help\")", ctx->prog);
	emit(ctx, m.buf);
	return NK_EXIT_USAGE;
}

int nk_unsupp(struct nk_ctx *ctx, const char *fmt, ...)
{
	struct msg m = { .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	add(&m, fmt, ap);
	va_end(ap);
	emit(ctx, m.buf);
	return NK_EXIT_UNSUPP;
}

const char *nk_strerror(int err)
{
	/* libbpf's words need a buffer: one per thread, as strerror's */
	static _Thread_local char buf[128];

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
	struct msg m = { .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	add(&m, fmt, ap);
	va_end(ap);
	if (err)
		addf(&m, ": %s", nk_strerror(err));
	if (nl && nl->extack[0])
		addf(&m, " (kernel: %s)", nl->extack);
	emit(ctx, m.buf);
	return NK_EXIT_FAIL;
}

void nk_warn_extack(struct nk_ctx *ctx, const struct nl *nl)
{
	struct msg m = { .len = 0 };

	if (nl && nl->extack[0]) {
		addf(&m, "warning from the kernel: %s", nl->extack);
		emit(ctx, m.buf);
	}
}
