// SPDX-License-Identifier: GPL-2.0
/* sockreap's sock_diag answer parser on arbitrary messages, and the matcher
 * on what it accepts. */
#include "fuzz.h"
#include "reap_words.h"

static void one(const struct nlmsghdr *nlh)
{
	struct nk_filter f = { .state_mask = REAP_STATES_CONNECTED, .dst = { .set = 1, .len = 100 } };
	struct nk_sock s;

	for (__u8 proto = NK_PROTO_TCP; proto <= NK_PROTO_UDP; proto++)
		if (!reap_diag_parse(nlh, proto, &s))
			nk_sock_match(&f, &s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_messages(data, size, one);
	return 0;
}
