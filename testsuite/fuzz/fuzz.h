/* SPDX-License-Identifier: GPL-2.0 */
/* What the fuzz targets share: a context for the parsers (their messages
 * go to stderr: run with -close_fd_mask=2 to silence them), and arbitrary
 * bytes turned into words or netlink messages the way the
 * tools receive them. */
#ifndef NK_FUZZ_H
#define NK_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "ctx.h"
#include "nl.h"

#define FUZZ_MAX_WORDS 64

static struct nk_ctx fuzz_ctx = { .prog = "fuzz" };


/* The bytes as a command line: split as a batch line is (quotes and all).
 * Returns the words in a buffer the caller frees, or NULL. */
static inline char *fuzz_words(const uint8_t *data, size_t size, struct nk_args *a,
			       char **argv)
{
	char *buf = malloc(size + 1);

	if (!buf)
		return NULL;
	memcpy(buf, data, size);
	buf[size] = '\0';
	a->argc = nk_split(buf, argv, FUZZ_MAX_WORDS);
	a->argv = argv;
	if (a->argc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Each message of the bytes as the receive loop hands it on (nl_msg_ok),
 * in a buffer aligned as the socket's is. */
static inline void fuzz_messages(const uint8_t *data, size_t size,
				 void (*fn)(const struct nlmsghdr *nlh))
{
	void *buf = malloc(size ? size : 1);
	const struct nlmsghdr *nlh;
	size_t len = size;

	if (!buf)
		return;
	memcpy(buf, data, len);
	for (nlh = buf; nl_msg_ok(nlh, len); nlh = nl_msg_next(nlh, &len))
		fn(nlh);
	free(buf);
}

#endif
