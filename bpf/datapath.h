/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF data path's maps, shared by its programs (datapath.bpf.c) and
 * user space (lib/datapath): the endpoint map (a pod address -> its pair)
 * and the flows that reached a pod through the host's stack.
 * Addresses are 16 bytes; IPv4 is stored v4-mapped (::ffff:a.b.c.d).
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
	__u32 flags;		/* none yet */
	__u8 pod_mac[6];	/* the pod end's MAC (zero in l3) */
	__u8 host_mac[6];	/* the host end's MAC (zero in l3) */
	/* counters, updated by the programs (atomic adds) */
	__u64 to_packets, to_bytes;	/* delivered to the pod by the fast path */
	__u64 from_packets, from_bytes;	/* forwarded from the pod by the fast path */
};

/* A flow as it travels towards a pod: source, destination, ports (0 for
 * protocols without), protocol. */
struct nk_dp_flow {
	__u8 src[16], dst[16];
	__u16 sport, dport;
	__u8 proto;
	__u8 pad[3];
};

#endif
