// SPDX-License-Identifier: GPL-2.0
/* Command line -> struct nk_conf. Pure: no netlink, no system state. */
#include <string.h>
#include "compat.h"
#include "err.h"
#include "exit.h"
#include "netkit.h"

const char *const nk_keywords[] = {
	[KW_MODE] = "mode", [KW_POLICY] = "policy", [KW_SCRUB] = "scrub",
	[KW_HEADROOM] = "headroom", [KW_TAILROOM] = "tailroom",
	[KW_PAIRING] = "pairing", [KW_ADDRESS] = "address", [KW_MTU] = "mtu",
	[KW_TXQ] = "txqueues", [KW_RXQ] = "rxqueues", [KW_UP] = "up",
	[KW_DOWN] = "down", [KW_PEER] = "peer", [KW_NAME] = "name",
	[KW_NETNS] = "netns", [KW_TXQLEN] = "txqueuelen",
	[KW_GSO_MAX_SIZE] = "gso_max_size", [KW_GRO_MAX_SIZE] = "gro_max_size",
	[KW_GSO_IPV4_MAX_SIZE] = "gso_ipv4_max_size",
	[KW_GRO_IPV4_MAX_SIZE] = "gro_ipv4_max_size", [KW_COUNT] = NULL,
};
const char *const nk_mode_names[] = { "l2", "l3", NULL };
const char *const nk_policy_names[] = { "forward", "blackhole", NULL };
const char *const nk_scrub_names[] = { "none", "default", NULL };
const char *const nk_pairing_names[] = { "pair", "single", NULL };

/* policy words map to NETKIT_PASS / NETKIT_DROP */
static const uint32_t policy_values[] = { NK_NETKIT_PASS, NK_NETKIT_DROP };

/* Which keywords each place accepts. */
#define BIT(k) (1ULL << (k))
static const uint64_t add_dev_kws = BIT(KW_MODE) | BIT(KW_POLICY) | BIT(KW_SCRUB) |
	BIT(KW_HEADROOM) | BIT(KW_TAILROOM) | BIT(KW_PAIRING) | BIT(KW_ADDRESS) |
	BIT(KW_MTU) | BIT(KW_TXQ) | BIT(KW_RXQ) | BIT(KW_UP) | BIT(KW_PEER) | KW_SIZE_BITS;
static const uint64_t add_peer_kws = BIT(KW_NAME) | BIT(KW_NETNS) | BIT(KW_POLICY) |
	BIT(KW_SCRUB) | BIT(KW_ADDRESS) | BIT(KW_MTU) | BIT(KW_UP) | KW_SIZE_BITS;
static const uint64_t set_dev_kws = BIT(KW_POLICY) | BIT(KW_ADDRESS) | BIT(KW_MTU) |
	BIT(KW_UP) | BIT(KW_DOWN) | BIT(KW_PEER) | KW_SIZE_BITS;
static const uint64_t set_peer_kws = BIT(KW_POLICY);
/* fixed when the device is created */
static const uint64_t immutable_kws = BIT(KW_MODE) | BIT(KW_SCRUB) | BIT(KW_HEADROOM) |
	BIT(KW_TAILROOM) | BIT(KW_PAIRING) | BIT(KW_TXQ) | BIT(KW_RXQ) |
	BIT(KW_NAME) | BIT(KW_NETNS);

static int parse_value(struct nk_ctx *ctx, struct nk_conf *c, struct nk_side *s,
		       enum nk_kw kw, const char *v, bool peer)
{
	char what[32];
	uint64_t n;
	int idx, ret = 0;

	snprintf(what, sizeof(what), "%s%s", peer ? "peer " : "", nk_keywords[kw]);
	switch (kw) {
	case KW_MODE:
		ret = parse_choice(ctx, what, v, nk_mode_names, &idx);
		c->mode = idx == 0 ? NK_NETKIT_L2 : NK_NETKIT_L3;
		break;
	case KW_POLICY:
		ret = parse_choice(ctx, what, v, nk_policy_names, &idx);
		if (!ret)
			s->policy = policy_values[idx];
		break;
	case KW_SCRUB:
		ret = parse_choice(ctx, what, v, nk_scrub_names, &idx);
		s->scrub = idx == 0 ? NK_NETKIT_SCRUB_NONE : NK_NETKIT_SCRUB_DEFAULT;
		break;
	case KW_PAIRING:
		ret = parse_choice(ctx, what, v, nk_pairing_names, &idx);
		c->pairing = idx == 0 ? NK_NETKIT_DEVICE_PAIR : NK_NETKIT_DEVICE_SINGLE;
		break;
	case KW_HEADROOM:
	case KW_TAILROOM:
		ret = parse_uint(ctx, what, v, 0, UINT16_MAX, &n);
		if (kw == KW_HEADROOM)
			c->headroom = n;
		else
			c->tailroom = n;
		break;
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
		int kw = nk_lookup(word, nk_keywords, false);
		uint64_t ok = peer ? peer_ok : dev_ok;
		const char *v = NULL;

		if (kw < 0)
			return nk_usage(ctx, "unknown keyword \"%s\"%s", word,
					peer ? " after \"peer\"" : "");
		if (!(ok & BIT(kw))) {
			if (!strcmp(cmd, "set") && (immutable_kws & BIT(kw)))
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
		if (peer && peer_ok == set_peer_kws) {
			s = &c->dev;
			peer = false;
		}
	}
	return 0;
}

int nk_parse_add(struct nk_ctx *ctx, struct nk_args *a, struct nk_conf *c)
{
	int ret = parse_words(ctx, a, c, add_dev_kws, add_peer_kws, "add");

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
	int ret = parse_words(ctx, a, c, set_dev_kws, set_peer_kws, "set");

	if (ret)
		return ret;
	if (has(&c->dev, KW_PEER) && !c->peer.seen)
		return nk_usage(ctx, "\"peer\" needs \"policy\" after it");
	if (!(c->dev.seen & ~BIT(KW_PEER)) && !c->peer.seen)
		return nk_usage(ctx, "set needs something to change");
	return 0;
}
