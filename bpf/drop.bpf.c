// SPDX-License-Identifier: GPL-2.0
/* Test program: drop every packet (TCX_DROP). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int nk_drop(struct __sk_buff *skb)
{
	return 2;	/* TCX_DROP / TC_ACT_SHOT */
}

char LICENSE[] SEC("license") = "GPL";
