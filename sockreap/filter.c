// SPDX-License-Identifier: GPL-2.0
/* FILTER words -> struct nk_filter. Pure. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "exit.h"
#include "reap_words.h"

/* TCP_* states by ss's names (UDP: established = connected, close = not) */
static const char *const state_names[] = {
	"unknown", "established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2",
	"time-wait", "close", "close-wait", "last-ack", "listen", "closing",
	"new-syn-recv", NULL,
};

/* what "state" takes: the names above but "unknown", then the groups */
static const char *const state_words[] = {
	"established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait",
	"close", "close-wait", "last-ack", "listen", "closing", "new-syn-recv",
	"connected", "all", NULL,
};
#define STATE_WORD_CONNECTED	12

static __u32 state_word_mask(int idx)
{
	if (idx == STATE_WORD_CONNECTED)
		return REAP_STATES_CONNECTED;
	if (idx == STATE_WORD_CONNECTED + 1)
		return REAP_STATES_ALL;
	return 1u << (idx + 1);
}

const char *reap_state_name(unsigned int state)
{
	return state < sizeof(state_names) / sizeof(state_names[0]) - 1 ? state_names[state] : "unknown";
}

bool reap_filter_empty(const struct nk_filter *f)
{
	return !f->proto_mask && !f->family_mask && !f->state_mask && !f->sport_set &&
	       !f->dport_set && !f->dst.set && !f->dst.port_set && !f->src.set &&
	       !f->src.port_set && !f->ncookies;
}

static int parse_port(struct nk_ctx *ctx, const char *kw, const char *s, __u16 *port)
{
	uint64_t v;
	int ret = parse_uint(ctx, kw, s, 1, 65535, &v);

	*port = v;
	return ret;
}

/* PREFIX[:PORT]: 10.0.0.1, 10.0.0.0/8:80, fd00::1, [fd00::/64]:443, *:53 */
static int parse_prefix(struct nk_ctx *ctx, const char *kw, const char *arg, struct nk_prefix *p)
{
	char buf[128], *addr = buf, *port = NULL, *slash;
	uint64_t len;
	int max, ret;

	if (strlen(arg) >= sizeof(buf))
		goto bad;
	strcpy(buf, arg);
	if (buf[0] == '[') {
		char *end = strchr(buf, ']');

		if (!end)
			goto bad;
		*end = '\0';
		addr = buf + 1;
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			goto bad;
	} else if (!strncmp(buf, "*:", 2)) {
		buf[1] = '\0';
		port = buf + 2;
	} else if (strchr(buf, '.') && strchr(buf, ':') == strrchr(buf, ':')) {
		/* IPv4 with a port; "::ffff:10.0.0.1" is IPv6 (a port needs brackets) */
		port = strchr(buf, ':');
		if (port)
			*port++ = '\0';
	}
	memset(p, 0, sizeof(*p));
	if (port && (ret = parse_port(ctx, kw, port, &p->port)))
		return ret;
	p->port_set = port != NULL;
	if (!strcmp(addr, "*"))
		return 0;
	slash = strchr(addr, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, addr, p->addr + 12) == 1) {
		p->addr[10] = p->addr[11] = 0xff;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, p->addr) == 1) {
		max = 128;
	} else {
		goto bad;
	}
	len = max;
	if (slash && (ret = parse_uint(ctx, "prefix length", slash, 0, max, &len)))
		return ret;
	p->len = len + (128 - max);
	p->set = 1;
	return 0;
bad:
	return nk_usage(ctx, "invalid %s \"%s\" (expected PREFIX[:PORT], e.g. 10.0.0.0/8:80 or [fd00::1]:443)",
			kw, arg);
}

enum { F_PROTO, F_FAMILY, F_DST, F_SRC, F_DPORT, F_SPORT, F_COOKIE, F_ALL };

static int set_proto(struct nk_ctx *ctx, struct nk_args *a, const char *w, struct nk_filter *f,
		     bool *all)
{
	f->proto_mask = w[0] == 't' ? NK_PROTO_TCP : NK_PROTO_UDP;
	return 0;
}

