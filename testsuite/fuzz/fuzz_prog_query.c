// SPDX-License-Identifier: GPL-2.0
/* tcxctl's reading of a BPF_PROG_QUERY answer: the bytes are the revision,
 * the count the kernel claims and the id arrays, of whatever length. */
#include "fuzz.h"
#include "tcxctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hook_state st;
	uint32_t *ids, count, len;
	uint64_t revision;

	if (size < 12)
		return 0;
	memcpy(&revision, data, 8);
	memcpy(&count, data + 8, 4);
	len = (size - 12) / 8;
	ids = malloc((len ? len : 1) * 2 * sizeof(*ids));
	if (!ids)
		return 0;
	memcpy(ids, data + 12, len * 8);
	if (!hook_state_from_query(&st, revision, count, ids, ids + len, len) &&
	    (st.count != count || st.revision != revision))
		abort();
	free(ids);
	return 0;
}
