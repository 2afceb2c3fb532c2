/* SPDX-License-Identifier: GPL-2.0 */
/* What the BPF programs share: a socket's record from its sock_common. */
#ifndef NK_SOCKREC_BPF_H
#define NK_SOCKREC_BPF_H

#define AF_INET		2
#define AF_INET6	10
#define ECONNABORTED	103

static __always_inline void nk_fill(struct nk_sock *s, const struct sock_common *sk)
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

/* A UDP socket bound to an explicit port stays hashed after a destroy,
 * disconnected, with the error pending until its owner reads it: it was
 * destroyed already, and is not news to a second kill. */
static __always_inline int nk_aborted(const struct sock_common *sk, __u8 proto)
{
	return proto == NK_PROTO_UDP && sk->skc_state == TCP_CLOSE &&
	       ((const struct sock *)sk)->sk_err == ECONNABORTED;
}

#endif
