// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include "compat.h"
#include "netns.h"
#include "nl.h"

int nl_open(struct nl *nl, int bus)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t sl = sizeof(sa);
	int one = 1, err;

	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, bus);
	if (nl->fd < 0)
		return -errno;
	/* the kernel picks the port id */
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(nl->fd, (struct sockaddr *)&sa, &sl) < 0) {
		err = -errno;
		close(nl->fd);
		nl->fd = -1;
		return err;
	}
	/* Best effort: older kernels lack some of these, the core works without. */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bus == NETLINK_ROUTE)
		setsockopt(nl->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	nl->portid = sa.nl_pid;
	nl->seq = 0;
	nl->extack[0] = '\0';
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

int nl_open_in(struct nl *nl, int bus, int netns_fd)
{
	int saved, err = netns_enter(netns_fd, &saved);

	if (err)
		return err;
	err = nl_open(nl, bus);
	if (netns_restore(saved) < 0) {
		if (!err)
			nl_close(nl);
		return -EIO;
	}
	return err;
}

struct nlmsghdr *nlmsg_put_header(void *buf)
{
	struct nlmsghdr *nlh = buf;

	memset(nlh, 0, NLMSG_HDRLEN);
	nlh->nlmsg_len = NLMSG_HDRLEN;
	return nlh;
}

void *nlmsg_put_extra(struct nlmsghdr *nlh, size_t size)
{
	char *p = (char *)nlh + nlh->nlmsg_len;

	memset(p, 0, NLMSG_ALIGN(size));
	nlh->nlmsg_len += NLMSG_ALIGN(size);
	return p;
}

void nla_put(struct nlmsghdr *nlh, uint16_t type, size_t len, const void *data)
{
	struct nlattr *a = (struct nlattr *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(nla_data(a), data, len);
	memset((char *)nla_data(a) + len, 0, NLA_ALIGN(len) - len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

void nla_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v)
{
	nla_put(nlh, type, sizeof(v), &v);
}

void nla_put_u16(struct nlmsghdr *nlh, uint16_t type, uint16_t v)
{
	nla_put(nlh, type, sizeof(v), &v);
}

void nla_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	nla_put(nlh, type, sizeof(v), &v);
}

void nla_put_strz(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	nla_put(nlh, type, strlen(s) + 1, s);
}

struct nlattr *nla_nest_start(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *a = (struct nlattr *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));

	a->nla_type = type | NLA_F_NESTED;
	a->nla_len = NLA_HDRLEN;
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_HDRLEN;
	return a;
}

void nla_nest_end(struct nlmsghdr *nlh, struct nlattr *start)
{
	start->nla_len = nlmsg_tail(nlh) - (const char *)start;
}

struct nlmsghdr *nl_request(struct nl *nl, uint16_t type, uint16_t flags,
			    void **fam, size_t hdrlen)
{
	struct nlmsghdr *nlh = nlmsg_put_header(nl->tx);
	void *h;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	h = nlmsg_put_extra(nlh, hdrlen);
	if (fam)
		*fam = h;
	return nlh;
}

/* Copy NLMSGERR_ATTR_MSG out of an error or DONE message, if there is one;
 * poff is where the attributes start, counted from the payload. */
static void keep_extack(struct nl *nl, const struct nlmsghdr *nlh, size_t poff)
{
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlmsg_size(poff) >= nlh->nlmsg_len)
		return;
	nla_for_each(attr, nlh, poff) {
		if (nla_type(attr) != NLMSGERR_ATTR_MSG || !nla_is_strz(attr))
			continue;
		snprintf(nl->extack, sizeof(nl->extack), "%s", nla_str(attr));
		return;
	}
}

/* Returns 1 when this message ends the exchange, 0 to go on, or <0. */
static int handle_one(struct nl *nl, const struct nlmsghdr *nlh, nl_cb cb, void *data)
{
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = nlmsg_data(nlh);
		size_t poff = sizeof(*e);

		if (nlh->nlmsg_len < nlmsg_size(sizeof(*e)))
			return -EBADMSG;
		/* the request echoed back, unless capped: attributes follow it */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < sizeof(struct nlmsghdr) ||
			    e->msg.nlmsg_len - sizeof(struct nlmsghdr) > nlmsg_payload_len(nlh) - poff)
				return e->error ? e->error : 1;	/* no room for attributes */
			poff += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		}
		keep_extack(nl, nlh, poff);
		return e->error ? e->error : 1;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		const int *err = nlmsg_data(nlh);

		if (nlh->nlmsg_len >= nlmsg_size(sizeof(int))) {
			keep_extack(nl, nlh, sizeof(int));
			if (*err < 0)
				return *err;
		}
		return 1;
	}
	if (nlh->nlmsg_type == NLMSG_NOOP || nlh->nlmsg_type == NLMSG_OVERRUN)
		return 0;
	if (cb) {
		int ret = cb(nlh, data);

		if (ret < 0)
			return ret;
	}
	return 0;
}

