// SPDX-License-Identifier: GPL-2.0
/* Command line -> struct nk_conf. Pure: no netlink, no system state. */
#include <string.h>
#include "compat.h"
#include "err.h"
#include "exit.h"
#include "nk_words.h"

/* nkctl's own words; the netkit attributes' are their table's (lib/netkit) */
static const struct {
	const char *word;
	enum nk_kw kw;
} words[] = {
	{ "address", KW_ADDRESS }, { "mtu", KW_MTU }, { "txqueues", KW_TXQ },
	{ "rxqueues", KW_RXQ }, { "up", KW_UP }, { "down", KW_DOWN }, { "peer", KW_PEER },
	{ "name", KW_NAME }, { "netns", KW_NETNS }, { "txqueuelen", KW_TXQLEN },
	{ "gso_max_size", KW_GSO_MAX_SIZE }, { "gro_max_size", KW_GRO_MAX_SIZE },
	{ "gso_ipv4_max_size", KW_GSO_IPV4_MAX_SIZE }, { "gro_ipv4_max_size", KW_GRO_IPV4_MAX_SIZE },
};

static int kw_of(const char *word)
{
	const struct nk_attr *a = nk_attr_by_word(word);

	if (a)
		return a->kw;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(words[i].word, word))
			return words[i].kw;
	return -1;
}

const char *nk_kw_word(int kw)
{
	const struct nk_attr *a = nk_attr_of(kw);

	if (a)
		return a->word;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if ((int)words[i].kw == kw)
			return words[i].word;
	return "?";
}

/* Which keywords each place accepts: nkctl's own, and the table's (every
 * attribute when the device is made, the settable ones after) */
#define BIT(k) (1ULL << (k))
static const uint64_t add_dev_own = BIT(KW_ADDRESS) | BIT(KW_MTU) | BIT(KW_TXQ) | BIT(KW_RXQ) |
	BIT(KW_UP) | BIT(KW_PEER) | KW_SIZE_BITS;
static const uint64_t add_peer_own = BIT(KW_NAME) | BIT(KW_NETNS) | BIT(KW_ADDRESS) |
	BIT(KW_MTU) | BIT(KW_UP) | KW_SIZE_BITS;
static const uint64_t set_dev_own = BIT(KW_ADDRESS) | BIT(KW_MTU) | BIT(KW_UP) | BIT(KW_DOWN) |
	BIT(KW_PEER) | KW_SIZE_BITS;
/* fixed when the device is created */
static const uint64_t immutable_own = BIT(KW_TXQ) | BIT(KW_RXQ) | BIT(KW_NAME) | BIT(KW_NETNS);

static int parse_attr(struct nk_ctx *ctx, struct nk_conf *c, struct nk_side *s,
		      const struct nk_attr *a, const char *what, const char *v)
{
	uint64_t n;
	int idx, ret;

	if (a->names) {
		if ((ret = parse_choice(ctx, what, v, a->names, &idx)))
			return ret;
		*nk_attr_value(c, s, a) = a->values[idx];
		return 0;
	}
	if ((ret = parse_uint(ctx, what, v, a->min, a->max, &n)))
		return ret;
	*nk_attr_value(c, s, a) = n;
	return 0;
}

static int parse_value(struct nk_ctx *ctx, struct nk_conf *c, struct nk_side *s,
		       enum nk_kw kw, const char *v, bool peer)
{
	char what[32];
	uint64_t n;
	int ret = 0;

	snprintf(what, sizeof(what), "%s%s", peer ? "peer " : "", nk_kw_word(kw));
	if (nk_attr_of(kw))
		return parse_attr(ctx, c, s, nk_attr_of(kw), what, v);
	switch (kw) {
	case KW_MTU:
		ret = parse_uint(ctx, what, v, 68, 65535, &n);
		s->mtu = n;
		break;
	case KW_TXQ:
	case KW_RXQ:
		ret = parse_uint(ctx, what, v, 1, 4096, &n);
		if (kw == KW_TXQ)
			c->txqueues = n;
		else
			c->rxqueues = n;
		break;
	case KW_ADDRESS:
		ret = parse_lladdr(ctx, what, v, s->mac);
		break;
	case KW_TXQLEN:
		ret = parse_uint(ctx, what, v, 0, UINT32_MAX, &n);
		s->size[LINK_TXQLEN] = n;
		break;
	case KW_GSO_MAX_SIZE:
	case KW_GRO_MAX_SIZE:
	case KW_GSO_IPV4_MAX_SIZE:
	case KW_GRO_IPV4_MAX_SIZE:
		/* the kernel's ceiling for both (GSO_MAX_SIZE, GRO_MAX_SIZE);
		 * it checks the device's own limits */
		ret = parse_uint(ctx, what, v, 1, 524280, &n);
		s->size[kw - KW_TXQLEN] = n;
		break;
	case KW_NAME:
		ret = parse_ifname(ctx, what, v);
		s->name = v;
		break;
	case KW_NETNS:
		if (!*v)
			ret = nk_usage(ctx, "empty %s", what);
		s->netns = v;
		break;
	default:
		break;
	}
	return ret;
}

