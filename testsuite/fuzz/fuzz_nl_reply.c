// SPDX-License-Identifier: GPL-2.0
/* The netlink core's reading of an answer (errors, extended ACKs, DONE,
 * dumps) on arbitrary bytes, as one datagram or several; the first byte
 * picks a dump or a plain request. */
#include <errno.h>
#include "fuzz.h"

static int count(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	return nlh->nlmsg_type == 0x7777 ? -EINVAL : 0;	/* a callback that fails */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nl nl;	/* no socket: only its buffers and extack */
	struct nlmsghdr req = { .nlmsg_len = sizeof(req), .nlmsg_seq = 0 };
	int ret = 0, n = 0;
	void *buf;

	if (!size)
		return 0;
	req.nlmsg_flags = data[0] & 1 ? NLM_F_DUMP : 0;
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	nl.extack[0] = '\0';
	/* the same bytes as the first datagram and, if it did not end the
	 * exchange, as the next: the loop keeps state between the two */
	if (!nl_receive(&nl, buf, size - 1, &req, count, &n, &ret))
		nl_receive(&nl, buf, size - 1, &req, count, &n, &ret);
	if (strnlen(nl.extack, sizeof(nl.extack)) == sizeof(nl.extack))
		abort();	/* extack must stay a string */
	free(buf);
	return 0;
}