bool nl_msg_ok(const struct nlmsghdr *nlh, size_t rem)
{
	/* unsigned throughout: a length above 2^31 is not a negative one */
	return rem >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) && nlh->nlmsg_len <= rem;
}

const struct nlmsghdr *nl_msg_next(const struct nlmsghdr *nlh, size_t *rem)
{
	size_t step = NLMSG_ALIGN(nlh->nlmsg_len);

	if (step > *rem)
		step = *rem;
	*rem -= step;
	return (const struct nlmsghdr *)((const char *)nlh + step);
}

int nl_receive(struct nl *nl, const void *buf, size_t len, const struct nlmsghdr *req,
	       nl_cb cb, void *data, int *ret)
{
	/* NLM_F_DUMP is two bits, one of which NLM_F_EXCL shares */
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	const struct nlmsghdr *nlh;

	for (nlh = buf; nl_msg_ok(nlh, len); nlh = nl_msg_next(nlh, &len)) {
		int r;

		if (nlh->nlmsg_seq != req->nlmsg_seq || nlh->nlmsg_pid != nl->portid)
			continue;	/* stale answer to an aborted request */
		if (*ret < 0) {
			/* a callback failed: drain the rest of the dump */
			if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
				return 1;
			continue;
		}
		r = handle_one(nl, nlh, cb, data);
		if (r == 1) {
			*ret = 0;
			return 1;
		}
		if (r < 0) {
			*ret = r;
			if (!dump || nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
				return 1;
		}
	}
	return 0;
}

/* One datagram from the kernel (another process's is skipped); a datagram
 * larger than nl->rx is an error, not a silent cut. */
static ssize_t recv_kernel(struct nl *nl)
{
	struct sockaddr_nl sa;
	struct iovec iov = { nl->rx, sizeof(nl->rx) };
	struct msghdr msg = { .msg_name = &sa, .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t len;

	do {
		msg.msg_namelen = sizeof(sa);
		len = recvmsg(nl->fd, &msg, 0);
	} while (len >= 0 && sa.nl_pid != 0);
	if (len >= 0 && (msg.msg_flags & MSG_TRUNC)) {
		errno = ENOSPC;
		return -1;
	}
	return len;
}

int nl_talk(struct nl *nl, struct nlmsghdr *req, nl_cb cb, void *data)
{
	static const struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int ret = 0;

	nl->extack[0] = '\0';
	/* Always ask for an ACK so every request has a definite end. */
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		req->nlmsg_flags |= NLM_F_ACK;
	if (sendto(nl->fd, req, req->nlmsg_len, 0, (const struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	for (;;) {
		ssize_t len = recv_kernel(nl);

		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (nl_receive(nl, nl->rx, len, req, cb, data, &ret))
			return ret;
	}
}

int nl_listen(struct nl *nl, const unsigned int *groups, size_t n, int rcvbuf, bool all_nsid)
{
	int fd = nl->fd, one = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0)
		return -errno;
	for (size_t i = 0; i < n; i++)
		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &groups[i], sizeof(groups[i])) < 0)
			return -errno;
	if (all_nsid && setsockopt(fd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

ssize_t nl_recv_events(struct nl *nl, int *nsid)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { nl->rx, sizeof(nl->rx) };
	struct sockaddr_nl sa;
	struct msghdr msg = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	ssize_t len;

	do {
		*nsid = -1;
		msg.msg_namelen = sizeof(sa);
		msg.msg_controllen = sizeof(cbuf);
		len = recvmsg(nl->fd, &msg, MSG_DONTWAIT);
		/* (a datagram from a process, not the kernel, is skipped) */
	} while ((len < 0 && errno == EINTR) || (len >= 0 && sa.nl_pid != 0));
	if (len < 0)
		return errno == EAGAIN ? 0 : -errno;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_NETLINK && c->cmsg_type == NETLINK_LISTEN_ALL_NSID &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(nsid, CMSG_DATA(c), sizeof(int));
	return len;
}

int nl_fd(const struct nl *nl)
{
	return nl->fd;
}
