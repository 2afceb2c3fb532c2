// SPDX-License-Identifier: GPL-2.0
/* Test program: accept every packet (TCX_PASS). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int nk_pass(struct __sk_buff *skb)
{
	return 0;	/* TCX_PASS / TC_ACT_OK */
}

char LICENSE[] SEC("license") = "GPL";
