// SPDX-License-Identifier: GPL-2.0
/* nkctl's printer (and so its attribute parser) on arbitrary rtnetlink
 * messages, in both output forms. */
#include <linux/rtnetlink.h>
#include "datapath/dp.h"
#include "fuzz.h"
#include "nk_words.h"
#include "out.h"

static FILE *sink;

static void one(const struct nlmsghdr *nlh)
{
	struct nk_peer peer = { .present = true, .found = true, .ifname = "peer0", .ifindex = 2,
				.netnsid = 0, .netns = "pod" };
	/* the data path's entries of whatever index the message has */
	int ifindex = nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifinfomsg)) ?
		      ((const struct ifinfomsg *)NLMSG_DATA(nlh))->ifi_index : 0;
	struct nk_dp_rate_entry rates[1] = { { .ifindex = ifindex,
					      .r = { .egress_rate = 1000, .ingress_rate = 2000 } } };
	struct nk_dp_view dp = { .rates = rates, .nrates = 1 };
	struct out o;

	for (int json = 0; json < 2; json++) {
		out_init(&o, sink, json, json);
		out_begin(&o);
		nk_print(&o, nlh, json ? &peer : NULL, &dp);
		out_end(&o);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!sink)
		sink = fopen("/dev/null", "w");
	fuzz_messages(data, size, one);
	return 0;
}
