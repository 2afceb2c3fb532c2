/* SPDX-License-Identifier: GPL-2.0 */
/* What the running kernel's netkit can do, found out once per invocation by
 * creating a throwaway pair in a private namespace and reading it back:
 * kernels silently drop netkit attributes they do not know. */
#ifndef NK_NETKIT_PROBE_H
#define NK_NETKIT_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include "compat.h"

struct nk_features {
	bool probed;
	int err;		/* the probe itself failed (-errno), 0 if it ran */
	bool netkit;		/* 6.7 */
	/* the netkit attributes (IFLA_NETKIT_*) the kernel reports, and so
	 * knows (those of nk_attr_table with a "since" are probed) */
	bool known[NK_IFLA_NETKIT_MAX + 1];
	bool gro_max_size;	/* 5.16 */
	bool ipv4_max_size;	/* gso_ipv4_max_size and gro_ipv4_max_size, 6.3 */
};

/* Runs the probe on first call; later calls return the cached answer. */
const struct nk_features *nk_probe(struct nk_features *f);
/* The same, kept for the boot in the file path (e.g. on a tmpfs in /run):
 * the probe runs once per boot and build, not once per call; a failed one
 * is not kept. */
#define NK_PROBE_CACHE "/run/nktools/netkit-probe"
const struct nk_features *nk_probe_boot(struct nk_features *f, const char *path);
/* Of the table's attributes in seen (nk_kw bits), the first the kernel
 * lacks, or NULL. */
struct nk_attr;
const struct nk_attr *nk_attr_missing(const struct nk_features *f, uint64_t seen);

#endif
