/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one netlink core: a socket with extended ACKs and capped ACKs, one
 * request buffer, one receive loop that keeps the kernel's extack text, and
 * the message and attribute layout of netlink(7) (linux/netlink.h).
 */
#ifndef NK_NL_H
#define NK_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/netlink.h>

#define NL_TX_SIZE	16384
#define NL_RX_SIZE	65536

struct nl {
	int fd;
	unsigned int portid;
	unsigned int seq;
	char extack[256];	/* the kernel's message for the last request, or "" */
	char tx[NL_TX_SIZE];
	char rx[NL_RX_SIZE];
};

/* Open a netlink socket (NETLINK_ROUTE, NETLINK_SOCK_DIAG, ...) in the
 * current network namespace. Returns 0 or -errno. */
int nl_open(struct nl *nl, int bus);
void nl_close(struct nl *nl);
/* The same in the network namespace of netns_fd, from which we come back at
 * once: the socket stays of that namespace. 0 or -errno (-EIO: we could not
 * come back, and no socket is open). */
int nl_open_in(struct nl *nl, int bus, int netns_fd);

/* Start a request in nl->tx: header, then a zeroed family header of
 * hdrlen bytes, whose address goes to *fam (if fam is not NULL). */
struct nlmsghdr *nl_request(struct nl *nl, uint16_t type, uint16_t flags,
			    void **fam, size_t hdrlen);

/* Called for every message of the reply that is not an ACK, error or DONE. */
typedef int (*nl_cb)(const struct nlmsghdr *nlh, void *data);

/* Send the request and read the answer until its ACK or the end of the
 * dump. cb may be NULL. Returns 0, or -errno from the kernel or the socket;
 * nl->extack holds the kernel's message (for errors and warnings). A
 * callback's negative return value stops the loop and is returned. */
int nl_talk(struct nl *nl, struct nlmsghdr *req, nl_cb cb, void *data);

/* Pure: the messages of one datagram answering req, as nl_talk reads them.
 * 1 when the exchange is over (*ret: its result), 0 when more is to come;
 * *ret starts at 0. */
int nl_receive(struct nl *nl, const void *buf, size_t len, const struct nlmsghdr *req,
	       nl_cb cb, void *data, int *ret);
/* A listener: join the rtnetlink multicast groups (RTNLGRP_*), with a
 * receive buffer of rcvbuf bytes (forced where we may), and with all_nsid
 * also hear the namespaces that have an nsid in ours
 * (NETLINK_LISTEN_ALL_NSID). 0 or -errno. */
int nl_listen(struct nl *nl, const unsigned int *groups, size_t n, int rcvbuf, bool all_nsid);
/* Read one datagram of events into nl->rx, without blocking; *nsid: the
 * nsid of the namespace it comes from, -1 for nl's own. Returns its length,
 * 0 when there is nothing to read, or -errno (-ENOBUFS: the kernel dropped
 * events because the buffer was full). */
ssize_t nl_recv_events(struct nl *nl, int *nsid);
int nl_fd(const struct nl *nl);

/* Walking a buffer of messages: whole ones only, lengths checked unsigned. */
bool nl_msg_ok(const struct nlmsghdr *nlh, size_t rem);
const struct nlmsghdr *nl_msg_next(const struct nlmsghdr *nlh, size_t *rem);

/* --- messages: header, family header, attributes --------------------------- */

static inline size_t nlmsg_size(size_t payload)
{
	return NLMSG_HDRLEN + payload;
}

static inline void *nlmsg_data(const struct nlmsghdr *nlh)
{
	return (char *)nlh + NLMSG_HDRLEN;
}

static inline size_t nlmsg_payload_len(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_len - NLMSG_HDRLEN;
}

/* A zeroed header at buf, its length the header's. */
struct nlmsghdr *nlmsg_put_header(void *buf);
/* size zeroed bytes (aligned) at the message's end: the family header. */
void *nlmsg_put_extra(struct nlmsghdr *nlh, size_t size);

/* Append an attribute (its payload padded with zeroes). The caller's buffer
 * holds the message: requests are small against NL_TX_SIZE. */
void nla_put(struct nlmsghdr *nlh, uint16_t type, size_t len, const void *data);
void nla_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v);
void nla_put_u16(struct nlmsghdr *nlh, uint16_t type, uint16_t v);
void nla_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v);
void nla_put_strz(struct nlmsghdr *nlh, uint16_t type, const char *s);
/* A nested attribute (NLA_F_NESTED): what is put until nla_nest_end. */
struct nlattr *nla_nest_start(struct nlmsghdr *nlh, uint16_t type);
void nla_nest_end(struct nlmsghdr *nlh, struct nlattr *start);

static inline uint16_t nla_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static inline void *nla_data(const struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static inline size_t nla_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* Readers: the caller checked the payload's length where it matters (a
 * kernel attribute of a known type has its type's width). */
static inline uint8_t nla_u8(const struct nlattr *a)
{
	return *(const uint8_t *)nla_data(a);
}

static inline uint16_t nla_u16(const struct nlattr *a)
{
	return *(const uint16_t *)nla_data(a);
}

static inline uint32_t nla_u32(const struct nlattr *a)
{
	return *(const uint32_t *)nla_data(a);
}

static inline const char *nla_str(const struct nlattr *a)
{
	return nla_data(a);
}

/* Is it a NUL-terminated string? */
static inline bool nla_is_strz(const struct nlattr *a)
{
	return nla_len(a) && ((const char *)nla_data(a))[nla_len(a) - 1] == '\0';
}

/* A whole attribute in the rem bytes left (signed: past the end is < 0). */
static inline bool nla_ok(const struct nlattr *a, long rem)
{
	return rem >= (long)sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= rem;
}

static inline struct nlattr *nla_next(const struct nlattr *a)
{
	return (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
}

/* Where the next attribute is put. */
static inline const char *nlmsg_tail(const struct nlmsghdr *nlh)
{
	return (const char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len);
}

/* Each attribute after the family header of hdrlen bytes, within the
 * message's length (not its aligned length: a received message may end
 * unpadded at the end of the buffer). */
#define nla_for_each(a, nlh, hdrlen)							\
	for ((a) = (void *)((char *)nlmsg_data(nlh) + NLMSG_ALIGN(hdrlen));		\
	     nla_ok((a), (const char *)(nlh) + (nlh)->nlmsg_len - (const char *)(a));	\
	     (a) = nla_next(a))

/* Each attribute nested in nest. */
#define nla_for_each_nested(a, nest)							\
	for ((a) = nla_data(nest);							\
	     nla_ok((a), (const char *)(nest) + (nest)->nla_len - (const char *)(a));	\
	     (a) = nla_next(a))

#endif
