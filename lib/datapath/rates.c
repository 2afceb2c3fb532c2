// SPDX-License-Identifier: GPL-2.0
/* The data path's rate map: a pod's bandwidth by its host end, written by
 * the CNI plugin's ADD, removed by DEL and GC, read by CHECK and show. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include "datapath/dp.h"
#include "grow.h"

void nk_dp_rate_of(const struct nk_dp_bw *bw, struct nk_dp_rate *r)
{
	memset(r, 0, sizeof(*r));
	r->egress_rate = bw->egress_rate;
	r->egress_burst = bw->egress_burst;
	r->ingress_rate = bw->ingress_rate;
	r->ingress_burst = bw->ingress_burst;
}

int nk_dp_rate_put(int fd, int ifindex, const struct nk_dp_bw *bw)
{
	struct nk_dp_rate r;
	__u32 key = ifindex;

	nk_dp_rate_of(bw, &r);
	return nk_dp_value_put(fd, &key, sizeof(key), &r, sizeof(r));
}

int nk_dp_rate_get(int fd, int ifindex, struct nk_dp_rate *r)
{
	__u32 key = ifindex;

	return nk_dp_value_get(fd, &key, sizeof(key), r, sizeof(*r));
}

int nk_dp_rate_del(int fd, int ifindex)
{
	__u32 key = ifindex;

	return bpf_map_delete_elem(fd, &key) && errno != ENOENT ? -errno : 0;
}

int nk_dp_rates_read(int fd, struct nk_dp_rate_entry **out, size_t *n)
{
	struct nk_dp_rate_entry *v = NULL;
	__u32 key, next;
	size_t cap = 0;
	void *prev = NULL;

	*n = 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		struct nk_dp_rate_entry e = { .ifindex = (int)next };

		key = next;
		prev = &key;
		if (nk_dp_value_get(fd, &key, sizeof(key), &e.r, sizeof(e.r)))
			continue;	/* gone meanwhile */
		if (NK_GROW(v, *n, cap)) {
			free(v);
			return -ENOMEM;
		}
		v[(*n)++] = e;
	}
	if (errno != ENOENT) {
		free(v);
		return -errno;
	}
	*out = v;
	return 0;
}

int nk_dp_rates_prune(int fd)
{
	struct nk_dp_rate_entry *e = NULL;
	char name[IF_NAMESIZE];
	size_t n = 0;
	int err = nk_dp_rates_read(fd, &e, &n);

	for (size_t i = 0; !err && i < n; i++)
		if (!if_indextoname(e[i].ifindex, name))
			err = nk_dp_rate_del(fd, e[i].ifindex);
	free(e);
	return err;
}
