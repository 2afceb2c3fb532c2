/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UAPI constants newer than the oldest kernel headers we build against
 * (linux-libc-dev 6.1 .. 6.12). Values from include/uapi/linux/{if_link,bpf}.h.
 * Every constant the build might not find in the system headers lives here
 * and nowhere else.
 */
#ifndef NK_COMPAT_H
#define NK_COMPAT_H

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/netlink.h>
#include <linux/bpf.h>

/* netkit link attributes (enum IFLA_NETKIT_*), all of them by value so the
 * code does not depend on which ones the installed headers know. */
#define NK_IFLA_NETKIT_PEER_INFO	1	/* 6.7 */
#define NK_IFLA_NETKIT_PRIMARY		2	/* 6.7 */
#define NK_IFLA_NETKIT_POLICY		3	/* 6.7 */
#define NK_IFLA_NETKIT_PEER_POLICY	4	/* 6.7 */
#define NK_IFLA_NETKIT_MODE		5	/* 6.7 */
#define NK_IFLA_NETKIT_SCRUB		6	/* 6.13 (6.12.y) */
#define NK_IFLA_NETKIT_PEER_SCRUB	7	/* 6.13 (6.12.y) */
#define NK_IFLA_NETKIT_HEADROOM		8	/* 6.14 */
#define NK_IFLA_NETKIT_TAILROOM		9	/* 6.14 */
#define NK_IFLA_NETKIT_PAIRING		10	/* 7.1 */
#define NK_IFLA_NETKIT_MAX		10

#define NK_NETKIT_PASS		0
#define NK_NETKIT_DROP		2
#define NK_NETKIT_L2		0
#define NK_NETKIT_L3		1
#define NK_NETKIT_SCRUB_NONE	0
#define NK_NETKIT_SCRUB_DEFAULT	1
#define NK_NETKIT_DEVICE_PAIR	0
#define NK_NETKIT_DEVICE_SINGLE	1

/* include/uapi/linux/magic.h: f_type of a bpffs mount */
#define NK_BPF_FS_MAGIC		0xcafe4a11
/* asm-generic/socket.h, 5.14 */
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE		71
#endif

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK	12
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED		0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS		0x200
#endif

/* linux/if.h; net/if.h, which we use, lacks it */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP		(1 << 16)
#endif

/* nsfs ioctls (linux/nsfs.h) */
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE		_IO(0xb7, 0x3)
#endif

/* listns(2) (6.19) and nsfs file handles (include/uapi/linux/nsfs.h,
 * fcntl.h, exportfs.h) */
#define NK_NR_listns		470	/* the same number on every architecture but alpha and mips */
struct nk_ns_id_req {
	__u32 size;
	__u32 spare;
	__u64 ns_id;		/* the last id seen, for the next page */
	__u32 ns_type;		/* CLONE_NEW* */
	__u32 spare2;
	__u64 user_ns_id;	/* 0: any owner */
};
#define NK_NS_ID_REQ_SIZE_VER0	32
#define NK_FD_NSFS_ROOT		-10003
#define NK_FILEID_NSFS		0xf1
struct nk_nsfs_file_handle {
	__u64 ns_id;
	__u32 ns_type;
	__u32 ns_inum;
};

#endif
