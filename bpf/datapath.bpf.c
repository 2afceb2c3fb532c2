// SPDX-License-Identifier: GPL-2.0
/*
 * The nktools data path: pods at host speed.
 *
 * nk_dp_from_pod (netkit peer hook, the pod transmits): to a pod of this
 * node, straight to its host end (bpf_redirect); to anything the node routes
 * out of an uplink, a FIB lookup and bpf_redirect_neigh. The rest passes to
 * the host's stack unchanged: ARP and neighbour discovery, multicast and
 * broadcast, traffic to the node itself, no route or a route elsewhere,
 * fragments, IPv4 options, IPv6 extension headers, an expiring TTL, a
 * packet too big for the route, a source address not the pod's own.
 *
 * nk_dp_to_pod (netkit primary hook, the host transmits to the pod): the
 * packets the host's stack delivers (not the fast path's) record their flow
 * in nk_dp_flows, and the pod's answers take the stack too: a flow passes
 * netfilter (conntrack, portmap's DNAT, firewall) in both directions or in
 * neither.
 *
 * nk_dp_from_wire (tcx ingress of an uplink): packets for a pod of this node
 * go straight into the pod's namespace (bpf_redirect_peer), skipping the
 * host's stack and the backlog, unless their flow is the stack's.
 *
 * Forwarding is a router's: the TTL or hop limit goes down by one.
 *
 * nk_dp_pace_out (netkit peer hook, before nk_dp_from_pod) and
 * nk_dp_pace_in (tcx egress of the host end): a pod's rates
 * (nk_dp_rates), each packet stamped with its earliest departure time for
 * the fq qdisc of the uplink, or of the host end, to honour.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmpv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "datapath.h"

#define NK_PASS		0	/* TCX_PASS, NETKIT_PASS: to the stack (or the pod) */
#define NK_NEXT		-1	/* TCX_NEXT, NETKIT_NEXT: the next program decides */
#define NK_DROP		2	/* TCX_DROP, NETKIT_DROP */
#define NK_AF_INET	2
#define NK_AF_INET6	10

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NK_DP_MAX_ENDPOINTS);
	__type(key, struct nk_dp_addr);
	__type(value, struct nk_dp_endpoint);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nk_dp_endpoints SEC(".maps");

/* the flows that reached a pod through the stack, keyed as they travel to it */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, NK_DP_MAX_FLOWS);
	__type(key, struct nk_dp_flow);
	__type(value, __u64);	/* when last seen (ns) */
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nk_dp_flows SEC(".maps");

/* the uplinks the fast path forwards to (ifindex -> 1) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nk_dp_uplinks SEC(".maps");

/* the pods' bandwidth, by host end (ifindex) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NK_DP_MAX_ENDPOINTS);
	__type(key, __u32);
	__type(value, struct nk_dp_rate);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nk_dp_rates SEC(".maps");

/* A redirect to a pod of this node in flight on this CPU: the packet reaches
 * that pod's primary hook before anything else runs there, and is the fast
 * path's, not the stack's. */
struct nk_dp_inflight {
	__u32 ifindex;		/* the host end it went to */
	__u32 len;
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nk_dp_inflight);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nk_dp_inflight SEC(".maps");

struct pkt {
	struct nk_dp_flow f;
	__u8 family;		/* NK_AF_INET or NK_AF_INET6; 0: not ours */
	__u8 ttl;
	__u8 tos;
	__u32 flowinfo;
};

static __always_inline void v4_mapped(__u8 *a, __u32 addr)
{
	__builtin_memset(a, 0, 10);
	a[10] = a[11] = 0xff;
	__builtin_memcpy(a + 12, &addr, 4);
}

/* Parse an Ethernet frame into p: 0, or -1 where the fast path does not
 * touch it (not IP, fragments, options, extension headers, neighbour
 * discovery, truncated). */
static __always_inline int parse(struct __sk_buff *skb, struct pkt *p)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	void *l4;

	if ((void *)(eth + 1) > end)
		return -1;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > end || ip->ihl != 5 || (ip->frag_off & bpf_htons(0x3fff)))
			return -1;
		p->family = NK_AF_INET;
		v4_mapped(p->f.src, ip->saddr);
		v4_mapped(p->f.dst, ip->daddr);
		p->f.proto = ip->protocol;
		p->ttl = ip->ttl;
		p->tos = ip->tos;
		l4 = ip + 1;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > end)
			return -1;
		p->family = NK_AF_INET6;
		__builtin_memcpy(p->f.src, &ip6->saddr, 16);
		__builtin_memcpy(p->f.dst, &ip6->daddr, 16);
		p->f.proto = ip6->nexthdr;
		p->ttl = ip6->hop_limit;
		p->flowinfo = *(__u32 *)ip6 & bpf_htonl(0x0fffffff);
		l4 = ip6 + 1;
		if (ip6->nexthdr == IPPROTO_ICMPV6) {
			struct icmp6hdr *ic = l4;

			if ((void *)(ic + 1) > end)
				return -1;
			/* router and neighbour discovery: the stack's */
			if (ic->icmp6_type >= 133 && ic->icmp6_type <= 137)
				return -1;
		} else if (ip6->nexthdr != IPPROTO_TCP && ip6->nexthdr != IPPROTO_UDP) {
			return -1;
		}
	} else {
		return -1;
	}
	if (p->f.proto == IPPROTO_TCP || p->f.proto == IPPROTO_UDP) {
		struct udphdr *uh = l4;	/* the ports are where TCP has them */

		if ((void *)(uh + 1) > end)
			return -1;
		p->f.sport = uh->source;
		p->f.dport = uh->dest;
	}
	return 0;
}

