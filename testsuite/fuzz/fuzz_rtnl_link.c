// SPDX-License-Identifier: GPL-2.0
/* nkctl's printer (and so its attribute parser) on arbitrary rtnetlink
 * messages, in both output forms. */
#include "fuzz.h"
#include "nk_words.h"
#include "out.h"

static FILE *sink;

static void one(const struct nlmsghdr *nlh)
{
	struct nk_peer peer = { .present = true, .found = true, .ifname = "peer0", .ifindex = 2,
				.netnsid = 0, .netns = "pod" };
	struct out o;

	for (int json = 0; json < 2; json++) {
		out_init(&o, sink, json, json);
		out_begin(&o);
		nk_print(&o, nlh, json ? &peer : NULL, NULL, 0);
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
