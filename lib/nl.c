// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <stdbool.h>
#include <sys/socket.h>
#include "compat.h"
#include "nl.h"

int nl_open(struct nl *nl, int bus)
{
	int one = 1;

	nl->sk = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!nl->sk)
		return -errno;
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(nl->sk);
		nl->sk = NULL;
		return err;
	}
	/* Best effort: older kernels lack some of these, the core works without. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bus == NETLINK_ROUTE)
		mnl_socket_setsockopt(nl->sk, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = 0;
	nl->extack[0] = '\0';
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

struct nlmsghdr *nl_request(struct nl *nl, uint16_t type, uint16_t flags,
			    void **fam, size_t hdrlen)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->tx);
	void *h;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	h = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	if (fam)
		*fam = h;
	return nlh;
}

/* Copy NLMSGERR_ATTR_MSG out of an error or DONE message, if there is one;
 * poff is where the attributes start, counted from the payload. */
static void keep_extack(struct nl *nl, const struct nlmsghdr *nlh, size_t poff)
{
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || mnl_nlmsg_size(poff) >= nlh->nlmsg_len)
		return;
	mnl_attr_for_each(attr, nlh, poff) {
		if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			continue;
		snprintf(nl->extack, sizeof(nl->extack), "%s", mnl_attr_get_str(attr));
		return;
	}
}

/* Returns 1 when this message ends the exchange, 0 to go on, or <0. */
static int handle_one(struct nl *nl, const struct nlmsghdr *nlh, nl_cb cb, void *data)
{
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
		size_t poff = sizeof(*e);

		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
			return -EBADMSG;
		/* the request echoed back, unless capped: attributes follow it */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < sizeof(struct nlmsghdr) ||
			    e->msg.nlmsg_len - sizeof(struct nlmsghdr) > mnl_nlmsg_get_payload_len(nlh) - poff)
				return e->error ? e->error : 1;	/* no room for attributes */
			poff += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		}
		keep_extack(nl, nlh, poff);
		return e->error ? e->error : 1;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		const int *err = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(int))) {
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
	size_t step = MNL_ALIGN(nlh->nlmsg_len);

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

int nl_talk(struct nl *nl, struct nlmsghdr *req, nl_cb cb, void *data)
{
	int ret = 0;

	nl->extack[0] = '\0';
	/* Always ask for an ACK so every request has a definite end. */
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(nl->sk, nl->rx, sizeof(nl->rx));

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
	int fd = mnl_socket_get_fd(nl->sk), one = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0)
		return -errno;
	for (size_t i = 0; i < n; i++)
		if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, (void *)&groups[i],
					  sizeof(groups[i])) < 0)
			return -errno;
	if (all_nsid && mnl_socket_setsockopt(nl->sk, NETLINK_LISTEN_ALL_NSID, &one, sizeof(one)) < 0)
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
		len = recvmsg(mnl_socket_get_fd(nl->sk), &msg, MSG_DONTWAIT);
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
	return mnl_socket_get_fd(nl->sk);
}
