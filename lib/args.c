// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include "args.h"
#include "link.h"
#include "err.h"
#include "exit.h"

int nk_lookup(const char *word, const char *const *words, bool prefix)
{
	size_t len = strlen(word);
	int found = -1;

	for (int i = 0; words[i]; i++) {
		if (!strcmp(word, words[i]))
			return i;
		if (prefix && len && !strncmp(word, words[i], len))
			found = found == -1 ? i : -2;
	}
	return found;
}

int args_value(struct nk_ctx *ctx, struct nk_args *a, const char *kw, const char **val)
{
	*val = args_next(a);
	if (!*val)
		return nk_usage(ctx, "\"%s\" needs a value", kw);
	return 0;
}

int args_once(struct nk_ctx *ctx, uint64_t *seen, unsigned int bit, const char *kw)
{
	if (*seen & (1ULL << bit))
		return nk_usage(ctx, "duplicate \"%s\"", kw);
	*seen |= 1ULL << bit;
	return 0;
}

/* Decimal, whatever the leading zeros; hex only with "0x" and only where
 * the caller allows it. */
static int parse_number(struct nk_ctx *ctx, const char *kw, const char *s, bool hex,
			uint64_t min, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	int base = 10;
	char *end;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		goto bad;
	if (hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		if (!isxdigit((unsigned char)s[2]))
			goto bad;
	}
	x = strtoull(s, &end, base);
	if (errno || *end || x < min || x > max)
		goto bad;
	*v = x;
	return 0;
bad:
	return nk_usage(ctx, "invalid %s \"%s\" (expected %s%llu..%llu)", kw, s,
			hex ? "0xHEX or " : "", (unsigned long long)min, (unsigned long long)max);
}

int parse_uint(struct nk_ctx *ctx, const char *kw, const char *s,
	       uint64_t min, uint64_t max, uint64_t *v)
{
	return parse_number(ctx, kw, s, false, min, max, v);
}

int parse_uint_hex(struct nk_ctx *ctx, const char *kw, const char *s,
		   uint64_t min, uint64_t max, uint64_t *v)
{
	return parse_number(ctx, kw, s, true, min, max, v);
}

int parse_choice(struct nk_ctx *ctx, const char *kw, const char *s,
		 const char *const *words, int *idx)
{
	char list[256] = "";

	*idx = nk_lookup(s, words, false);
	if (*idx >= 0)
		return 0;
	for (int i = 0; words[i]; i++) {
		strncat(list, i ? " | " : "", sizeof(list) - strlen(list) - 1);
		strncat(list, words[i], sizeof(list) - strlen(list) - 1);
	}
	return nk_usage(ctx, "invalid %s \"%s\" (expected { %s })", kw, s, list);
}

int parse_lladdr(struct nk_ctx *ctx, const char *kw, const char *s, uint8_t mac[6])
{
	int err = link_parse_mac(s, mac);

	if (err == -EINVAL)
		return nk_usage(ctx, "invalid %s \"%s\" (expected xx:xx:xx:xx:xx:xx)", kw, s);
	if (err && (mac[0] & 1))
		return nk_usage(ctx, "invalid %s \"%s\": a multicast address cannot be a device address", kw, s);
	if (err)
		return nk_usage(ctx, "invalid %s \"%s\": the all-zero address cannot be a device address", kw, s);
	return 0;
}

int parse_ifname(struct nk_ctx *ctx, const char *kw, const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len >= IFNAMSIZ)
		return nk_usage(ctx, "invalid %s \"%s\": a device name has 1 to %d bytes",
				kw, s, IFNAMSIZ - 1);
	if (!strcmp(s, ".") || !strcmp(s, "..") || strpbrk(s, "/: \t\n"))
		return nk_usage(ctx, "invalid %s \"%s\": a device name cannot be . or .. or contain '/', ':' or blanks",
				kw, s);
	return 0;
}

int nk_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *r = line, *w = line;

	for (;;) {
		char quote = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			break;
		if (argc == max)
			return -E2BIG;
		argv[argc++] = w;
		for (; *r; r++) {
			if (quote) {
				if (*r == quote)
					quote = 0;
				else if (*r == '\\' && quote == '"' && r[1])
					*w++ = *++r;
				else
					*w++ = *r;
			} else if (*r == '"' || *r == '\'') {
				quote = *r;
			} else if (*r == '\\' && r[1]) {
				*w++ = *++r;
			} else if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
				r++;
				break;
			} else {
				*w++ = *r;
			}
		}
		if (quote)
			return -EINVAL;
		*w++ = '\0';
	}
	return argc;
}
