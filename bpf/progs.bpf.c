// SPDX-License-Identifier: GPL-2.0
/* Test object with several programs, to pick one by section or by name. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int nk_pass2(struct __sk_buff *skb)
{
	return 0;
}

SEC("tcx/ingress")
int nk_drop2(struct __sk_buff *skb)
{
	return 2;
}

SEC("tcx/egress")
int nk_next2(struct __sk_buff *skb)
{
	return -1;
}

char LICENSE[] SEC("license") = "GPL";
