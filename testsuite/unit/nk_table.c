// SPDX-License-Identifier: GPL-2.0
/* nk_table: the netkit attribute table, a line each of the attributes
 * nkctl takes, for the offline test that the help, the man pages, the
 * completion and the README agree with it: WORD, USAGE (as the help
 * writes it), PEER (1: per side), SETTABLE, the CNI plugin's keys ("-"
 * where it has none) and the words of an enumeration, tab-separated. */
#include <stdio.h>
#include "cni.h"

int main(void)
{
	for (size_t i = 0; i < nk_attr_count; i++) {
		const struct nk_attr *a = &nk_attr_table[i];
		char usage[128], key[32] = "-", peer_key[32] = "-";

		if (a->kw < 0 || nk_attr_usage(a, usage, sizeof(usage)))
			continue;
		if (cni_netkit_attr(a)) {
			cni_netkit_key(a, false, key);
			if (a->peer_type)
				cni_netkit_key(a, true, peer_key);
		}
		printf("%s\t%s\t%d\t%d\t%s\t%s\t", a->word, usage, !!a->peer_type, a->settable, key,
		       peer_key);
		for (int j = 0; a->names && a->names[j]; j++)
			printf("%s%s", j ? " " : "", a->names[j]);
		putchar('\n');
	}
	return 0;
}
