// SPDX-License-Identifier: GPL-2.0
/* sockreap's filter parser on arbitrary words, and the matcher on what it
 * accepts. */
#include "fuzz.h"
#include "reap_words.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_MAX_WORDS], *buf;
	struct nk_sock s = { .family = 2, .proto = NK_PROTO_TCP, .state = 1, .cookie = 1 };
	struct nk_filter f;
	struct nk_args a;
	bool all;

	buf = fuzz_words(data, size, &a, argv);
	if (!buf)
		return 0;
	if (!reap_parse_filter(&fuzz_ctx, &a, &f, &all)) {
		nk_sock_match(&f, &s);
		reap_filter_empty(&f);
	}
	free(buf);
	return 0;
}
