/* SPDX-License-Identifier: GPL-2.0 */
/* One call of the plugin: what the runtime gave, and what it is doing. */
#ifndef CNI_PLUGIN_H
#define CNI_PLUGIN_H

#include "cni.h"
#include "ipam.h"
#include "ctx.h"
#include "link.h"
#include "nl.h"
#include <stdint.h>

struct plugin {
	struct nk_ctx ctx;	/* for lib calls: their diagnostics go to err */
	struct cni_conf c;
	char *text;		/* stdin */
	size_t len;
	const char *id, *netns, *ifname, *args;
	char dev[16];		/* the host end */
	struct nl *nl;		/* rtnetlink, host namespace */
	struct cni_err err;
	int lock_fd, att_fd;	/* the network's lock and the attachment's */
	/* the configuration the IPAM plugin gets: ours, or (ipam_prepare)
	 * with the newest cniVersion it speaks when it does not speak ours */
	const char *ipam_version;
	char *ipam_text;
	bool ipam_asked;	/* its VERSION: which of cni_versions it speaks */
	unsigned int ipam_speaks;
};

/* The attachment record: what one ADD made, read by DEL and GC. */
#define REC_MAX_IPS CNI_MAX_IPS
struct record {
	char id[256], ifname[16], dev[16], netns[512];
	struct nk_ip ip[REC_MAX_IPS];
	size_t nip;
	int ifindex;		/* of the host end, for its pins */
	bool complete;		/* ADD finished */
};
int record_path(const struct plugin *p, const char *dev, const char *ext, char *buf, size_t len);
int record_write(struct plugin *p, const struct record *r);
/* 0, -ENOENT, or -errno/-EINVAL */
int record_read(const struct plugin *p, const char *dev, struct record *r);
void record_remove(const struct plugin *p, const char *dev);
/* The IPAM plugin's result for the attachment of dev, kept beside its
 * record (DEV.ipam) from ADD to DEL: a retried ADD takes it again instead
 * of releasing the lease and asking anew, so that nobody else is given the
 * addresses meanwhile. Write: 0 or an error code; read: the result, or
 * NULL where none is kept or it is not the record's addresses. */
int record_lease_write(struct plugin *p, const char *dev, const struct json *res);
struct json *record_lease_read(const struct plugin *p, const struct record *r);
/* An address into the record (a callback of route_list_hosts): 0 */
int record_collect_ip(const struct nk_ip *ip, void *data);
/* Take the network's lock (shared, or exclusive for GC) and, with dev,
 * the attachment's. An error code after cni_fail. */
int lock_take(struct plugin *p, bool exclusive, const char *dev);
void lock_drop(struct plugin *p);

/* DEL destroys the sockets connected to an attachment's addresses while
 * the IPAM plugin releases them: each address is marked meanwhile
 * (reap_mark, fds[n]), and an ADD given one waits for its mark to go. */
void reap_mark(struct plugin *p, const struct nk_ip *ip, size_t n, int *fds);
void reap_unmark(struct plugin *p, const struct nk_ip *ip, size_t n, int *fds);
void reap_wait(struct plugin *p, const struct nk_ip *ip);

/* A record of this call's attachment (id, ifname, dev, netns), nothing made */
void record_init(struct plugin *p, struct record *r);

int cmd_add(struct plugin *p);
int cmd_del(struct plugin *p);
int cmd_check(struct plugin *p);
int cmd_gc(struct plugin *p);
int cmd_status(struct plugin *p);

/* What DEL undoes, given the attachment's record or what was found: the
 * programs, the pair, the lease (IPAM DEL as id/ifname, unless keep_lease:
 * a retried ADD's), the sockets connected to the addresses. Every step runs, past an error (each finds
 * its part gone or removes it); the first error is returned. */
int teardown(struct plugin *p, const struct record *r, bool keep_lease);

/* GC's search for what no record says is ours (gc.c): pairs of this
 * network by their alias, host-local's leases, pins of devices that are
 * gone; each attachment not valid goes. 0 or the first error code. */
