// SPDX-License-Identifier: GPL-2.0
/* sockreap's index: one walk over every process's open files, in every
 * namespace at once, writing a record of each hashed TCP and UDP socket
 * (marked if it matches the filter) with its namespace, and of each place
 * a namespace is held (a task, an nsfs fd), so that no /proc scan is needed. Sockets without a
 * file (not yet accepted, orphaned, time-wait) are not here: user space
 * compares the counts with the kernel's before it trusts the index. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "sockreap.h"
#include "sockrec.bpf.h"

#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17

const volatile struct nk_filter filter = {};	/* set before load */

#define NSFS_MAGIC	0x6e736673

static __always_inline void holder(struct seq_file *seq, __u32 ino, __u32 pid, __u64 fd)
{
	struct nk_index_rec r = { .kind = NK_REC_HOLDER, .netns = ino, .pid = pid, .fd = fd };

	bpf_seq_write(seq, &r, sizeof(r));
}

/* Where each namespace is held: every task's own (threads may differ)... */
SEC("iter/task")
int nk_index_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct nsproxy *nsp;

	if (!task)
		return 0;
	nsp = task->nsproxy;
	if (nsp && nsp->net_ns)
		holder(ctx->meta->seq, nsp->net_ns->ns.inum, task->pid, NK_TASK_NS);
	return 0;
}

/* ... and every nsfs file a process has open (user space keeps the network
 * ones); then the sockets. */
SEC("iter/task_file")
int nk_index(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct socket *sock;
	struct sock *sk;
	struct nk_index_rec r = { .kind = NK_REC_SOCK };
	__u8 proto;

	if (!file || !task)
		return 0;
	if (file->f_inode && file->f_inode->i_sb && file->f_inode->i_sb->s_magic == NSFS_MAGIC) {
		holder(ctx->meta->seq, file->f_inode->i_ino, task->tgid, ctx->fd);
		return 0;
	}
	sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	sk = sock->sk;
	if (!sk || (sk->__sk_common.skc_family != AF_INET && sk->__sk_common.skc_family != AF_INET6))
		return 0;
	if (sk->sk_protocol == IPPROTO_TCP && sk->sk_type == SOCK_STREAM)
		proto = NK_PROTO_TCP;
	else if (sk->sk_protocol == IPPROTO_UDP && sk->sk_type == SOCK_DGRAM)
		proto = NK_PROTO_UDP;
	else
		return 0;
	if (filter.proto_mask && !(filter.proto_mask & proto))
		return 0;
	/* only what the kernel counts as in use: hashed sockets */
	if (proto == NK_PROTO_TCP ? sk->__sk_common.skc_state == TCP_CLOSE :
				    !sk->__sk_common.skc_num)
		return 0;
	nk_fill(&r.sock, &sk->__sk_common);
	r.sock.proto = proto;
	r.sock.uid = sk->sk_uid.val;
	/* not bpf_get_socket_cookie(): this sk is not a trusted pointer. A
	 * cookie is made on first use, so it may still be 0. */
	r.sock.cookie = sk->__sk_common.skc_cookie.counter;
	r.key = (__u64)sk;
	r.netns = sk->__sk_common.skc_net.net->ns.inum;
	r.match = !nk_aborted(&sk->__sk_common, proto) && nk_sock_match(&filter, &r.sock);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
