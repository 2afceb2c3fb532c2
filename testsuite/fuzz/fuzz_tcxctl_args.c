// SPDX-License-Identifier: GPL-2.0
/* tcxctl's argument parser on arbitrary words; the first byte picks the
 * command. */
#include "fuzz.h"
#include "tcxctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_MAX_WORDS], *buf, text[128];
	struct tcx_req r;
	struct nk_args a;

	if (!size)
		return 0;
	buf = fuzz_words(data + 1, size - 1, &a, argv);
	if (!buf)
		return 0;
	if (!tcx_parse(&fuzz_ctx, data[0] % (CMD_SHOW + 1), &a, &r)) {
		ref_str(&r.ref, text, sizeof(text));
		ref_str(&r.anchor, text, sizeof(text));
	}
	free(buf);
	return 0;
}
