// SPDX-License-Identifier: GPL-2.0
/* One netkit device, text or JSON: a pure function of its RTM_NEWLINK
 * message and the resolved peer, testable on canned messages. Every
 * IFLA_NETKIT_* attribute the kernel sends is printed, known or not. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include "nl.h"
#include "compat.h"
#include "link.h"
#include "datapath/dp.h"
#include "nk_words.h"

/* One netkit attribute from the table: an enumeration's word (or
 * "unknown(N)"), or a number */
static void print_attr(struct out *o, const struct nk_attr *a, const char *key,
		       const char *label, uint32_t v)
{
	char fmt[64], unknown[32];
	const char *s;

	if (!a->names) {
		snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, label);
		out_uint(o, key, fmt, v);
		return;
	}
	s = nk_attr_name(a, a->kw < 0 ? !!v : v);
	if (!s) {
		snprintf(unknown, sizeof(unknown), "unknown(%u)", v);
		s = unknown;
	}
	snprintf(fmt, sizeof(fmt), " %s %%s", label);
	out_str(o, key, fmt, s);
}

static void print_flags(struct out *o, unsigned int flags)
{
	static const struct { unsigned int bit; const char *name; } names[] = {
		{ IFF_UP, "UP" }, { IFF_BROADCAST, "BROADCAST" }, { IFF_NOARP, "NOARP" },
		{ IFF_MULTICAST, "MULTICAST" }, { IFF_LOWER_UP, "LOWER_UP" },
	};
	bool first = true;

	out_text(o, " <");
	out_open_array(o, "flags");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].bit))
			continue;
		out_str(o, NULL, first ? "%s" : ",%s", names[i].name);
		first = false;
	}
	out_close_array(o);
	out_text(o, ">");
}

static void print_sizes(struct out *o, const uint32_t *size, const bool *has_size)
{
	char fmt[64];

	for (int i = 0; i < LINK_SIZE_COUNT; i++) {
		if (!has_size[i])
			continue;
		snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, link_sizes[i].name);
		out_uint(o, link_sizes[i].name, fmt, size[i]);
	}
}

static void print_peer(struct out *o, const struct nk_peer *p, const char *sep)
{
	if (!p || !p->present) {
		out_text(o, "%s", sep);
		out_null(o, "peer", "peer none");
		return;
	}
	out_text(o, "%speer", sep);
	out_open(o, "peer");
	if (p->found)
		out_str(o, "ifname", " %s", p->ifname);
	out_uint(o, "ifindex", " ifindex %" PRIu64, p->ifindex);
	if (p->ns_unknown) {
		out_bool(o, "netns_unknown", " netns unknown", true);
	} else if (p->netnsid >= 0) {
		out_int(o, "netnsid", " netnsid %" PRId64, p->netnsid);
		if (p->netns[0])
			out_str(o, "netns", " netns %s", p->netns);
	}
	if (p->found)
		print_sizes(o, p->size, p->has_size);
	out_close(o);
}

/* The device's fields, its lines joined by sep */
static void print_link(struct out *o, const struct link *l, const struct nk_peer *peer,
		       const char *sep)
{
	struct nk_attrs na;
	char addr[100];

	nk_parse_attrs(l->info_data, &na);
	out_uint(o, "ifindex", "%" PRIu64 ": ", l->ifindex);
	out_str(o, "ifname", "%s:", l->ifname);
	print_flags(o, l->flags);
	out_uint(o, "mtu", " mtu %" PRIu64, l->mtu);
	if (l->has_operstate)
		out_str(o, "operstate", " state %s", link_operstate_name(l->operstate));
	if (l->addrlen) {
		link_format_addr(l->address, l->addrlen, addr, sizeof(addr));
		out_str(o, "address", " address %s", addr);
	}
	if (memchr(l->has_size, true, sizeof(l->has_size))) {
		out_text(o, "%.*s", (int)strlen(sep) - 1, sep);
		print_sizes(o, l->size, l->has_size);
	}
	out_text(o, "%snetkit", sep);
	for (size_t i = 0; i < nk_attr_count; i++) {
		const struct nk_attr *a = &nk_attr_table[i];
		char label[40];

		if (na.has[a->type])
			print_attr(o, a, a->key, a->word, na.val[a->type]);
		if (a->peer_type && na.has[a->peer_type]) {
			snprintf(label, sizeof(label), "peer %s", a->word);
			print_attr(o, a, a->peer_key, label, na.val[a->peer_type]);
		}
	}
	if (na.nunknown) {
		out_open_array(o, "unknown_attrs");
		for (int i = 0; i < na.nunknown; i++)
			out_uint(o, NULL, " attr%" PRIu64, na.unknown[i]);
		out_close_array(o);
	}
	print_peer(o, peer, sep);
}