static bool takes_value(enum nk_kw kw)
{
	return kw != KW_UP && kw != KW_DOWN && kw != KW_PEER;
}

static int parse_words(struct nk_ctx *ctx, struct nk_args *a, struct nk_conf *c,
		       uint64_t dev_ok, uint64_t peer_ok, const char *cmd)
{
	struct nk_side *s = &c->dev;
	bool peer = false;
	const char *word;
	int ret;

	memset(c, 0, sizeof(*c));
	c->mode = NK_NETKIT_L3;
	c->dev.scrub = c->peer.scrub = NK_NETKIT_SCRUB_DEFAULT;
	c->name = args_next(a);
	if (!c->name)
		return nk_usage(ctx, "%s needs a device name", cmd);
	ret = parse_ifname(ctx, "device name", c->name);
	if (ret)
		return ret;

	while ((word = args_next(a))) {
		int kw = kw_of(word);
		uint64_t ok = peer ? peer_ok : dev_ok;
		const char *v = NULL;

		if (kw < 0)
			return nk_usage(ctx, "unknown keyword \"%s\"%s", word,
					peer ? " after \"peer\"" : "");
		if (!(ok & BIT(kw))) {
			if (!strcmp(cmd, "set") &&
			    ((immutable_own | (nk_attr_kws(false, false) & ~nk_attr_kws(false, true))) &
			     BIT(kw)))
				return nk_usage(ctx, "%s%s cannot be changed after the device is created",
						peer ? "peer " : "", word);
			if (!strcmp(cmd, "set") && peer)
				return nk_usage(ctx, "only \"peer policy\" can be set through the primary; "
						"change the peer's %s with \"nkctl -n NETNS set PEER %s ...\"",
						word, word);
			return nk_usage(ctx, "\"%s\" is not allowed %s", word,
					peer ? "after \"peer\"" : "here");
		}
		if (kw == KW_DOWN && has(s, KW_UP))
			return nk_usage(ctx, "\"up\" and \"down\" together");
		if (kw == KW_UP && has(s, KW_DOWN))
			return nk_usage(ctx, "\"up\" and \"down\" together");
		ret = args_once(ctx, &s->seen, kw, word);
		if (ret)
			return ret;
		if (kw == KW_PEER) {
			s = &c->peer;
			peer = true;
			continue;
		}
		if (takes_value(kw)) {
			ret = args_value(ctx, a, word, &v);
			if (!ret)
				ret = parse_value(ctx, c, s, kw, v, peer);
			if (ret)
				return ret;
		}
		/* set: "peer policy X" is one phrase; the device's words may follow */
		if (peer && !strcmp(cmd, "set")) {
			s = &c->dev;
			peer = false;
		}
	}
	return 0;
}

int nk_parse_add(struct nk_ctx *ctx, struct nk_args *a, struct nk_conf *c)
{
	int ret = parse_words(ctx, a, c, add_dev_own | nk_attr_kws(false, false),
			      add_peer_own | nk_attr_kws(true, false), "add");

	if (ret)
		return ret;
	if (c->mode == NK_NETKIT_L3 && (has(&c->dev, KW_ADDRESS) || has(&c->peer, KW_ADDRESS)))
		return nk_usage(ctx, "an address needs \"mode l2\": an l3 netkit device has no MAC address");
	if (c->pairing == NK_NETKIT_DEVICE_SINGLE) {
		if (has(&c->dev, KW_PEER))
			return nk_usage(ctx, "\"pairing single\" creates a device without a peer: remove the peer options");
		if (has(&c->dev, KW_POLICY) && c->dev.policy != NK_NETKIT_PASS)
			return nk_usage(ctx, "\"pairing single\" allows only \"policy forward\"");
	}
	if (c->peer.name && !c->peer.netns && !strcmp(c->peer.name, c->name))
		return nk_usage(ctx, "the peer needs a name other than \"%s\" in the same namespace",
				c->name);
	return 0;
}

int nk_parse_set(struct nk_ctx *ctx, struct nk_args *a, struct nk_conf *c)
{
	int ret = parse_words(ctx, a, c, set_dev_own | nk_attr_kws(false, true),
			      nk_attr_kws(true, true), "set");

	if (ret)
		return ret;
	if (has(&c->dev, KW_PEER) && !c->peer.seen)
		return nk_usage(ctx, "\"peer\" needs \"policy\" after it");
	if (!(c->dev.seen & ~BIT(KW_PEER)) && !c->peer.seen)
		return nk_usage(ctx, "set needs something to change");
	return 0;
}
