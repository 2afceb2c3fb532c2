// SPDX-License-Identifier: GPL-2.0
/* Test object: a program named like pass.bpf.o's, doing something else
 * (it drops), as a new version of a program would. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int nk_pass(struct __sk_buff *skb)
{
	return 2;	/* TC_ACT_SHOT */
}

char LICENSE[] SEC("license") = "GPL";
