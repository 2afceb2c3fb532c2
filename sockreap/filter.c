// SPDX-License-Identifier: GPL-2.0
/* FILTER words -> struct nk_filter. Pure. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "exit.h"
#include "reap.h"

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

int reap_parse_filter(struct nk_ctx *ctx, struct nk_args *a, struct nk_filter *f, bool *all)
{
	uint64_t seen = 0;
	const char *w, *v;
	int ret, idx;

	memset(f, 0, sizeof(*f));
	*all = false;
	while ((w = args_next(a))) {
		if (!strcmp(w, "tcp") || !strcmp(w, "udp")) {
			if ((ret = args_once(ctx, &seen, F_PROTO, "tcp/udp")))
				return ret;
			f->proto_mask = w[0] == 't' ? NK_PROTO_TCP : NK_PROTO_UDP;
		} else if (!strcmp(w, "-4") || !strcmp(w, "-6")) {
			if ((ret = args_once(ctx, &seen, F_FAMILY, "-4/-6")))
				return ret;
			f->family_mask = w[1] == '4' ? NK_FAM_V4 : NK_FAM_V6;
		} else if (!strcmp(w, "dst") || !strcmp(w, "src")) {
			bool dst = w[0] == 'd';

			if ((ret = args_once(ctx, &seen, dst ? F_DST : F_SRC, w)) ||
			    (ret = args_value(ctx, a, w, &v)) ||
			    (ret = parse_prefix(ctx, w, v, dst ? &f->dst : &f->src)))
				return ret;
		} else if (!strcmp(w, "dport") || !strcmp(w, "sport")) {
			bool d = w[0] == 'd';

			if ((ret = args_once(ctx, &seen, d ? F_DPORT : F_SPORT, w)) ||
			    (ret = args_value(ctx, a, w, &v)) ||
			    (ret = parse_port(ctx, w, v, d ? &f->dport : &f->sport)))
				return ret;
			if (d)
				f->dport_set = 1;
			else
				f->sport_set = 1;
		} else if (!strcmp(w, "state")) {
			/* may be given more than once: any of them */
			if ((ret = args_value(ctx, a, w, &v)) ||
			    (ret = parse_choice(ctx, "state", v, state_words, &idx)))
				return ret;
			f->state_mask |= state_word_mask(idx);
		} else if (!strcmp(w, "cookie")) {
			char list[512], *tok, *save;

			if ((ret = args_once(ctx, &seen, F_COOKIE, w)) ||
			    (ret = args_value(ctx, a, w, &v)))
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
			if (!f->ncookies)
				return nk_usage(ctx, "cookie needs at least one value");
		} else if (!strcmp(w, "all")) {
			if ((ret = args_once(ctx, &seen, F_ALL, w)))
				return ret;
			*all = true;
		} else {
			return nk_usage(ctx, "unknown filter word \"%s\"", w);
		}
	}
	return 0;
}
