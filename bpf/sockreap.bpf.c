// SPDX-License-Identifier: GPL-2.0
/* sockreap: walk the TCP and UDP sockets of the namespace the iterator was
 * created in, destroy those that match the filter, and write a record of
 * each match to the iterator's seq_file. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "sockreap.h"

#define AF_INET		2
#define AF_INET6	10
#define ECONNABORTED	103

extern int bpf_sock_destroy(struct sock_common *sk) __ksym;

struct nk_filter filter = {};

static __always_inline void fill(struct nk_sock *s, const struct sock_common *sk)
{
	__builtin_memset(s, 0, sizeof(*s));
	s->family = sk->skc_family;
	s->state = sk->skc_state;
	s->sport = sk->skc_num;
	s->dport = __builtin_bswap16(sk->skc_dport);
	if (s->family == AF_INET) {
		__u32 src = sk->skc_rcv_saddr, dst = sk->skc_daddr;

		s->saddr[10] = s->saddr[11] = 0xff;
		s->daddr[10] = s->daddr[11] = 0xff;
		__builtin_memcpy(&s->saddr[12], &src, 4);
		__builtin_memcpy(&s->daddr[12], &dst, 4);
	} else {
		BPF_CORE_READ_INTO(&s->saddr, sk, skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&s->daddr, sk, skc_v6_daddr.in6_u.u6_addr8);
	}
}

static __always_inline int visit(struct seq_file *seq, struct sock_common *sk, __u8 proto,
				 __u32 uid)
{
	struct nk_sock s;

	if (!sk || (sk->skc_family != AF_INET && sk->skc_family != AF_INET6))
		return 0;
	/* A UDP socket bound to an explicit port stays hashed after a destroy,
	 * disconnected, with the error pending until its owner reads it: it
	 * was destroyed already, and is not news to a second kill. */
	if (proto == NK_PROTO_UDP && sk->skc_state == TCP_CLOSE &&
	    ((struct sock *)sk)->sk_err == ECONNABORTED)
		return 0;
	fill(&s, sk);
	s.proto = proto;
	s.uid = uid;
	s.cookie = bpf_get_socket_cookie(sk);
	if (!nk_sock_match(&filter, &s))
		return 0;
	if (!filter.dry_run)
		s.result = bpf_sock_destroy(sk);
	bpf_seq_write(seq, &s, sizeof(s));
	return 0;
}

SEC("iter/tcp")
int nk_reap_tcp(struct bpf_iter__tcp *ctx)
{
	return visit(ctx->meta->seq, ctx->sk_common, NK_PROTO_TCP, ctx->uid);
}

SEC("iter/udp")
int nk_reap_udp(struct bpf_iter__udp *ctx)
{
	struct udp_sock *udp = ctx->udp_sk;

	if (!udp)
		return 0;
	return visit(ctx->meta->seq, (struct sock_common *)udp, NK_PROTO_UDP, ctx->uid);
}

char LICENSE[] SEC("license") = "GPL";
