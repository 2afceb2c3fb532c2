/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF data path's maps, shared by its programs (datapath.bpf.c) and
 * user space (lib/datapath): the endpoint map (a pod address -> its pair)
 * and the flows that reached a pod through the host's stack.
 * Addresses are 16 bytes; IPv4 is stored v4-mapped (::ffff:a.b.c.d).
 *
 * The layout of a pinned map changes only by appending fields to its value:
 * a new build carries an older one's entries into its own maps (the old
 * value is the new one's start, the rest zero; lib/datapath/load.c). A key
 * never changes.
 */
#ifndef NK_DATAPATH_H
#define NK_DATAPATH_H

#include <linux/types.h>

#define NK_DP_MAX_ENDPOINTS	65536
#define NK_DP_MAX_FLOWS		65536

/* endpoint map key: a pod's address */
struct nk_dp_addr {
	__u8 addr[16];
};

/* endpoint map value: where the pod is, and what the fast path did for it */
struct nk_dp_endpoint {
	__u32 ifindex;		/* the host end (the netkit primary), host namespace */
	__u32 flags;		/* NK_DP_EP_* */
	__u8 pod_mac[6];	/* the pod end's MAC (zero in l3) */
	__u8 host_mac[6];	/* the host end's MAC (zero in l3) */
	/* counters, updated by the programs (atomic adds) */
	__u64 to_packets, to_bytes;	/* delivered to the pod by the fast path */
	__u64 from_packets, from_bytes;	/* forwarded from the pod by the fast path */
};

/* The pod's traffic, both ways, takes the host's stack: it has an ingress
 * rate, paced by the fq qdisc of its host end, which the fast path's
 * redirects into the pod would skip (and a flow must take the stack both
 * ways or neither). */
#define NK_DP_EP_STACK	1

/* A flow as it travels towards a pod: source, destination, ports (0 for
 * protocols without), protocol. */
struct nk_dp_flow {
	__u8 src[16], dst[16];
	__u16 sport, dport;
	__u8 proto;
	__u8 pad[3];
};

/* rate map key: a pod's host end (ifindex); value: its bandwidth
 * (runtimeConfig.bandwidth), written by the plugin, and the programs'
 * state. Each packet gets an earliest departure time (EDT) at the rate,
 * which an fq qdisc honours: that of the uplink it leaves by (egress), that
 * of the host end (ingress); one that would leave later than
 * NK_DP_HORIZON_NS from now is dropped. The bursts are kept, not used:
 * pacing sends no burst above the rate. */
struct nk_dp_rate {
	__u64 egress_rate;	/* bits per second; 0: none */
	__u64 egress_burst;	/* bits, as given */
	__u64 ingress_rate;	/* bits per second; 0: none */
	__u64 ingress_burst;	/* bits, as given */
	/* the programs' state and counters */
	__u64 egress_next;	/* ns (monotonic): when the last packet leaves */
	__u64 ingress_next;
	__u64 egress_dropped, ingress_dropped;	/* packets past the horizon */
};

#define NK_DP_HORIZON_NS	2000000000ULL

#endif