int gc_pairs(struct plugin *p);
int gc_leases(struct plugin *p);
void gc_pins(void);
/* Does the IPAM plugin speak CNI 1.1 (GC, STATUS)? */
bool ipam_speaks_1_1(struct plugin *p);

/* The IPAM plugin with this command (and cni_args), our configuration
 * (conf_text, or the one we were given) on stdin. On success *res is
 * its result (ADD) or NULL. An error code after cni_fail (or with its
 * own error object in err.raw). */
void ipam_prepare(struct plugin *p);
/* The same in two halves, so that other work goes on while it runs */
int ipam_begin(struct plugin *p, const char *command, const char *id, const char *ifname,
	       const char *conf_text, struct ipam_job *job);
int ipam_end(struct plugin *p, const char *command, struct ipam_job *job, struct json **res);
int ipam_call(struct plugin *p, const char *command, const char *container_id,
	      const char *ifname, const char *conf_text, struct json **res);

/* The netkit pair of ADD, with the pod's addresses and routes and the
 * host's routes; and the program. Error codes after cni_fail. */
struct cni_made;
int net_create(struct plugin *p, int netns_fd, int *ifindex);
int net_configure(struct plugin *p, int netns_fd, int ifindex, struct cni_ipam *r,
		  struct cni_made *m);
int net_attach(struct plugin *p, int ifindex);
/* netkit and every feature the configuration asks for, by the probe kept
 * for the boot (NK_PROBE_CACHE): 0, or code (E_KERNEL for ADD, 50 for
 * STATUS) with the missing one. */
int net_features(struct plugin *p, int code);
/* The data path's uplinks (*n of them, at most CNI_MAX_DEVICES): the
 * devices named, else the default routes'. 0 or an error code. */
int net_uplinks(struct plugin *p, int *oif, int *n);
/* The BPF data path for the pair whose host end is ifindex ("bpf"): the
 * programs on the uplinks oif[n] (once) and on the pair, the pod's
 * addresses in the endpoint map; and its rates (runtimeConfig.bandwidth,
 * either data path): the rate map's entry, fq on the uplinks (egress), the
 * pacer and the policer on the pair. 0 or an error code. */
int net_datapath_add(struct plugin *p, int ifindex, const struct cni_made *m,
		     const struct cni_ipam *r, const int *oif, int n);
/* The endpoint map's entries of these addresses, where they point at
 * ifindex (0: at a device that is gone), and ifindex's rate (if not 0) */
void net_datapath_del(const struct nk_ip *ip, size_t n, int ifindex);
/* The endpoint, rate and uplink entries whose device is gone. 0 or -errno. */
int net_datapath_prune(void);
/* A device by name (if name) or ifindex in nl's namespace: its message,
 * parsed into l. 0, -ENODEV or -errno. */
struct link_buf {
	struct link l;
	char msg[8192];
};
int net_link(struct nl *nl, const char *name, int ifindex, struct link_buf *b);
/* The ifindex of a host device, 0 if there is none. */
int net_ifindex(struct plugin *p, const char *dev);
/* Our pins of ifindex in the current namespace: gone. */
void net_unpin(int ifindex);
/* Delete dev (and its pins); gone already: the pins of ifindex (if not 0)
 * unless another device has that index now. */
int net_delete(struct plugin *p, const char *dev, int ifindex);
int net_reap(struct plugin *p, const struct nk_ip *ip, size_t n);
/* Is ip routed to a netkit device other than ifindex: another pod's? */
bool net_other_pod(struct plugin *p, const struct nk_ip *ip, int ifindex);

/* STATUS of an IPAM plugin without one (host-local): is a range set full?
 * (pool.c) */
int ipam_pool_status(struct plugin *p);
/* An address range as host-local reads one: [start, end] without the
 * gateway, in the low 32 bits (v6 ranges wider than that never fill). */
struct span {
	int family;
	uint8_t base[16];	/* the subnet, masked */
	int plen;
	uint64_t start, end;	/* offsets within the subnet */
	uint64_t gw;		/* offset, or UINT64_MAX */
};

int pool_span(const struct json *r, struct span *s);
uint64_t pool_size(const struct span *s);
bool pool_has(const struct span *s, const struct nk_ip *ip);

#endif
