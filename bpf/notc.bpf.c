// SPDX-License-Identifier: GPL-2.0
/* Test program of the wrong type for tc/tcx (XDP). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int nk_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
