// SPDX-License-Identifier: GPL-2.0
/* Test object with 64 distinct programs nk_m0 .. nk_m63 (all return NEXT):
 * enough to fill a hook (63) and one more, each its own name. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define PROG(n) SEC("tc") int nk_m##n(struct __sk_buff *skb) { return -1; }
#define PROG10(n) PROG(n##0) PROG(n##1) PROG(n##2) PROG(n##3) PROG(n##4) \
		  PROG(n##5) PROG(n##6) PROG(n##7) PROG(n##8) PROG(n##9)

PROG(0) PROG(1) PROG(2) PROG(3) PROG(4) PROG(5) PROG(6) PROG(7) PROG(8) PROG(9)
PROG10(1) PROG10(2) PROG10(3) PROG10(4) PROG10(5)
PROG(60) PROG(61) PROG(62) PROG(63)

char LICENSE[] SEC("license") = "GPL";
