/* SPDX-License-Identifier: GPL-2.0 */
/* Root qdiscs (rtnetlink): what a device has, and fq where departure times
 * must be honoured (the pods' egress rates, lib/datapath): fq at the root
 * of a single-queue device, mq with fq on each queue of a multiqueue one. */
#ifndef NK_QDISC_H
#define NK_QDISC_H

#include <stdint.h>
#include "nl.h"

#define QDISC_MAX 256
struct qdisc {
	uint32_t handle, parent;
	char kind[16];
};
struct qdisc_list {
	struct qdisc q[QDISC_MAX];
	int n;
};
/* The qdiscs of ifindex. 0 or -errno. */
int qdisc_read(struct nl *nl, int ifindex, struct qdisc_list *l);

/* What a device of ntxq queues with qdiscs l needs for fq everywhere. A
 * root qdisc the kernel chose (handle 0) or mq may be replaced; another
 * (htb, tbf, cake, ... that somebody set) is not ours to replace. Pure. */
enum qdisc_fq_plan {
	FQ_HAVE,		/* there already */
	FQ_ROOT,		/* fq at the root */
	FQ_MQ,			/* mq at the root (kept if it is mq), fq on each queue */
	FQ_FOREIGN,		/* somebody's root qdisc is there */
};
enum qdisc_fq_plan qdisc_fq_plan(const struct qdisc_list *l, uint32_t ntxq);

/* fq (qdisc_fq_plan) on ifindex, a device of ntxq transmit queues.
 * 1 if it changed the device's qdiscs, 0 if fq was there, -EBUSY where
 * somebody's root qdisc is (*kind says which), or -errno. */
int qdisc_fq_ensure(struct nl *nl, int ifindex, uint32_t ntxq, char kind[16]);

#endif