static int set_family(struct nk_ctx *ctx, struct nk_args *a, const char *w, struct nk_filter *f,
		      bool *all)
{
	f->family_mask = w[1] == '4' ? NK_FAM_V4 : NK_FAM_V6;
	return 0;
}

static int set_prefix(struct nk_ctx *ctx, struct nk_args *a, const char *w, struct nk_filter *f,
		      bool *all)
{
	const char *v;

	return args_value(ctx, a, w, &v) ?: parse_prefix(ctx, w, v, w[0] == 'd' ? &f->dst : &f->src);
}

static int set_port(struct nk_ctx *ctx, struct nk_args *a, const char *w, struct nk_filter *f,
		    bool *all)
{
	bool d = w[0] == 'd';
	const char *v;
	int ret = args_value(ctx, a, w, &v) ?: parse_port(ctx, w, v, d ? &f->dport : &f->sport);

	if (!ret && d)
		f->dport_set = 1;
	else if (!ret)
		f->sport_set = 1;
	return ret;
}

/* may be given more than once: any of them */
static int set_state(struct nk_ctx *ctx, struct nk_args *a, const char *w, struct nk_filter *f,
		     bool *all)
{
	const char *v;
	int idx, ret = args_value(ctx, a, w, &v) ?: parse_choice(ctx, "state", v, state_words, &idx);

	if (!ret)
		f->state_mask |= state_word_mask(idx);
	return ret;
}

static int set_cookies(struct nk_ctx *ctx, struct nk_args *a, const char *w, struct nk_filter *f,
		       bool *all)
{
	char list[512], *tok, *save;
	const char *v;
	int ret = args_value(ctx, a, w, &v);

	if (ret)
		return ret;
	snprintf(list, sizeof(list), "%s", v);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t c;

		if (f->ncookies == NK_MAX_COOKIES)
			return nk_usage(ctx, "at most %d cookies", NK_MAX_COOKIES);
		if ((ret = parse_uint_hex(ctx, "cookie", tok, 1, UINT64_MAX, &c)))
			return ret;
		f->cookies[f->ncookies++] = c;
	}
	return f->ncookies ? 0 : nk_usage(ctx, "cookie needs at least one value");
}

static int set_all(struct nk_ctx *ctx, struct nk_args *a, const char *w, struct nk_filter *f,
		   bool *all)
{
	*all = true;
	return 0;
}

/* The filter's words as data: each word's slot (said once; -1: any number
 * of times), how it is named when repeated, and what it sets */
static const struct {
	const char *word;
	int slot;
	const char *once;
	int (*set)(struct nk_ctx *ctx, struct nk_args *a, const char *w, struct nk_filter *f,
		   bool *all);
} filter_words[] = {
	{ "tcp", F_PROTO, "tcp/udp", set_proto }, { "udp", F_PROTO, "tcp/udp", set_proto },
	{ "-4", F_FAMILY, "-4/-6", set_family }, { "-6", F_FAMILY, "-4/-6", set_family },
	{ "dst", F_DST, NULL, set_prefix }, { "src", F_SRC, NULL, set_prefix },
	{ "dport", F_DPORT, NULL, set_port }, { "sport", F_SPORT, NULL, set_port },
	{ "state", -1, NULL, set_state }, { "cookie", F_COOKIE, NULL, set_cookies },
	{ "all", F_ALL, NULL, set_all },
};

int reap_parse_filter(struct nk_ctx *ctx, struct nk_args *a, struct nk_filter *f, bool *all)
{
	uint64_t seen = 0;
	const char *w;
	int ret;

	memset(f, 0, sizeof(*f));
	*all = false;
	while ((w = args_next(a))) {
		size_t i;

		for (i = 0; i < sizeof(filter_words) / sizeof(filter_words[0]); i++)
			if (!strcmp(w, filter_words[i].word))
				break;
		if (i == sizeof(filter_words) / sizeof(filter_words[0]))
			return nk_usage(ctx, "unknown filter word \"%s\"", w);
		if (filter_words[i].slot >= 0 &&
		    (ret = args_once(ctx, &seen, filter_words[i].slot,
				     filter_words[i].once ? filter_words[i].once : w)))
			return ret;
		if ((ret = filter_words[i].set(ctx, a, w, f, all)))
			return ret;
	}
	return 0;
}
