// SPDX-License-Identifier: GPL-2.0
/* Root qdiscs: read a device's, plan fq, make it so (qdisc.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include "qdisc.h"

struct dump {
	int ifindex;
	struct qdisc_list *l;
};

static int qdisc_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct tcmsg *tc = nlmsg_data(nlh);
	struct dump *d = data;
	const struct nlattr *a;
	struct qdisc q = { 0 };

	if (nlh->nlmsg_type != RTM_NEWQDISC || tc->tcm_ifindex != d->ifindex)
		return 0;
	q.handle = tc->tcm_handle;
	q.parent = tc->tcm_parent;
	nla_for_each(a, nlh, sizeof(*tc))
		if (nla_type(a) == TCA_KIND && nla_is_strz(a))
			snprintf(q.kind, sizeof(q.kind), "%s", nla_str(a));
	if (d->l->n >= QDISC_MAX)
		return -E2BIG;
	d->l->q[d->l->n++] = q;
	return 0;
}

int qdisc_read(struct nl *nl, int ifindex, struct qdisc_list *l)
{
	struct tcmsg *tc;
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETQDISC, NLM_F_DUMP, (void **)&tc, sizeof(*tc));
	struct dump d = { .ifindex = ifindex, .l = l };

	l->n = 0;
	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = ifindex;
	return nl_talk(nl, nlh, qdisc_cb, &d);
}

static const struct qdisc *root_of(const struct qdisc_list *l)
{
	for (int i = 0; i < l->n; i++)
		if (l->q[i].parent == TC_H_ROOT)
			return &l->q[i];
	return NULL;
}

enum qdisc_fq_plan qdisc_fq_plan(const struct qdisc_list *l, uint32_t ntxq)
{
	const struct qdisc *root = root_of(l);
	uint32_t fq = 0;

	if (root && root->handle && strcmp(root->kind, "fq") && strcmp(root->kind, "mq"))
		return FQ_FOREIGN;
	if (ntxq <= 1)
		return root && !strcmp(root->kind, "fq") ? FQ_HAVE : FQ_ROOT;
	if (!root || strcmp(root->kind, "mq"))
		return FQ_MQ;
	for (int i = 0; i < l->n; i++)
		if (TC_H_MAJ(l->q[i].parent) == root->handle && TC_H_MIN(l->q[i].parent) &&
		    TC_H_MIN(l->q[i].parent) <= ntxq && !strcmp(l->q[i].kind, "fq"))
			fq++;
	return fq == ntxq ? FQ_HAVE : FQ_MQ;
}

/* kind at parent (replacing what is there) */
static int put(struct nl *nl, int ifindex, uint32_t parent, const char *kind)
{
	struct tcmsg *tc;
	struct nlmsghdr *nlh = nl_request(nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE,
					  (void **)&tc, sizeof(*tc));

	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = ifindex;
	tc->tcm_parent = parent;
	nla_put_strz(nlh, TCA_KIND, kind);
	return nl_talk(nl, nlh, NULL, NULL);
}

int qdisc_fq_ensure(struct nl *nl, int ifindex, uint32_t ntxq, char kind[16])
{
	struct qdisc_list l;
	const struct qdisc *root;
	int err = qdisc_read(nl, ifindex, &l);

	if (err)
		return err;
	switch (qdisc_fq_plan(&l, ntxq)) {
	case FQ_HAVE:
		return 0;
	case FQ_FOREIGN:
		snprintf(kind, 16, "%s", root_of(&l)->kind);
		return -EBUSY;
	case FQ_ROOT:
		err = put(nl, ifindex, TC_H_ROOT, "fq");
		return err ? err : 1;
	case FQ_MQ:
		break;
	}
	root = root_of(&l);
	if (!root || strcmp(root->kind, "mq")) {
		if ((err = put(nl, ifindex, TC_H_ROOT, "mq")) || (err = qdisc_read(nl, ifindex, &l)))
			return err;
		if (!(root = root_of(&l)) || strcmp(root->kind, "mq"))
			return -EAGAIN;	/* replaced meanwhile */
	}
	for (uint32_t i = 1; i <= ntxq && !err; i++)
		err = put(nl, ifindex, TC_H_MAKE(root->handle, i), "fq");
	return err ? err : 1;
}
