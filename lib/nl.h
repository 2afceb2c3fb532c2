/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one netlink core: a libmnl socket with extended ACKs and capped ACKs,
 * one request buffer, one receive loop that keeps the kernel's extack text.
 */
#ifndef NK_NL_H
#define NK_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <libmnl/libmnl.h>

#define NL_TX_SIZE	16384
#define NL_RX_SIZE	65536

struct nl {
	struct mnl_socket *sk;
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

#endif
