// SPDX-License-Identifier: GPL-2.0
/* The netkit attribute table, and a link message's IFLA_INFO_DATA ->
 * struct nk_attrs. Pure. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "nl.h"
#include "netkit/netkit.h"

static const char *const mode_names[] = { "l2", "l3", NULL };
static const uint32_t mode_values[] = { NK_NETKIT_L2, NK_NETKIT_L3 };
static const char *const type_names[] = { "peer", "primary", NULL };
static const uint32_t type_values[] = { 0, 1 };
static const char *const policy_names[] = { "forward", "blackhole", NULL };
static const uint32_t policy_values[] = { NK_NETKIT_PASS, NK_NETKIT_DROP };
static const char *const scrub_names[] = { "default", "none", NULL };
static const uint32_t scrub_values[] = { NK_NETKIT_SCRUB_DEFAULT, NK_NETKIT_SCRUB_NONE };
static const char *const pairing_names[] = { "pair", "single", NULL };
static const uint32_t pairing_values[] = { NK_NETKIT_DEVICE_PAIR, NK_NETKIT_DEVICE_SINGLE };

#define ENUM(n) .size = 4, .names = n##_names, .values = n##_values
#define CONF(f) .off = offsetof(struct nk_conf, f)
#define SIDE(f) .off = offsetof(struct nk_side, f)

/* In show's order */
const struct nk_attr nk_attr_table[] = {
	{ .kw = KW_MODE, .word = "mode", .type = NK_IFLA_NETKIT_MODE, ENUM(mode),
	  .key = "mode", CONF(mode) },
	{ .kw = -1, .word = "type", .type = NK_IFLA_NETKIT_PRIMARY, ENUM(type), .key = "type" },
	{ .kw = KW_POLICY, .word = "policy", .type = NK_IFLA_NETKIT_POLICY,
	  .peer_type = NK_IFLA_NETKIT_PEER_POLICY, ENUM(policy), .key = "policy",
	  .peer_key = "peer_policy", .settable = true,
	  SIDE(policy) },
	{ .kw = KW_SCRUB, .word = "scrub", .type = NK_IFLA_NETKIT_SCRUB,
	  .peer_type = NK_IFLA_NETKIT_PEER_SCRUB, ENUM(scrub), .key = "scrub",
	  .peer_key = "peer_scrub", .since = "6.13",
	  SIDE(scrub) },
	{ .kw = KW_HEADROOM, .word = "headroom", .type = NK_IFLA_NETKIT_HEADROOM, .size = 2,
	  .max = UINT16_MAX, .key = "headroom", .unit = "BYTES", .since = "6.14",
	  CONF(headroom) },
	{ .kw = KW_TAILROOM, .word = "tailroom", .type = NK_IFLA_NETKIT_TAILROOM, .size = 2,
	  .max = UINT16_MAX, .key = "tailroom", .unit = "BYTES", .since = "6.14",
	  CONF(tailroom) },
	{ .kw = KW_PAIRING, .word = "pairing", .type = NK_IFLA_NETKIT_PAIRING, ENUM(pairing),
	  .key = "pairing", .since = "7.1",
	  CONF(pairing) },
};
const size_t nk_attr_count = sizeof(nk_attr_table) / sizeof(nk_attr_table[0]);

const struct nk_attr *nk_attr_of(int kw)
{
	for (size_t i = 0; i < nk_attr_count; i++)
		if (nk_attr_table[i].kw == kw && kw >= 0)
			return &nk_attr_table[i];
	return NULL;
}

const struct nk_attr *nk_attr_by_word(const char *word)
{
	for (size_t i = 0; i < nk_attr_count; i++)
		if (nk_attr_table[i].kw >= 0 && !strcmp(nk_attr_table[i].word, word))
			return &nk_attr_table[i];
	return NULL;
}

uint32_t *nk_attr_value(struct nk_conf *c, struct nk_side *s, const struct nk_attr *a)
{
	return (uint32_t *)((a->peer_type ? (char *)s : (char *)c) + a->off);
}

uint32_t nk_attr_get(const struct nk_conf *c, const struct nk_side *s, const struct nk_attr *a)
{
	return *(const uint32_t *)((a->peer_type ? (const char *)s : (const char *)c) + a->off);
}

int nk_attr_usage(const struct nk_attr *a, char *buf, size_t len)
{
	size_t n = 0;

	if (!a->names)
		return snprintf(buf, len, "%s", a->unit ? a->unit : "N") >= (int)len ? -1 : 0;
	buf[0] = 0;
	for (int i = 0; a->names[i]; i++) {
		n += snprintf(buf + n, n < len ? len - n : 0, "%s %s", i ? " |" : "{", a->names[i]);
		if (n >= len)
			return -1;
	}
	return snprintf(buf + n, len - n, " }") >= (int)(len - n) ? -1 : 0;
}

const char *nk_attr_name(const struct nk_attr *a, uint32_t v)
{
	for (int i = 0; a->names && a->names[i]; i++)
		if (a->values[i] == v)
			return a->names[i];
	return NULL;
}

uint64_t nk_attr_kws(bool peer, bool settable)
{
	uint64_t kws = 0;

	for (size_t i = 0; i < nk_attr_count; i++) {
		const struct nk_attr *a = &nk_attr_table[i];

		if (a->kw >= 0 && (!peer || a->peer_type) && (!settable || a->settable))
			kws |= 1ULL << a->kw;
	}
	return kws;
}

uint64_t nk_attr_probed(void)
{
	uint64_t kws = 0;

	for (size_t i = 0; i < nk_attr_count; i++)
		if (nk_attr_table[i].kw >= 0 && nk_attr_table[i].since)
			kws |= 1ULL << nk_attr_table[i].kw;
	return kws;
}

void nk_parse_attrs(const struct nlattr *info_data, struct nk_attrs *na)
{
	const struct nlattr *a;

	memset(na, 0, sizeof(*na));
	if (!info_data)
		return;
	nla_for_each_nested(a, info_data) {
		int type = nla_type(a);
		size_t len = nla_len(a);

		if (type <= 0 || type > NK_IFLA_NETKIT_MAX) {
			if (na->nunknown < (int)(sizeof(na->unknown) / sizeof(na->unknown[0])))
				na->unknown[na->nunknown++] = type;
			continue;
		}
		na->has[type] = true;
		if (len >= 4)
			na->val[type] = nla_u32(a);
		else if (len >= 2)
			na->val[type] = nla_u16(a);
		else if (len >= 1)
			na->val[type] = nla_u8(a);
	}
}
