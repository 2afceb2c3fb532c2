// SPDX-License-Identifier: GPL-2.0
/* sockreap: walk the TCP and UDP sockets of the namespace the iterator was
 * created in, destroy those that match the filter, and write a record of
 * each match to the iterator's seq_file. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "sockreap.h"
#include "sockrec.bpf.h"

extern int bpf_sock_destroy(struct sock_common *sk) __ksym;

/* What to select: set before load, read-only after (the verifier sees it as
 * constants). Whether to destroy it, else a dry run, is writable data: a
 * kernel without bpf_sock_destroy refuses the program either way, so that
 * the bpf backend means the kfunc, for list as for kill. */
const volatile struct nk_filter filter = {};
bool destroy = false;

static __always_inline int visit(struct seq_file *seq, struct sock_common *sk, __u8 proto,
				 __u32 uid)
{
	struct nk_sock s;

	if (!sk || (sk->skc_family != AF_INET && sk->skc_family != AF_INET6))
		return 0;
	if (nk_aborted(sk, proto))
		return 0;
	nk_fill(&s, sk);
	s.proto = proto;
	s.uid = uid;
	s.cookie = bpf_get_socket_cookie(sk);
	if (!nk_sock_match(&filter, &s))
		return 0;
	if (destroy)
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
