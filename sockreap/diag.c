// SPDX-License-Identifier: GPL-2.0
/* The sock_diag backend, what "ss -K" does: dump the namespace's TCP and UDP
 * sockets, match them in user space with the same nk_sock_match as the BPF
 * program, and destroy each match with SOCK_DESTROY, naming the exact socket
 * id and cookie. */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include "nl.h"
#include "reap.h"

struct found {
	struct nk_sock s;
	struct inet_diag_sockid id;
	__u8 family, protocol;
};

struct dump {
	const struct nk_filter *f;
	__u8 proto;
	struct found *v;
	int n, cap;
};

static void to_sock(const struct inet_diag_msg *m, __u8 proto, struct nk_sock *s)
{
	memset(s, 0, sizeof(*s));
	s->family = m->idiag_family;
	s->proto = proto;
	s->state = m->idiag_state;
	s->sport = ntohs(m->id.idiag_sport);
	s->dport = ntohs(m->id.idiag_dport);
	s->uid = m->idiag_uid;
	s->cookie = m->id.idiag_cookie[0] | (__u64)m->id.idiag_cookie[1] << 32;
	if (m->idiag_family == AF_INET) {
		s->saddr[10] = s->saddr[11] = s->daddr[10] = s->daddr[11] = 0xff;
		memcpy(&s->saddr[12], &m->id.idiag_src[0], 4);
		memcpy(&s->daddr[12], &m->id.idiag_dst[0], 4);
	} else {
		memcpy(s->saddr, m->id.idiag_src, 16);
		memcpy(s->daddr, m->id.idiag_dst, 16);
	}
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct dump *d = data;
	struct found fd;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*m)))
		return 0;
	to_sock(m, d->proto, &fd.s);
	if (!nk_sock_match(d->f, &fd.s))
		return 0;
	fd.id = m->id;
	fd.family = m->idiag_family;
	fd.protocol = d->proto == NK_PROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 64;
		struct found *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = fd;
	return 0;
}

static struct nlmsghdr *request(struct nl *nl, uint16_t type, uint16_t flags, __u8 family,
				__u8 protocol, const struct inet_diag_sockid *id)
{
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh = nl_request(nl, type, flags, (void **)&req, sizeof(*req));

	req->sdiag_family = family;
	req->sdiag_protocol = protocol;
	req->idiag_states = ~0u;
	if (id)
		req->id = *id;
	return nlh;
}

int reap_diag_run(const struct nk_filter *f, struct pass *p)
{
	static const __u8 families[] = { AF_INET, AF_INET6 };
	struct dump d = { .f = f };
	struct nl *nl = malloc(sizeof(*nl));
	int err;

	if (!nl)
		return -ENOMEM;
	err = nl_open(nl, NETLINK_SOCK_DIAG);
	if (err) {
		free(nl);
		return err;
	}
	for (__u8 proto = NK_PROTO_TCP; proto <= NK_PROTO_UDP && !err; proto++) {
		if (f->proto_mask && !(f->proto_mask & proto))
			continue;
		for (int i = 0; i < 2 && !err; i++) {
			if (f->family_mask && !(f->family_mask & (1 << i)))
				continue;
			d.proto = proto;
			err = nl_talk(nl, request(nl, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, families[i],
						  proto == NK_PROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP,
						  NULL), dump_cb, &d);
		}
	}
	/* destroy only after the dumps: the same socket carries both */
	for (int i = 0; !err && i < d.n; i++) {
		struct found *fd = &d.v[i];

		if (!f->dry_run)
			fd->s.result = nl_talk(nl, request(nl, SOCK_DESTROY, 0, fd->family,
							   fd->protocol, &fd->id), NULL, NULL);
		if (pass_add(p, &fd->s))
			err = -ENOMEM;
	}
	free(d.v);
	nl_close(nl);
	free(nl);
	return err;
}