/* The TTL or hop limit down by one (with the IPv4 checksum), and the MACs
 * rewritten when mac is given (dst then src, 12 bytes). */
static __always_inline int forward(struct __sk_buff *skb, const struct pkt *p, const __u8 *mac)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return -1;
	if (p->family == NK_AF_INET) {
		struct iphdr *ip = (void *)(eth + 1);
		__u32 check;

		if ((void *)(ip + 1) > end)
			return -1;
		check = ip->check;
		check += bpf_htons(0x0100);
		ip->check = (__u16)(check + (check >= 0xffff));
		ip->ttl--;
	} else {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > end)
			return -1;
		ip6->hop_limit--;
	}
	if (mac)
		__builtin_memcpy(eth, mac, 12);
	return 0;
}

static __always_inline void flow_reverse(struct nk_dp_flow *r, const struct nk_dp_flow *f)
{
	__builtin_memcpy(r->src, f->dst, 16);
	__builtin_memcpy(r->dst, f->src, 16);
	r->sport = f->dport;
	r->dport = f->sport;
	r->proto = f->proto;
	r->pad[0] = r->pad[1] = r->pad[2] = 0;
}

static __always_inline void count(__u64 *packets, __u64 *bytes, __u32 len)
{
	__sync_fetch_and_add(packets, 1);
	__sync_fetch_and_add(bytes, len);
}

/* len bytes at rate bits per second: ns */
static __always_inline __u64 ns_at(__u64 len, __u64 rate)
{
	return len * 8 * 1000000000ULL / rate;
}

/* The earliest departure time of a packet of len bytes at rate, after the
 * last one's (*next), for an fq qdisc: NK_NEXT, or NK_DROP past the
 * horizon. */
static __always_inline int pace(struct __sk_buff *skb, __u64 rate, __u64 *next, __u64 *dropped)
{
	__u64 now, t, at;

	if (!rate)
		return NK_NEXT;
	now = bpf_ktime_get_ns();
	t = skb->tstamp_type == BPF_SKB_TSTAMP_DELIVERY_MONO && skb->tstamp > now ? skb->tstamp : now;
	at = *next + ns_at(skb->len, rate);
	if (at <= t) {		/* below the rate: now (or when its socket said) */
		*next = t;
		return NK_NEXT;
	}
	if (at - now >= NK_DP_HORIZON_NS) {
		__sync_fetch_and_add(dropped, 1);
		return NK_DROP;
	}
	*next = at;
	bpf_skb_set_tstamp(skb, at, BPF_SKB_TSTAMP_DELIVERY_MONO);
	return NK_NEXT;
}

/* Pod egress at its rate (netkit peer hook; skb->ifindex is the host end),
 * before the forwarder, so that its packets carry their time to the
 * uplink's fq */
SEC("netkit/peer")
int nk_dp_pace_out(struct __sk_buff *skb)
{
	__u32 key = skb->ifindex;
	struct nk_dp_rate *r = bpf_map_lookup_elem(&nk_dp_rates, &key);

	return r ? pace(skb, r->egress_rate, &r->egress_next, &r->egress_dropped) : NK_NEXT;
}

/* Pod ingress at its rate (tcx egress of the host end, before its fq) */
SEC("tcx/egress")
int nk_dp_pace_in(struct __sk_buff *skb)
{
	__u32 key = skb->ifindex;
	struct nk_dp_rate *r = bpf_map_lookup_elem(&nk_dp_rates, &key);

	return r ? pace(skb, r->ingress_rate, &r->ingress_next, &r->ingress_dropped) : NK_NEXT;
}

