// SPDX-License-Identifier: GPL-2.0
/* The sock_diag backend, what "ss -K" does: dump the namespace's TCP and UDP
 * sockets, match them in user space with the same nk_sock_match as the BPF
 * program, and destroy each match with SOCK_DESTROY, naming the exact socket
 * id and cookie. */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include "grow.h"
#include "nl.h"
#include "reap/reap.h"

/* How many other remote ports to try for a socket hidden behind its
 * SO_REUSEPORT group (see destroy_unconnected). */
#define REUSEPORT_TRIES 512

struct reap_diag {
	struct nl nl;
};

struct dump {
	const struct nk_filter *f;
	__u8 proto;
	struct nk_sock *v;
	size_t n, cap;
};

int reap_diag_open(struct reap_diag **out)
{
	struct reap_diag *rd = malloc(sizeof(*rd));
	int err;

	if (!rd)
		return -ENOMEM;
	err = nl_open(&rd->nl, NETLINK_SOCK_DIAG);
	if (err) {
		free(rd);
		return err;
	}
	*out = rd;
	return 0;
}

void reap_diag_close(struct reap_diag *rd)
{
	if (!rd)
		return;
	nl_close(&rd->nl);
	free(rd);
}

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

/* The sock_diag id of a socket record: what SOCK_DESTROY looks it up by. */
static void to_id(const struct nk_sock *s, struct inet_diag_sockid *id)
{
	memset(id, 0, sizeof(*id));
	id->idiag_sport = htons(s->sport);
	id->idiag_dport = htons(s->dport);
	if (s->family == AF_INET) {
		memcpy(&id->idiag_src[0], &s->saddr[12], 4);
		memcpy(&id->idiag_dst[0], &s->daddr[12], 4);
	} else {
		memcpy(id->idiag_src, s->saddr, 16);
		memcpy(id->idiag_dst, s->daddr, 16);
	}
	id->idiag_cookie[0] = (__u32)s->cookie;
	id->idiag_cookie[1] = (__u32)(s->cookie >> 32);
	if (!s->cookie)		/* none made yet: by addresses and ports */
		id->idiag_cookie[0] = id->idiag_cookie[1] = INET_DIAG_NOCOOKIE;
}

int reap_diag_parse(const struct nlmsghdr *nlh, __u8 proto, struct nk_sock *s)
{
	const struct inet_diag_msg *m = nlmsg_data(nlh);

	if (nlh->nlmsg_len < nlmsg_size(sizeof(*m)) ||
	    (m->idiag_family != AF_INET && m->idiag_family != AF_INET6))
		return -EINVAL;
	to_sock(m, proto, s);
	return 0;
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct nk_sock s;

	if (reap_diag_parse(nlh, d->proto, &s) || !nk_sock_match(d->f, &s))
		return 0;
	if (NK_GROW(d->v, d->n, d->cap))
		return -ENOMEM;
	d->v[d->n++] = s;
	return 0;
}

static struct nlmsghdr *request(struct nl *nl, uint16_t type, uint16_t flags, __u8 family,
				__u8 proto, __u32 states, const struct inet_diag_sockid *id)
{
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh = nl_request(nl, type, flags, (void **)&req, sizeof(*req));

	req->sdiag_family = family;
	req->sdiag_protocol = proto == NK_PROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	req->idiag_states = states;
	if (id)
		req->id = *id;
	return nlh;
}

static int destroy_id(struct reap_diag *rd, const struct nk_sock *s,
		      const struct inet_diag_sockid *id)
{
	return nl_talk(&rd->nl, request(&rd->nl, SOCK_DESTROY, 0, s->family, s->proto, ~0u, id),
		       NULL, NULL);
}

/* SOCK_DESTROY finds its socket the way a packet from id.dst:id.dport to
 * id.src:id.sport would. A socket with no peer (an unconnected UDP socket,
 * a listener) in a SO_REUSEPORT group shares that lookup with the group, and
 * the kernel picks a member by a hash of the packet's addresses: with the
 * cookie check, the others answer -ENOENT. Any remote address and port reach
 * a socket with no peer, so other remote ports pick other members until the
 * hash picks this one. */
static int destroy_unconnected(struct reap_diag *rd, const struct nk_sock *s,
			       struct inet_diag_sockid *id)
{
	int err = -ENOENT;

	for (int i = 1; i <= REUSEPORT_TRIES && err == -ENOENT; i++) {
		id->idiag_dport = htons(1024 + i);
		err = destroy_id(rd, s, id);
	}
	return err == -ENOENT ? -REAP_EHIDDEN : err;
}

int reap_diag_destroy(struct reap_diag *rd, const struct nk_sock *s)
{
	struct inet_diag_sockid id;
	int err;

	to_id(s, &id);
	err = destroy_id(rd, s, &id);
	/* no peer: gone, or hidden behind its SO_REUSEPORT group */
	if (err == -ENOENT && s->dport == 0)
		err = destroy_unconnected(rd, s, &id);
	return err;
}

static int dump(struct reap_diag *rd, const struct nk_filter *f, struct dump *d)
{
	static const __u8 families[] = { AF_INET, AF_INET6 };
	int err = 0;

	for (__u8 proto = NK_PROTO_TCP; proto <= NK_PROTO_UDP && !err; proto++) {
		if (f->proto_mask && !(f->proto_mask & proto))
			continue;
		for (int i = 0; i < 2 && !err; i++) {
			if (f->family_mask && !(f->family_mask & (1 << i)))
				continue;
			d->proto = proto;
			/* the kernel drops the other states itself */
			err = nl_talk(&rd->nl, request(&rd->nl, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP,
						       families[i], proto,
						       f->state_mask ? f->state_mask : ~0u, NULL),
				      dump_cb, d);
		}
	}
	return err;
}

int reap_diag_run(struct reap_diag *rd, const struct nk_filter *f, struct pass *p)
{
	struct dump d = { .f = f };
	int err = dump(rd, f, &d);

	/* destroy only after the dumps: the same socket carries both */
	for (size_t i = 0; !err && i < d.n; i++) {
		struct nk_sock *s = &d.v[i];

		/* the pass decides: a kill, or several filters (select) */
		if (!p->dry_run && !p->select)
			s->result = reap_diag_destroy(rd, s);
		err = pass_emit(p, s);
	}
	free(d.v);
	return err;
}

static int cookie_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nk_sock s;

	if (!reap_diag_parse(nlh, 0, &s))
		*(__u64 *)data = s.cookie;
	return 0;
}

int reap_diag_cookie(struct reap_diag *rd, struct nk_sock *s)
{
	struct inet_diag_sockid id;
	__u64 cookie = 0;
	int err;

	to_id(s, &id);
	err = nl_talk(&rd->nl, request(&rd->nl, SOCK_DIAG_BY_FAMILY, 0, s->family, s->proto, ~0u, &id),
		      cookie_cb, &cookie);
	if (!err)
		s->cookie = cookie;
	return err;
}

int reap_diag_probe(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct nk_sock s = { .family = AF_INET, .proto = NK_PROTO_UDP, .state = 7 };
	socklen_t len = sizeof(sin);
	struct inet_diag_sockid id;
	struct reap_diag *rd;
	int fd, err;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	err = reap_diag_open(&rd);
	if (!err) {
		s.saddr[10] = s.saddr[11] = s.daddr[10] = s.daddr[11] = 0xff;
		s.sport = ntohs(sin.sin_port);
		to_id(&s, &id);	/* cookie 0: INET_DIAG_NOCOOKIE */
		err = destroy_id(rd, &s, &id);
		reap_diag_close(rd);
	}
	close(fd);
	return err;
}
