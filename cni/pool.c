// SPDX-License-Identifier: GPL-2.0
/* STATUS for IPAM plugins older than CNI 1.1 (host-local): is a range set
 * of the configuration full? host-local hands out one address per range set
 * and keeps a file per lease, named by the address, in dataDir/NETWORK. */
#include <arpa/inet.h>
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "plugin.h"

static uint64_t offset(const struct span *s, const struct nk_ip *ip)
{
	int n = s->family == AF_INET ? 4 : 16, bits = n * 8 - s->plen;
	uint32_t v = (uint32_t)ip->addr[n - 4] << 24 | ip->addr[n - 3] << 16 |
		     ip->addr[n - 2] << 8 | ip->addr[n - 1];

	return bits >= 32 ? v : v & ((1u << bits) - 1);
}

static bool inside(const struct span *s, const struct nk_ip *ip)
{
	int full = s->plen / 8;

	if (ip->family != s->family || memcmp(ip->addr, s->base, full))
		return false;
	if (s->plen % 8 && (ip->addr[full] ^ s->base[full]) & (0xff << (8 - s->plen % 8)))
		return false;
	return true;
}

/* A range object into s: 0, or -1 if it is not one (or too wide to fill) */
int pool_span(const struct json *r, struct span *s)
{
	struct nk_ip sub, ip;
	int bits;

	memset(s, 0, sizeof(*s));
	if (!json_str(json_get(r, "subnet")) || nk_ip_parse(json_str(json_get(r, "subnet")), &sub) ||
	    sub.plen < 0)
		return -1;
	s->family = sub.family;
	s->plen = sub.plen;
	bits = (sub.family == AF_INET ? 32 : 128) - sub.plen;
	if (bits > 32 || bits < 2)
		return -1;
	memcpy(s->base, sub.addr, 16);
	for (int i = 0; i < 16; i++) {
		int keep = sub.plen - i * 8;

		s->base[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 : (0xff << (8 - keep)) & 0xff;
	}
	s->start = 1;
	s->end = (1ULL << bits) - 1 - (sub.family == AF_INET);	/* v4: not the broadcast */
	s->gw = 1;
	if (json_str(json_get(r, "rangeStart")) && !nk_ip_parse(json_str(json_get(r, "rangeStart")), &ip) &&
	    inside(s, &ip))
		s->start = offset(s, &ip);
	if (json_str(json_get(r, "rangeEnd")) && !nk_ip_parse(json_str(json_get(r, "rangeEnd")), &ip) &&
	    inside(s, &ip))
		s->end = offset(s, &ip);
	if (json_str(json_get(r, "gateway")) && !nk_ip_parse(json_str(json_get(r, "gateway")), &ip))
		s->gw = inside(s, &ip) ? offset(s, &ip) : UINT64_MAX;
	return s->start <= s->end ? 0 : -1;
}

uint64_t pool_size(const struct span *s)
{
	return s->end - s->start + 1 - (s->gw >= s->start && s->gw <= s->end);
}

bool pool_has(const struct span *s, const struct nk_ip *ip)
{
	uint64_t o;

	if (!inside(s, ip))
		return false;
	o = offset(s, ip);
	return o >= s->start && o <= s->end && o != s->gw;
}

/* Is one range set full? 0, or E_UNAVAILABLE after cni_fail */
int ipam_pool_status(struct plugin *p)
{
	const struct json *ipam = json_get(p->c.root, "ipam"), *ranges = json_get(ipam, "ranges");
	const char *data = json_str(json_get(ipam, "dataDir"));
	struct json *single = NULL, *set = NULL;
	char dir[PATH_MAX];
	int ret = 0;

	if (strcmp(p->c.ipam_type, "host-local"))
		return 0;	/* nothing known of others */
	snprintf(dir, sizeof(dir), "%s/%s", data ? data : "/var/lib/cni/networks", p->c.name);
	if (!ranges) {	/* the older form: one range at the top of "ipam" */
		single = json_new(JSON_ARR);
		set = json_new(JSON_ARR);
		if (!single || !set || json_push(set, json_dup(ipam)) || json_push(single, set)) {
			json_free(single);
			return 0;
		}
		ranges = single;
	}
	json_for_each(rs, ranges) {
		uint64_t size = 0, used = 0;
		bool bounded = true;
		struct dirent *de;
		DIR *d;

		json_for_each(r, rs) {
			struct span s;

			if (pool_span(r, &s))
				bounded = false;
			else
				size += pool_size(&s);
		}
		if (!bounded || !(d = opendir(dir)))
			continue;
		while ((de = readdir(d))) {
			struct nk_ip ip;
			bool in = false;

			if (nk_ip_parse(de->d_name, &ip))
				continue;
			json_for_each(r, rs) {
				struct span s;

				in |= !pool_span(r, &s) && pool_has(&s, &ip);
			}
			used += in;
		}
		closedir(d);
		if (used >= size) {
			ret = cni_fail(&p->err, E_UNAVAILABLE, dir,
				       "the address range is exhausted (%llu of %llu leased)",
				       (unsigned long long)used, (unsigned long long)size);
			break;
		}
	}
	json_free(single);
	return ret;
}
