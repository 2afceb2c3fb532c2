/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sockreap's one filter and one socket record, shared by the BPF iterator
 * (compiled by clang -target bpf) and user space (the sock_diag backend and
 * the printers), so that both backends match sockets by the same code.
 * Addresses are 16 bytes; IPv4 is stored v4-mapped (::ffff:a.b.c.d).
 */
#ifndef NK_SOCKREAP_H
#define NK_SOCKREAP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#ifdef __clang__
#define NK_UNROLL _Pragma("unroll")
#else
#define NK_UNROLL
#endif

/* In a BPF program the filter is read-only data set before load (const
 * volatile: read from the map, which the verifier knows as constants) */
#ifdef __bpf__
#define NK_FILTER_CONST const volatile
#else
#define NK_FILTER_CONST const
#endif

#define NK_MAX_COOKIES	16
#define NK_PROTO_TCP	1
#define NK_PROTO_UDP	2
#define NK_TASK_NS	(~0ULL)	/* an index holder: the task's own namespace */
#define NK_FAM_V4	1
#define NK_FAM_V6	2

struct nk_prefix {
	__u8 addr[16];
	__u8 len;		/* prefix length in the 128-bit space */
	__u8 set;
	__u8 port_set;
	__u8 pad;
	__u16 port;
};

struct nk_filter {
	__u8 proto_mask;	/* NK_PROTO_*; 0: both */
	__u8 family_mask;	/* NK_FAM_*; 0: both */
	__u8 sport_set, dport_set;
	__u8 pad[4];
	__u16 sport, dport;
	__u32 state_mask;	/* 1 << TCP_* state; 0: any */
	struct nk_prefix dst, src;
	__u32 ncookies;
	__u64 cookies[NK_MAX_COOKIES];
};

struct nk_sock {
	__u64 cookie;
	__u8 saddr[16], daddr[16];
	__u16 sport, dport;	/* host order */
	__u16 family;		/* AF_INET / AF_INET6 */
	__u8 proto;		/* NK_PROTO_* */
	__u8 state;		/* TCP_* (UDP: 1 connected, 7 not) */
	__u32 uid;
	__s32 result;		/* bpf_sock_destroy()'s answer; 0 in a dry run */
};

/* The socket index's records (sockindex.bpf.c): a TCP or UDP socket that a
 * process holds as a file, or a place where a process holds a namespace. */
#define NK_REC_SOCK	1
#define NK_REC_HOLDER	2
struct nk_index_rec {
	__u8 kind;		/* NK_REC_* */
	__u8 match;		/* a socket: the filter selects it */
	__u8 pad[2];
	__u32 netns;		/* the namespace's inode */
	__u32 pid;		/* a holder: the process (task) that holds netns ... */
	__u32 pad2;
	__u64 fd;		/* ... by this fd, or NK_TASK_NS: as its own */
	__u64 key;		/* a socket: its identity while it lives (its
				 * address; its cookie may not exist yet) */
	struct nk_sock sock;	/* a socket: the socket */
};
static inline __attribute__((always_inline))
int nk_prefix_match(NK_FILTER_CONST struct nk_prefix *p, const __u8 *addr, __u16 port)
{
	if (p->port_set && p->port != port)
		return 0;
	if (!p->set)
		return 1;
NK_UNROLL
	for (int i = 0; i < 16; i++) {
		int bits = p->len - i * 8;
		__u8 mask;

		if (bits <= 0)
			break;
		mask = bits >= 8 ? 0xff : (__u8)(0xff << (8 - bits));
		if ((addr[i] ^ p->addr[i]) & mask)
			return 0;
	}
	return 1;
}

/* Does socket s match filter f? The one definition for both backends. */
static inline __attribute__((always_inline))
int nk_sock_match(NK_FILTER_CONST struct nk_filter *f, const struct nk_sock *s)
{
	if (f->proto_mask && !(f->proto_mask & s->proto))
		return 0;
	if (f->family_mask && !(f->family_mask & (s->family == 2 ? NK_FAM_V4 : NK_FAM_V6)))
		return 0;
	if (f->state_mask && !(f->state_mask & (1u << (s->state & 31))))
		return 0;
	if (f->sport_set && f->sport != s->sport)
		return 0;
	if (f->dport_set && f->dport != s->dport)
		return 0;
	if (!nk_prefix_match(&f->dst, s->daddr, s->dport))
		return 0;
	if (!nk_prefix_match(&f->src, s->saddr, s->sport))
		return 0;
	if (f->ncookies) {
		int hit = 0;

NK_UNROLL
		for (int i = 0; i < NK_MAX_COOKIES; i++)
			if (i < (int)f->ncookies && f->cookies[i] == s->cookie)
				hit = 1;
		if (!hit)
			return 0;
	}
	return 1;
}

#endif
