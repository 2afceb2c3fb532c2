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
#define NK_DP_WIRE_PROG "nk_dp_from_wire"

/* The current namespace's data path directory. 0 or -errno. */
int nk_dp_dir(char *buf, size_t len);

/* --- the programs (load.c: the embedded skeleton) --- */
struct nk_dp;
/* Load the programs with the namespace's maps (pinned at first use, reused
 * after), holding the namespace's data path lock until nk_dp_free. 0 or
 * -errno; *step says which step failed. */
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

/* --- the maps (endpoints.c: no programs needed) --- */
/* The pinned map name of the current namespace: an fd, or -ENOENT where
 * there is no data path. */
int nk_dp_map(const char *name);
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
/* Every entry, in *out (malloc'd, *n of them). 0 or -errno. */
int nk_dp_endpoints_read(int fd, struct nk_dp_entry **out, size_t *n);

#endif