SEC("netkit/peer")
int nk_dp_from_pod(struct __sk_buff *skb)
{
	struct bpf_fib_lookup fib = {};
	struct nk_dp_endpoint *ep, *src;
	struct nk_dp_flow rev;
	struct pkt p = {};
	__u32 zero = 0, len = skb->len;
	int rc;

	if (parse(skb, &p) || p.ttl <= 1)
		return NK_PASS;
	/* a flow that came in through the stack goes out through it */
	flow_reverse(&rev, &p.f);
	if (bpf_map_lookup_elem(&nk_dp_flows, &rev))
		return NK_PASS;
	/* only a pod's own address takes the fast path: anything else (a
	 * spoofed or foreign source) is the stack's to judge */
	src = bpf_map_lookup_elem(&nk_dp_endpoints, p.f.src);
	if (!src || src->ifindex != skb->ifindex || (src->flags & NK_DP_EP_STACK))
		return NK_PASS;

	ep = bpf_map_lookup_elem(&nk_dp_endpoints, p.f.dst);
	if (ep && (ep->flags & NK_DP_EP_STACK))
		return NK_PASS;
	if (ep) {		/* a pod of this node */
		struct nk_dp_inflight *fl = bpf_map_lookup_elem(&nk_dp_inflight, &zero);
		__u8 mac[12];

		__builtin_memcpy(mac, ep->pod_mac, 6);
		__builtin_memcpy(mac + 6, ep->host_mac, 6);
		if (!fl || forward(skb, &p, mac))
			return NK_PASS;
		fl->ifindex = ep->ifindex;
		fl->len = len;
		count(&ep->to_packets, &ep->to_bytes, len);
		count(&src->from_packets, &src->from_bytes, len);
		return bpf_redirect(ep->ifindex, 0);
	}

	/* out of the node: the FIB, as if the packet came in on the host end */
	fib.ifindex = skb->ifindex;
	fib.l4_protocol = p.f.proto;
	fib.sport = p.f.sport;
	fib.dport = p.f.dport;
	/* tot_len 0: the kernel checks the skb against the route's MTU as the
	 * stack would, by its segments where it is GSO (a pod's 64K TCP
	 * segments are not "too big") */
	if (p.family == NK_AF_INET) {
		fib.family = NK_AF_INET;
		fib.tos = p.tos;
		__builtin_memcpy(&fib.ipv4_src, p.f.src + 12, 4);
		__builtin_memcpy(&fib.ipv4_dst, p.f.dst + 12, 4);
	} else {
		fib.family = NK_AF_INET6;
		fib.flowinfo = p.flowinfo;
		__builtin_memcpy(fib.ipv6_src, p.f.src, 16);
		__builtin_memcpy(fib.ipv6_dst, p.f.dst, 16);
	}
	/* the neighbour is bpf_redirect_neigh's to resolve */
	rc = bpf_fib_lookup(skb, &fib, sizeof(fib), BPF_FIB_LOOKUP_SKIP_NEIGH);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return NK_PASS;	/* local, no route, unreachable, too big, ... */
	if (!bpf_map_lookup_elem(&nk_dp_uplinks, &fib.ifindex))
		return NK_PASS;	/* routed elsewhere than an uplink */
	{
		struct bpf_redir_neigh nh = { .nh_family = fib.family };

		if (fib.family == NK_AF_INET)
			nh.ipv4_nh = fib.ipv4_dst;
		else
			__builtin_memcpy(nh.ipv6_nh, fib.ipv6_dst, 16);
		if (forward(skb, &p, NULL))
			return NK_PASS;
		count(&src->from_packets, &src->from_bytes, len);
		return bpf_redirect_neigh(fib.ifindex, &nh, sizeof(nh), 0);
	}
}

SEC("netkit/primary")
int nk_dp_to_pod(struct __sk_buff *skb)
{
	struct nk_dp_inflight *fl;
	struct pkt p = {};
	__u32 zero = 0;
	__u64 now;

	fl = bpf_map_lookup_elem(&nk_dp_inflight, &zero);
	if (fl && fl->ifindex) {
		int ours = fl->len == skb->len;

		fl->ifindex = 0;	/* consumed, or stale */
		if (ours)
			return NK_NEXT;
	}
	if (parse(skb, &p))
		return NK_NEXT;
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&nk_dp_flows, &p.f, &now, BPF_ANY);
	return NK_NEXT;
}

SEC("tcx/ingress")
int nk_dp_from_wire(struct __sk_buff *skb)
{
	struct nk_dp_endpoint *ep;
	struct pkt p = {};
	__u8 mac[12];

	if (parse(skb, &p) || p.ttl <= 1)
		return NK_NEXT;
	ep = bpf_map_lookup_elem(&nk_dp_endpoints, p.f.dst);
	if (!ep || (ep->flags & NK_DP_EP_STACK) || bpf_map_lookup_elem(&nk_dp_flows, &p.f))
		return NK_NEXT;
	__builtin_memcpy(mac, ep->pod_mac, 6);
	__builtin_memcpy(mac + 6, ep->host_mac, 6);
	if (forward(skb, &p, mac))
		return NK_NEXT;
	count(&ep->to_packets, &ep->to_bytes, skb->len);
	return bpf_redirect_peer(ep->ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
