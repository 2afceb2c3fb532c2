/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF data path of netkit pods (bpf/datapath.bpf.c). Per host
 * namespace, its maps are pinned in PIN_ROOT/NETNS_INODE/datapath/ (the
 * endpoint map, the stack's flows, the uplinks); its programs are pinned
 * links in the layout of lib/tcx/pins.h: a pod's on its pair's peer and
 * primary hooks (they go with the pair's other pins), an uplink's on its
 * tcx ingress.
 */
#ifndef NK_DP_H
#define NK_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "addr.h"
#include "datapath.h"

#define NK_DP_PIN_DIR "datapath"
#define NK_DP_ENDPOINTS "nk_dp_endpoints"
#define NK_DP_FLOWS "nk_dp_flows"
#define NK_DP_UPLINKS "nk_dp_uplinks"
#define NK_DP_RATES "nk_dp_rates"
#define NK_DP_WIRE_PROG "nk_dp_from_wire"
#define NK_DP_PACE_OUT_PROG "nk_dp_pace_out"
#define NK_DP_PACE_IN_PROG "nk_dp_pace_in"

/* The current namespace's data path directory. 0 or -errno. */
int nk_dp_dir(char *buf, size_t len);

/* --- the programs (load.c: the embedded skeleton) --- */
struct nk_dp;
/* Load the programs with the namespace's maps (pinned at first use, reused
 * after), holding the namespace's data path lock until nk_dp_free. A new
 * build's first load moves every link of ours in the namespace to its
 * programs and carries the entries of maps pinned with an older layout
 * into its own. 0 or -errno; *step says which step failed. */
int nk_dp_load(struct nk_dp **out, const char **step);
void nk_dp_free(struct nk_dp *dp);
/* The pod's programs on the pair whose host end is ifindex, as pinned
 * links: the forwarder last on the peer hook (after the pod's own
 * programs), the flow recorder first on the primary hook. 0 or -errno. */
int nk_dp_attach_pod(struct nk_dp *dp, int ifindex);
/* The wire program on uplink ifindex's tcx ingress, once per uplink: a
 * link of ours there with the same program stays, one with another
 * (an older nktools') is updated in place, so that traffic keeps
 * flowing; the uplink joins the forwarder's uplinks. 0 or -errno. */
int nk_dp_attach_uplink(struct nk_dp *dp, int ifindex);

/* A pod's pacers on the pair whose host end is ifindex, as pinned links:
 * egress, last on the peer hook (attach it before the forwarder, which
 * comes after it); ingress, on the host end's tcx egress (an fq qdisc
 * there honours its times). 0 or -errno. */
int nk_dp_attach_bw(struct nk_dp *dp, int ifindex, bool egress, bool ingress);

/* --- the maps (endpoints.c, rates.c: no programs needed) --- */
/* The pinned map name of the current namespace: an fd, or -ENOENT where
 * there is no data path. */
int nk_dp_map(const char *name);
/* A value of map fd under key (key_size bytes), read into v (size bytes)
 * or written from it, whatever build's layout the map has: a longer value
 * is cut to size, a shorter one read with zeros after it, written with
 * what fits. 0 or -errno (-EPROTO: the map's keys are not key_size). */
int nk_dp_value_get(int fd, const void *key, size_t key_size, void *v, size_t size);
int nk_dp_value_put(int fd, const void *key, size_t key_size, const void *v, size_t size);
/* An address's key in the endpoint map. Pure. */
void nk_dp_key(const struct nk_ip *ip, struct nk_dp_addr *key);
/* The address of a key. Pure. */
void nk_dp_key_ip(const struct nk_dp_addr *key, struct nk_ip *ip);
/* ip -> ep, replacing (counters and all) what was there. 0 or -errno. */
int nk_dp_endpoint_put(int fd, const struct nk_ip *ip, const struct nk_dp_endpoint *ep);
/* ip's entry into ep: 0, -ENOENT or -errno. */
int nk_dp_endpoint_get(int fd, const struct nk_ip *ip, struct nk_dp_endpoint *ep);
/* ip's entry goes if it points at ifindex, or (0) at a device that is gone
 * (if_indextoname in the current namespace): 0, also when there is none,
 * or -errno. */
int nk_dp_endpoint_del(int fd, const struct nk_ip *ip, int ifindex);
struct nk_dp_entry {
	struct nk_ip ip;
	struct nk_dp_endpoint ep;
};
/* The uplink map's entries whose device is gone from the current
 * namespace. 0 or -errno. */
int nk_dp_uplinks_prune(int fd);
/* Every entry, in *out (malloc'd, *n of them). 0 or -errno. */
int nk_dp_endpoints_read(int fd, struct nk_dp_entry **out, size_t *n);

/* A pod's bandwidth, as the runtime gives it: rates in bits per second
 * (0: none), bursts in bits */
struct nk_dp_bw {
	uint64_t egress_rate, egress_burst, ingress_rate, ingress_burst;
};
/* The rate map's entry of host end ifindex: written anew (its state and
 * counters reset), read (-ENOENT: none), removed (0 also when there is
 * none). 0 or -errno. */
int nk_dp_rate_put(int fd, int ifindex, const struct nk_dp_bw *bw);
int nk_dp_rate_get(int fd, int ifindex, struct nk_dp_rate *r);
int nk_dp_rate_del(int fd, int ifindex);
/* The entry of bw, state zero. Pure. */
void nk_dp_rate_of(const struct nk_dp_bw *bw, struct nk_dp_rate *r);
struct nk_dp_rate_entry {
	int ifindex;
	struct nk_dp_rate r;
};
/* Every entry into *out (malloc'd, *n of them). 0 or -errno. */
int nk_dp_rates_read(int fd, struct nk_dp_rate_entry **out, size_t *n);
/* The entries whose host end is gone from the current namespace. 0 or
 * -errno. */
int nk_dp_rates_prune(int fd);

#endif
