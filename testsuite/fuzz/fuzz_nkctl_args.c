// SPDX-License-Identifier: GPL-2.0
/* nkctl's argument parsers on arbitrary words (the first byte picks add or
 * set), and the request builders on whatever they accept. */
#include "fuzz.h"
#include "nk_words.h"
#include "nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char tx[NL_TX_SIZE] __attribute__((aligned(8)));
	char *argv[FUZZ_MAX_WORDS], *buf;
	struct nk_args a;
	struct nk_conf c;
	bool add;

	if (!size)
		return 0;
	add = data[0] & 1;
	buf = fuzz_words(data + 1, size - 1, &a, argv);
	if (!buf)
		return 0;
	if (add ? !nk_parse_add(&fuzz_ctx, &a, &c) : !nk_parse_set(&fuzz_ctx, &a, &c)) {
		struct nlmsghdr *nlh = nlmsg_put_header(tx);

		if (add)
			nk_build_add(nlh, &c, -1, nk_peer_template(c.name));
		else
			nk_build_set(nlh, &c, 1);
		if (nlh->nlmsg_len > sizeof(tx))
			abort();	/* the builder ran past the request buffer */
	}
	free(buf);
	return 0;
}