/* The data path's entries of the device: its pod's addresses, with what
 * the fast path forwarded to and from each */
static void print_endpoints(struct out *o, int ifindex, const struct nk_dp_entry *e, size_t n,
			    const char *sep)
{
	bool any = false;
	char a[64];

	for (size_t i = 0; i < n; i++) {
		if (e[i].ep.ifindex != (uint32_t)ifindex)
			continue;
		if (!any)
			out_open_array(o, "endpoints");
		any = true;
		nk_ip_format(&e[i].ip, false, a, sizeof(a));
		out_text(o, "%s", sep);
		out_open(o, NULL);
		out_str(o, "address", "endpoint %s", a);
		out_uint(o, "to_packets", " to %" PRIu64 " packets", e[i].ep.to_packets);
		out_uint(o, "to_bytes", " %" PRIu64 " bytes", e[i].ep.to_bytes);
		out_uint(o, "from_packets", " from %" PRIu64 " packets", e[i].ep.from_packets);
		out_uint(o, "from_bytes", " %" PRIu64 " bytes", e[i].ep.from_bytes);
		out_close(o);
	}
	if (any)
		out_close_array(o);
}

/* The device's pod's rates (runtimeConfig.bandwidth), in bits per second,
 * and the packets the pacers dropped past their horizon */
static void print_rate(struct out *o, int ifindex, const struct nk_dp_rate_entry *r, size_t n,
		       const char *sep)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].ifindex != ifindex)
			continue;
		out_text(o, "%s", sep);
		out_open(o, "rate");
		if (r[i].r.egress_rate) {
			out_uint(o, "egress", "rate egress %" PRIu64 "bit", r[i].r.egress_rate);
			out_uint(o, "egress_dropped", " dropped %" PRIu64, r[i].r.egress_dropped);
		}
		if (r[i].r.ingress_rate) {
			out_text(o, "%s", r[i].r.egress_rate ? " " : "rate ");
			out_uint(o, "ingress", "ingress %" PRIu64 "bit", r[i].r.ingress_rate);
			out_uint(o, "ingress_dropped", " dropped %" PRIu64, r[i].r.ingress_dropped);
		}
		out_close(o);
		return;
	}
}

void nk_print(struct out *o, const struct nlmsghdr *nlh, const struct nk_peer *peer,
	      const struct nk_dp_view *dp)
{
	struct link l;

	if (link_parse(nlh, &l) < 0)
		return;
	out_open(o, NULL);
	print_link(o, &l, peer, "\n    ");
	print_endpoints(o, l.ifindex, dp->eps, dp->neps, "\n    ");
	print_rate(o, l.ifindex, dp->rates, dp->nrates, "\n    ");
	out_text(o, "\n");
	out_close(o);
}

static void print_where(struct out *o, int nsid, const char *name)
{
	if (nsid < 0)
		return;		/* ours, or one we cannot name */
	out_int(o, "netnsid", "netnsid %" PRId64 " ", nsid);
	if (name && *name)
		out_str(o, "netns", "netns %s ", name);
}

void nk_print_event(struct out *o, enum nk_event ev, const struct nk_where *w,
		    const struct link *l, const struct nk_peer *peer)
{
	out_open(o, NULL);
	out_str(o, "event", "%s ", nk_event_names[ev]);
	print_where(o, w->nsid, w->netns);
	print_link(o, l, peer, " ");
	if (ev == NK_EV_MOVED) {
		out_text(o, " to ");
		out_open(o, "to");
		print_where(o, w->new_nsid, w->new_netns);
		out_int(o, "ifindex", "ifindex %" PRId64, l->new_ifindex);
		out_close(o);
	}
	out_text(o, "\n");
	out_close(o);
}
