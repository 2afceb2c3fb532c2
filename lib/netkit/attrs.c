// SPDX-License-Identifier: GPL-2.0
/* A link message's IFLA_INFO_DATA -> struct nk_attrs. Pure. */
#include <string.h>
#include <libmnl/libmnl.h>
#include "netkit/netkit.h"

void nk_parse_attrs(const struct nlattr *info_data, struct nk_attrs *na)
{
	const struct nlattr *a;

	memset(na, 0, sizeof(*na));
	if (!info_data)
		return;
	mnl_attr_for_each_nested(a, info_data) {
		int type = mnl_attr_get_type(a);
		size_t len = mnl_attr_get_payload_len(a);

		if (type <= 0 || type > NK_IFLA_NETKIT_MAX) {
			if (na->nunknown < (int)(sizeof(na->unknown) / sizeof(na->unknown[0])))
				na->unknown[na->nunknown++] = type;
			continue;
		}
		na->has[type] = true;
		if (len >= 4)
			na->val[type] = mnl_attr_get_u32(a);
		else if (len >= 2)
			na->val[type] = mnl_attr_get_u16(a);
		else if (len >= 1)
			na->val[type] = mnl_attr_get_u8(a);
	}
}
