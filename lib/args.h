/* SPDX-License-Identifier: GPL-2.0 */
/* Argument cursor and value parsers. Parsers print their own usage error and
 * return NK_EXIT_USAGE, or return 0; they never exit. */
#ifndef NK_ARGS_H
#define NK_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include "ctx.h"

struct nk_args {
	int argc;
	char **argv;
};

static inline const char *args_peek(const struct nk_args *a)
{
	return a->argc > 0 ? a->argv[0] : NULL;
}

static inline const char *args_next(struct nk_args *a)
{
	if (a->argc <= 0)
		return NULL;
	a->argc--;
	return *a->argv++;
}

/* Index of word in the NULL-terminated list: exact match, or with prefix
 * set a unique prefix. -1: unknown, -2: ambiguous prefix. */
int nk_lookup(const char *word, const char *const *words, bool prefix);

/* The value after keyword kw. */
int args_value(struct nk_ctx *ctx, struct nk_args *a, const char *kw, const char **val);
/* Mark keyword bit as seen; a second time is a usage error. */
int args_once(struct nk_ctx *ctx, uint64_t *seen, unsigned int bit, const char *kw);

/* A decimal number in min..max ("0443" is 443); parse_uint_hex also takes
 * 0xHEX. Usage error otherwise. */
int parse_uint(struct nk_ctx *ctx, const char *kw, const char *s,
	       uint64_t min, uint64_t max, uint64_t *v);
int parse_uint_hex(struct nk_ctx *ctx, const char *kw, const char *s,
		   uint64_t min, uint64_t max, uint64_t *v);
int parse_choice(struct nk_ctx *ctx, const char *kw, const char *s,
		 const char *const *words, int *idx);
int parse_lladdr(struct nk_ctx *ctx, const char *kw, const char *s, uint8_t mac[6]);
int parse_ifname(struct nk_ctx *ctx, const char *kw, const char *s);

/* Split a batch line into words: blanks separate, "double" and 'single'
 * quotes group, backslash escapes, # starts a comment. Modifies line. */
int nk_split(char *line, char **argv, int max);

#endif
