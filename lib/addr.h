/* SPDX-License-Identifier: GPL-2.0 */
/* rtnetlink addresses and routes: an IP address (with a prefix length) as a
 * plain struct, and the requests that add, find and list them. */
#ifndef NK_ADDR_H
#define NK_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "nl.h"

struct nk_ip {
	int family;		/* AF_INET, AF_INET6; 0: none */
	uint8_t addr[16];
	int plen;		/* -1: none given */
};

/* "10.1.0.2", "10.1.0.2/24", "fd00::2/64": 0 or -EINVAL. Pure. */
int nk_ip_parse(const char *s, struct nk_ip *ip);
/* Without the prefix length if plen is false. Pure. */
void nk_ip_format(const struct nk_ip *ip, bool plen, char *buf, size_t len);
bool nk_ip_equal(const struct nk_ip *a, const struct nk_ip *b);	/* addresses only */
/* The host route's prefix length: 32 or 128 */
static inline int nk_ip_host_plen(const struct nk_ip *ip)
{
	return ip->family == 2 /* AF_INET */ ? 32 : 128;
}

/* Add ip/plen to ifindex (replacing one that is there), with scope
 * (RT_SCOPE_*); IPv6 without duplicate address detection (IFA_F_NODAD):
 * usable at once. 0 or -errno. */
int addr_add(struct nl *nl, int ifindex, const struct nk_ip *ip, int plen, unsigned char scope);
/* The addresses of ifindex (any family): fn for each. 0, -errno or fn's. */
int addr_list(struct nl *nl, int ifindex, int (*fn)(const struct nk_ip *ip, void *data), void *data);

/* A route to dst/plen in the main table: through gw when gw, out of ifindex,
 * with scope; created or replaced. 0 or -errno. */
int route_add(struct nl *nl, const struct nk_ip *dst, int plen, const struct nk_ip *gw,
	      int ifindex, unsigned char scope);
/* The device the kernel routes ip out of (RTM_GETROUTE): its ifindex, or
 * -errno (-ENETUNREACH...). */
int route_oif(struct nl *nl, const struct nk_ip *ip);
/* The host routes (/32, /128) of the main table out of ifindex: fn for each. */
int route_list_hosts(struct nl *nl, int ifindex, int (*fn)(const struct nk_ip *ip, void *data),
		     void *data);
/* The devices of the main table's default routes (IPv4, then IPv6), each
 * once, at most max: how many, or -errno. */
int route_default_oifs(struct nl *nl, int *oif, size_t max);

#endif
