// SPDX-License-Identifier: GPL-2.0
/* Test program: count packets and let the next program decide (TCX_NEXT). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 packets = 0;

SEC("tc")
int nk_count(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&packets, 1);
	return -1;	/* TCX_NEXT / TC_ACT_UNSPEC */
}

char LICENSE[] SEC("license") = "GPL";
