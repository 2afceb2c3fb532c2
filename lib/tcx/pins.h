/* SPDX-License-Identifier: GPL-2.0 */
/* The layout of our pinned BPF links, shared by tcxctl and the CNI plugin:
 * /sys/fs/bpf/nktools/NETNS_INODE/IFINDEX/HOOK/link<ID>-<PROG>. The
 * namespace inode and ifindex key them, so same-named devices in different
 * namespaces never collide. */
#ifndef NK_TCX_PINS_H
#define NK_TCX_PINS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BPFFS "/sys/fs/bpf"
#define PIN_ROOT BPFFS "/nktools"

/* The directory of the current namespace's pins. 0 or -errno. */
int tcx_pin_ns_dir(char *buf, size_t len);
/* The directory of a hook ("peer", "ingress", ...) of ifindex in the
 * current namespace, made (with its parents) if create. 0 or -errno. */
int tcx_pin_dir(int ifindex, const char *hook, char *buf, size_t len, bool create);
/* The pin of link link_id of program prog in dir */
void tcx_pin_name(const char *dir, uint32_t link_id, const char *prog, char *buf, size_t len);
/* bpffs at BPFFS, mounted if it is not. 0 or -errno. */
int tcx_bpffs_ensure(void);
/* mkdir -p (mode 0700). 0 or -errno. */
int tcx_mkdirs(char *path);

#endif
