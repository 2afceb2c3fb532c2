/* SPDX-License-Identifier: GPL-2.0 */
/* netkit: a pair's configuration as a plain struct, the pure functions
 * between it and rtnetlink messages, and what the running kernel's netkit
 * accepts (probe.h). The tools' words for it live in the tools. */
#ifndef NK_NETKIT_H
#define NK_NETKIT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>
#include "compat.h"
#include "link.h"

/* The fields of a configuration, as bits of nk_side.seen / nk_conf.seen
 * (nkctl's keywords, in this order) */
enum nk_kw {
	KW_MODE, KW_POLICY, KW_SCRUB, KW_HEADROOM, KW_TAILROOM, KW_PAIRING,
	KW_ADDRESS, KW_MTU, KW_TXQ, KW_RXQ, KW_UP, KW_DOWN, KW_PEER,
	KW_NAME, KW_NETNS,
	/* the link sizes, in enum link_size's order */
	KW_TXQLEN, KW_GSO_MAX_SIZE, KW_GRO_MAX_SIZE, KW_GSO_IPV4_MAX_SIZE, KW_GRO_IPV4_MAX_SIZE,
	KW_COUNT
};


struct nk_side {
	uint64_t seen;		/* keywords given for this side */
	const char *name;	/* peer only */
	const char *netns;	/* peer only */
	uint32_t policy;	/* NETKIT_PASS / NETKIT_DROP */
	uint32_t scrub;
	uint8_t mac[6];
	uint32_t mtu;
	uint32_t size[LINK_SIZE_COUNT];	/* KW_TXQLEN + i */
};

/* The keyword of a link size, and the size of a keyword */
#define KW_SIZE(i) ((enum nk_kw)(KW_TXQLEN + (i)))
#define KW_SIZE_BITS (((1ULL << LINK_SIZE_COUNT) - 1) << KW_TXQLEN)

struct nk_conf {
	const char *name;
	struct nk_side dev, peer;	/* dev.seen also holds the device-wide keywords */
	uint32_t mode, pairing;
	uint32_t headroom, tailroom;
	uint32_t txqueues, rxqueues;
};

static inline bool has(const struct nk_side *s, enum nk_kw kw)
{
	return s->seen & (1ULL << kw);
}

/* Build the RTM_NEWLINK that creates the pair; peer_netns_fd < 0 keeps the
 * peer in the current namespace; peer_template names an unnamed peer. */
void nk_build_add(struct nlmsghdr *nlh, const struct nk_conf *c, int peer_netns_fd,
		  const char *peer_template);
/* Build the RTM_NEWLINK that changes device ifindex. */
void nk_build_set(struct nlmsghdr *nlh, const struct nk_conf *c, int ifindex);
/* A peer name template that cannot collide with the primary's name. */
const char *nk_peer_template(const char *primary);

/* The netkit attributes (IFLA_NETKIT_*), one table that drives the parser
 * of nkctl, the messages built, show's printing, the feature probe and the
 * kernel-version refusals. Adding an attribute: its IFLA constant in
 * compat.h, a field, an nk_kw entry and a row here. */
struct nk_attr {
	int kw;			/* its field and keyword (enum nk_kw); -1: read only */
	const char *word;	/* nkctl's keyword, and show's text label */
	int type;		/* IFLA_NETKIT_*: the device's (or the pair's) value */
	int peer_type;		/* IFLA_NETKIT_* of the peer's value, set through the
				 * primary; 0: one value for the pair */
	int size;		/* 2 or 4 bytes on the wire */
	const char *const *names;	/* words of an enumeration (NULL: a number) */
	const uint32_t *values;		/* ... and the values they stand for */
	uint32_t min, max;	/* a number's range */
	const char *key, *peer_key;	/* show's JSON keys ("policy", "peer_policy") */
	const char *unit;	/* a number's, in nkctl's help ("BYTES") */
	bool settable;		/* set may change it on a live device */
	const char *since;	/* the Linux version that has it, if later than netkit's 6.7 */
	size_t off;		/* of its value: in struct nk_side if peer_type, else in
				 * struct nk_conf */
};
extern const struct nk_attr nk_attr_table[];
extern const size_t nk_attr_count;
/* The row of a keyword or word, or NULL */
const struct nk_attr *nk_attr_of(int kw);
const struct nk_attr *nk_attr_by_word(const char *word);
/* Where its value is: in c, or for a per-side attribute in s */
uint32_t *nk_attr_value(struct nk_conf *c, struct nk_side *s, const struct nk_attr *a);
uint32_t nk_attr_get(const struct nk_conf *c, const struct nk_side *s, const struct nk_attr *a);
/* Its value as nkctl's help and man page write it: "{ l2 | l3 }" (the
 * names, in the table's order), "BYTES" (a number's unit). 0, or -1 where
 * buf is too short. Pure. */
int nk_attr_usage(const struct nk_attr *a, char *buf, size_t len);
/* The word of an enumeration's value, or NULL */
const char *nk_attr_name(const struct nk_attr *a, uint32_t v);
/* The keywords of the table, as nk_kw bits: all, or the settable ones,
 * of the device (peer false) or of the peer */
uint64_t nk_attr_kws(bool peer, bool settable);
/* The keywords of the attributes newer than netkit (with a "since"): the
 * ones the feature probe must confirm, as nk_kw bits */
uint64_t nk_attr_probed(void);

/* The netkit attributes of one link message. */
struct nk_attrs {
	bool has[NK_IFLA_NETKIT_MAX + 1];
	uint32_t val[NK_IFLA_NETKIT_MAX + 1];
	int unknown[8];		/* attribute types we do not know */
	int nunknown;
};
void nk_parse_attrs(const struct nlattr *info_data, struct nk_attrs *na);

#endif
