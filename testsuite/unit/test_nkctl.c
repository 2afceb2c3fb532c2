// SPDX-License-Identifier: GPL-2.0
/* Offline tests of nkctl's pure parts and of the library: no root, no
 * netlink socket. Canned messages stand for what the kernel sends. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include "nl.h"
#include "args.h"
#include "check.h"
#include "compat.h"
#include "exit.h"
#include "grow.h"
#include "link.h"
#include "nk_words.h"
#include "datapath/dp.h"
#include "out.h"

static struct nk_ctx ctx = { .prog = "test" };

static int parse(int (*fn)(struct nk_ctx *, struct nk_args *, struct nk_conf *),
		 struct nk_conf *c, const char *line)
{
	struct nk_args a = check_args(line);

	return fn(&ctx, &a, c);
}

static void test_parse_add(void)
{
	struct nk_conf c;

	CHECK(parse(nk_parse_add, &c, "nk0") == 0);
	CHECK(!strcmp(c.name, "nk0") && c.mode == NK_NETKIT_L3 && !c.peer.seen);

	CHECK(parse(nk_parse_add, &c, "nk0 mode l2 policy blackhole scrub none headroom 64 "
		    "tailroom 32 pairing pair address 02:00:00:00:00:01 mtu 9000 txqueues 2 "
		    "rxqueues 3 up peer name p0 netns pod policy blackhole scrub none "
		    "address 02:00:00:00:00:02 mtu 1400 up") == 0);
	CHECK(c.mode == NK_NETKIT_L2 && c.dev.policy == NK_NETKIT_DROP);
	CHECK(c.dev.scrub == NK_NETKIT_SCRUB_NONE && c.peer.scrub == NK_NETKIT_SCRUB_NONE);
	CHECK(c.headroom == 64 && c.tailroom == 32 && c.pairing == NK_NETKIT_DEVICE_PAIR);
	CHECK(c.dev.mac[5] == 1 && c.peer.mac[5] == 2);
	CHECK(c.dev.mtu == 9000 && c.peer.mtu == 1400);
	CHECK(c.txqueues == 2 && c.rxqueues == 3);
	CHECK(has(&c.dev, KW_UP) && has(&c.peer, KW_UP));
	CHECK(!strcmp(c.peer.name, "p0") && !strcmp(c.peer.netns, "pod"));
	CHECK(c.peer.policy == NK_NETKIT_DROP);

	/* every one of these is a usage error */
	static const char *const bad[] = {
		"", "nk0123456789abcdef", "nk0 address 02:00:00:00:00:01",
		"nk0 mode l2 address 2:0:0:0:0", "nk0 mode l2 address 03:00:00:00:00:01",
		"nk0 mode l2 address 00:00:00:00:00:00", "nk0 mode l4", "nk0 mode",
		"nk0 policy pass", "nk0 mtu 67", "nk0 mtu 65536", "nk0 headroom -1",
		"nk0 headroom 65536", "nk0 txqueues 0", "nk0 up up", "nk0 peer peer",
		"nk0 peer mode l2", "nk0 peer headroom 3", "nk0 down",
		"nk0 pairing single peer", "nk0 pairing single policy blackhole",
		"nk0 peer name nk0", "nk0 peer name a/b", "nk0 bogus", "nk0 mtu 1500x",
		"nk0 gso_max_size 0", "nk0 gro_max_size 524281", "nk0 txqueuelen 4294967296",
		"nk0 txqueuelen", "nk0 peer gso_ipv4_max_size 1 peer", NULL,
	};
	for (int i = 0; bad[i]; i++) {
		int ret = parse(nk_parse_add, &c, bad[i]);

		if (ret != NK_EXIT_USAGE)
			printf("accepted: add %s\n", bad[i]);
		CHECK(ret == NK_EXIT_USAGE);
	}
}

static void test_parse_set(void)
{
	struct nk_conf c;

	CHECK(parse(nk_parse_set, &c, "nk0 policy blackhole peer policy forward mtu 1400 down") == 0);
	CHECK(has(&c.dev, KW_POLICY) && has(&c.peer, KW_POLICY) && has(&c.dev, KW_DOWN));
	CHECK(c.dev.policy == NK_NETKIT_DROP && c.peer.policy == NK_NETKIT_PASS);
	CHECK(parse(nk_parse_set, &c, "nk0 gro_ipv4_max_size 65536 txqueuelen 10") == 0);
	CHECK(c.dev.size[LINK_GRO_IPV4_MAX_SIZE] == 65536 && c.dev.size[LINK_TXQLEN] == 10);
	static const char *const bad[] = {
		"nk0", "nk0 mode l2", "nk0 scrub none", "nk0 headroom 1", "nk0 tailroom 1",
		"nk0 pairing pair", "nk0 peer", "nk0 peer mtu 1400", "nk0 peer scrub none",
		"nk0 up down", "nk0 peer name x", "nk0 peer txqueuelen 1", NULL,
	};
	for (int i = 0; bad[i]; i++)
		CHECK(parse(nk_parse_set, &c, bad[i]) == NK_EXIT_USAGE);
}

/* Find a nested attribute by type, or NULL (also in a missing nest). */
static const struct nlattr *find(const struct nlattr *nest, int type)
{
	const struct nlattr *a;

	if (!nest)
		return NULL;
	nla_for_each_nested(a, nest)
		if (nla_type(a) == type)
			return a;
	return NULL;
}

/* Its value, or one no check expects when it is missing: a failed check
 * is reported, it does not crash the test. */
#define MISSING 0xdeadbeefu
static const char *str_of(const struct nlattr *nest, int type)
{
	const struct nlattr *a = find(nest, type);

	return a ? nla_str(a) : "(missing)";
}

static uint32_t u32_of(const struct nlattr *nest, int type)
{
	const struct nlattr *a = find(nest, type);

	return a ? nla_u32(a) : MISSING;
}

static uint32_t u16_of(const struct nlattr *nest, int type)
{
	const struct nlattr *a = find(nest, type);

	return a ? nla_u16(a) : MISSING;
}

static void test_build_add(void)
{
	char buf[4096];
	struct nlmsghdr *nlh = nlmsg_put_header(buf);
	const struct nlattr *a, *li = NULL, *data, *pi;
	struct nk_conf c;
	const char *ifname = NULL;

	nlmsg_put_extra(nlh, sizeof(struct ifinfomsg));
	CHECK(parse(nk_parse_add, &c, "nk0 headroom 8 gso_ipv4_max_size 131072 up "
		    "peer mtu 1400 txqueuelen 0 gro_max_size 200000") == 0);
	nk_build_add(nlh, &c, 7, nk_peer_template(c.name));
	CHECK(((struct ifinfomsg *)nlmsg_data(nlh))->ifi_flags & 1);
	nla_for_each(a, nlh, sizeof(struct ifinfomsg)) {
		if (nla_type(a) == IFLA_IFNAME)
			ifname = nla_str(a);
		if (nla_type(a) == IFLA_GSO_IPV4_MAX_SIZE)
			CHECK(nla_u32(a) == 131072);
		/* the peer's sizes stay in PEER_INFO */
		CHECK(nla_type(a) != IFLA_TXQLEN && nla_type(a) != IFLA_GRO_MAX_SIZE);
		if (nla_type(a) == IFLA_LINKINFO)
			li = a;
	}
	CHECK(ifname && !strcmp(ifname, "nk0"));
	CHECK_STR(str_of(li, IFLA_INFO_KIND), "netkit");
	data = find(li, IFLA_INFO_DATA);
	CHECK(u16_of(data, NK_IFLA_NETKIT_HEADROOM) == 8);
	CHECK(data && !find(data, NK_IFLA_NETKIT_MODE));	/* only what was asked for */
	pi = find(data, NK_IFLA_NETKIT_PEER_INFO);
	CHECK(pi != NULL);
	/* PEER_INFO: an ifinfomsg, then IFLA_* */
	if (pi) {
		const struct nlattr *p = (const void *)((const char *)nla_data(pi) +
						       NLA_ALIGN(sizeof(struct ifinfomsg)));
		int rem = nla_len(pi) - NLA_ALIGN(sizeof(struct ifinfomsg));
		int seen = 0;

		for (; nla_ok(p, rem); p = nla_next(p)) {
			rem -= NLA_ALIGN(p->nla_len);
			if (nla_type(p) == IFLA_IFNAME)
				seen |= !strcmp(nla_str(p), "nkp%d");
			if (nla_type(p) == IFLA_NET_NS_FD)
				seen |= (nla_u32(p) == 7) << 1;
			if (nla_type(p) == IFLA_MTU)
				seen |= (nla_u32(p) == 1400) << 2;
			if (nla_type(p) == IFLA_TXQLEN)
				seen |= (nla_u32(p) == 0) << 3;
			if (nla_type(p) == IFLA_GRO_MAX_SIZE)
				seen |= (nla_u32(p) == 200000) << 4;
			if (nla_type(p) == IFLA_GSO_IPV4_MAX_SIZE)
				seen |= 1 << 5;		/* the primary's, not here */
		}
		CHECK(seen == 31);
	}

	/* single: no PEER_INFO at all */
	nlh = nlmsg_put_header(buf);
	nlmsg_put_extra(nlh, sizeof(struct ifinfomsg));
	CHECK(parse(nk_parse_add, &c, "nk0 pairing single") == 0);
	nk_build_add(nlh, &c, -1, "nkp%d");
	li = NULL;
	nla_for_each(a, nlh, sizeof(struct ifinfomsg))
		if (nla_type(a) == IFLA_LINKINFO)
			li = a;
	data = find(li, IFLA_INFO_DATA);
	CHECK(data && !find(data, NK_IFLA_NETKIT_PEER_INFO));
	CHECK(data && u32_of(data, NK_IFLA_NETKIT_PAIRING) == NK_NETKIT_DEVICE_SINGLE);
}

static void test_peer_template(void)
{
	CHECK_STR(nk_peer_template("nk0"), "nkp%d");
	CHECK_STR(nk_peer_template("nkp0"), "nkq%d");
	CHECK_STR(nk_peer_template("nkp12"), "nkq%d");
	CHECK_STR(nk_peer_template("nkpod"), "nkp%d");
	CHECK_STR(nk_peer_template("nkp"), "nkp%d");
}

/* A canned RTM_NEWLINK as a 7.x kernel sends it for a primary in l2 mode
 * whose peer is in the namespace with nsid 3, with an attribute from the
 * future (11). */
static struct nlmsghdr *canned_link(char *buf, bool primary)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	struct nlmsghdr *nlh = nlmsg_put_header(buf);
	struct ifinfomsg *ifi = nlmsg_put_extra(nlh, sizeof(*ifi));
	struct nlattr *li, *data;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi->ifi_index = 7;
	ifi->ifi_flags = IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_LOWER_UP;
	nla_put_strz(nlh, IFLA_IFNAME, primary ? "nk0" : "eth0");
	nla_put_u32(nlh, IFLA_MTU, 1500);
	nla_put_u8(nlh, IFLA_OPERSTATE, 6);
	nla_put(nlh, IFLA_ADDRESS, 6, mac);
	nla_put_u32(nlh, IFLA_LINK, 2);
	nla_put_u32(nlh, IFLA_LINK_NETNSID, 3);
	li = nla_nest_start(nlh, IFLA_LINKINFO);
	nla_put_strz(nlh, IFLA_INFO_KIND, "netkit");
	data = nla_nest_start(nlh, IFLA_INFO_DATA);
	nla_put_u8(nlh, NK_IFLA_NETKIT_PRIMARY, primary);
	nla_put_u32(nlh, NK_IFLA_NETKIT_POLICY, NK_NETKIT_PASS);
	nla_put_u32(nlh, NK_IFLA_NETKIT_MODE, NK_NETKIT_L2);
	nla_put_u32(nlh, NK_IFLA_NETKIT_SCRUB, NK_NETKIT_SCRUB_DEFAULT);
	nla_put_u16(nlh, NK_IFLA_NETKIT_HEADROOM, 64);
	nla_put_u16(nlh, NK_IFLA_NETKIT_TAILROOM, 0);
	nla_put_u32(nlh, NK_IFLA_NETKIT_PAIRING, NK_NETKIT_DEVICE_PAIR);
	nla_put_u32(nlh, NK_IFLA_NETKIT_PEER_POLICY, NK_NETKIT_DROP);
	nla_put_u32(nlh, NK_IFLA_NETKIT_PEER_SCRUB, NK_NETKIT_SCRUB_NONE);
	nla_put_u32(nlh, 11, 5);
	nla_nest_end(nlh, data);
	nla_nest_end(nlh, li);
	return nlh;
}

static char *render_dp(const struct nlmsghdr *nlh, const struct nk_peer *p, bool json,
		       const struct nk_dp_view *dp)
{
	static char *text;
	size_t len;
	FILE *f;

	free(text);
	f = open_memstream(&text, &len);
	struct out o;

	out_init(&o, f, json, false);
	out_begin(&o);
	nk_print(&o, nlh, p, dp);
	out_end(&o);
	fclose(f);
	return text;
}

static char *render(const struct nlmsghdr *nlh, const struct nk_peer *p, bool json)
{
	static const struct nk_dp_view none;

	return render_dp(nlh, p, json, &none);
}

static void test_print(void)
{
	char buf[4096];
	struct nk_peer p = { .present = true, .found = true, .ifname = "eth0", .ifindex = 2,
			     .netnsid = 3, .netns = "pod" };
	struct nlmsghdr *nlh = canned_link(buf, true);

	CHECK_STR(render(nlh, &p, false),
		"7: nk0: <UP,BROADCAST,MULTICAST,LOWER_UP> mtu 1500 state up address 02:00:00:00:00:01\n"
		"    netkit mode l2 type primary policy forward peer policy blackhole scrub default"
		" peer scrub none headroom 64 tailroom 0 pairing pair attr11\n"
		"    peer eth0 ifindex 2 netnsid 3 netns pod\n");
	CHECK_STR(render(nlh, &p, true),
		"[{\"ifindex\":7,\"ifname\":\"nk0\",\"flags\":[\"UP\",\"BROADCAST\",\"MULTICAST\",\"LOWER_UP\"],"
		"\"mtu\":1500,\"operstate\":\"up\",\"address\":\"02:00:00:00:00:01\",\"mode\":\"l2\","
		"\"type\":\"primary\",\"policy\":\"forward\",\"peer_policy\":\"blackhole\","
		"\"scrub\":\"default\",\"peer_scrub\":\"none\",\"headroom\":64,\"tailroom\":0,"
		"\"pairing\":\"pair\",\"unknown_attrs\":[11],\"peer\":{\"ifname\":\"eth0\",\"ifindex\":2,"
		"\"netnsid\":3,\"netns\":\"pod\"}}]\n");
	/* a peer-side device; a single device has no peer */
	nlh = canned_link(buf, false);
	p.present = false;
	CHECK(strstr(render(nlh, &p, false), "type peer") != NULL);
	CHECK(strstr(render(nlh, &p, false), "peer none") != NULL);
	CHECK(strstr(render(nlh, &p, true), "\"peer\":null") != NULL);

	/* the sizes, on their own line and under ip's keys, also the peer's */
	nlh = canned_link(buf, true);
	nla_put_u32(nlh, IFLA_TXQLEN, 1000);
	nla_put_u32(nlh, IFLA_GSO_IPV4_MAX_SIZE, 131072);
	p.present = true;
	p.has_size[LINK_GRO_MAX_SIZE] = true;
	p.size[LINK_GRO_MAX_SIZE] = 65536;
	CHECK(strstr(render(nlh, &p, false), "address 02:00:00:00:00:01\n"
		     "    txqlen 1000 gso_ipv4_max_size 131072\n    netkit mode l2") != NULL);
	CHECK(strstr(render(nlh, &p, false), "netns pod gro_max_size 65536\n") != NULL);
	CHECK(strstr(render(nlh, &p, true), "\"address\":\"02:00:00:00:00:01\",\"txqlen\":1000,"
		     "\"gso_ipv4_max_size\":131072,\"mode\"") != NULL);
	CHECK(strstr(render(nlh, &p, true), "\"netns\":\"pod\",\"gro_max_size\":65536}") != NULL);

	/* the data path's endpoints of this device (ifindex 7), not another's */
	struct nk_dp_entry eps[3] = {
		{ .ip = { .family = AF_INET, .addr = { 10, 0, 0, 2 } },
		  .ep = { .ifindex = 7, .to_packets = 3, .to_bytes = 300, .from_packets = 4,
			  .from_bytes = 400 } },
		{ .ip = { .family = AF_INET, .addr = { 10, 0, 0, 3 } }, .ep = { .ifindex = 8 } },
		{ .ip = { .family = AF_INET6, .addr = { 0xfd, [15] = 2 } }, .ep = { .ifindex = 7 } },
	};
	struct nk_dp_view dp = { .eps = eps, .neps = 3 }, other = { .eps = eps + 1, .neps = 1 };

	nlh = canned_link(buf, true);
	CHECK(strstr(render_dp(nlh, &p, false, &dp), "netns pod gro_max_size 65536\n"
		     "    endpoint 10.0.0.2 to 3 packets 300 bytes from 4 packets 400 bytes\n"
		     "    endpoint fd00::2 to 0 packets 0 bytes from 0 packets 0 bytes\n") != NULL);
	CHECK(strstr(render_dp(nlh, &p, true, &dp), "\"gro_max_size\":65536},\"endpoints\":["
		     "{\"address\":\"10.0.0.2\",\"to_packets\":3,\"to_bytes\":300,\"from_packets\":4,"
		     "\"from_bytes\":400},{\"address\":\"fd00::2\",") != NULL);
	CHECK(strstr(render_dp(nlh, &p, false, &dp), "10.0.0.3") == NULL);
	CHECK(strstr(render_dp(nlh, &p, true, &other), "endpoints") == NULL);

	/* its rates: each way it has, after the endpoints; another's not */
	struct nk_dp_rate_entry rates[2] = {
		{ .ifindex = 8, .r = { .egress_rate = 1 } },
		{ .ifindex = 7, .r = { .egress_rate = 10000000, .ingress_rate = 50000000,
				       .ingress_dropped = 3 } },
	};
	dp.rates = rates;
	dp.nrates = 2;
	CHECK(strstr(render_dp(nlh, &p, false, &dp), "from 0 packets 0 bytes\n"
		     "    rate egress 10000000bit dropped 0 ingress 50000000bit dropped 3\n") != NULL);
	CHECK(strstr(render_dp(nlh, &p, true, &dp), "\"from_bytes\":0}],\"rate\":{\"egress\":10000000,"
		     "\"egress_dropped\":0,\"ingress\":50000000,\"ingress_dropped\":3}}") != NULL);
	rates[1].r.egress_rate = 0;
	CHECK(strstr(render_dp(nlh, &p, false, &dp), "    rate ingress 50000000bit dropped 3\n") != NULL);
	dp.nrates = 1;
	CHECK(strstr(render_dp(nlh, &p, false, &dp), "rate") == NULL);
}

static void test_out(void)
{
	char *text;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	struct out o;

	out_init(&o, f, true, false);
	out_begin(&o);
	out_open(&o, NULL);
	out_str(&o, "s", NULL, "a\"b\\c\n\x01");
	out_open(&o, "o");		/* left open: out_end closes it */
	out_end(&o);
	fclose(f);
	CHECK_STR(text, "[{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"o\":{}}]\n");
	free(text);

	f = open_memstream(&text, &len);
	out_init(&o, f, true, true);
	out_begin(&o);
	out_end(&o);
	fclose(f);
	CHECK_STR(text, "[]\n");
	free(text);

	/* a nested array left open by an error path is closed as an array */
	f = open_memstream(&text, &len);
	out_init(&o, f, true, false);
	out_begin(&o);
	out_open(&o, NULL);
	out_open_array(&o, "sockets");
	out_open(&o, NULL);
	out_uint(&o, "n", NULL, 1);
	out_open_array(&o, "more");
	out_end(&o);
	fclose(f);
	CHECK_STR(text, "[{\"sockets\":[{\"n\":1,\"more\":[]}]}]\n");
	free(text);
}

static void test_split(void)
{
	char line[] = "add  nk0 \"a b\" 'c d' e\\ f # comment";
	char bad[] = "add \"open";
	char *argv[8];

	CHECK(nk_split(line, argv, 8) == 5);
	CHECK_STR(argv[2], "a b");
	CHECK_STR(argv[3], "c d");
	CHECK_STR(argv[4], "e f");
	CHECK(nk_split(bad, argv, 8) < 0);
}

/* lib/grow: room made by doubling, contents kept, no growth while there is room */
static void test_grow(void)
{
	struct nsid_names m = { 0 };
	size_t cap;

	for (int i = 0; i < 100; i++) {
		CHECK(NK_GROW(m.v, m.n, m.cap) == 0);
		CHECK(m.cap > m.n);
		m.v[m.n].nsid = i;
		snprintf(m.v[m.n].name, sizeof(m.v[m.n].name), "ns%d", i);
		m.n++;
	}
	CHECK(m.cap == 128);
	CHECK(!strcmp(nsid_names_find(&m, 0), "ns0") && !strcmp(nsid_names_find(&m, 99), "ns99"));
	CHECK(!strcmp(nsid_names_find(&m, 100), ""));
	cap = m.cap;
	m.n = 10;
	CHECK(NK_GROW(m.v, m.n, m.cap) == 0 && m.cap == cap);
	nsid_names_free(&m);
	CHECK(m.v == NULL && m.n == 0 && m.cap == 0);
	/* a size that cannot be held fails, and changes nothing */
	{
		char *p = NULL;
		size_t c = (size_t)1 << (sizeof(size_t) * 8 - 2), n = c;

		CHECK(nk_grow(&p, &c, n, 8) == -ENOMEM && p == NULL);
	}
}

static void test_lookup(void)
{
	static const char *const words[] = { "add", "set", "show", NULL };

	CHECK(nk_lookup("sh", words, true) == 2);
	CHECK(nk_lookup("s", words, true) == -2);
	CHECK(nk_lookup("s", words, false) == -1);
	CHECK(nk_lookup("x", words, true) == -1);
}

/* canned_link's message with what an event changes */
static struct nlmsghdr *event_msg(char *buf, uint16_t type, uint32_t change, uint32_t mtu,
				  uint32_t policy, int new_nsid)
{
	struct nlmsghdr *nlh = canned_link(buf, true);
	struct ifinfomsg *ifi = nlmsg_data(nlh);
	struct nlattr *a;

	nlh->nlmsg_type = type;
	ifi->ifi_change = change;
	nla_for_each(a, nlh, sizeof(*ifi)) {
		if (nla_type(a) == IFLA_MTU)
			*(uint32_t *)nla_data(a) = mtu;
		if (nla_type(a) == IFLA_LINKINFO) {
			const struct nlattr *d = find(a, IFLA_INFO_DATA);

			*(uint32_t *)nla_data(find(d, NK_IFLA_NETKIT_POLICY)) = policy;
		}
	}
	if (new_nsid >= 0) {
		nla_put_u32(nlh, IFLA_NEW_NETNSID, new_nsid);
		nla_put_u32(nlh, IFLA_NEW_IFINDEX, 9);
	}
	return nlh;
}

/* The monitor's order: parse, then feed */
static int feed(struct nk_events *e, int nsid, const struct nlmsghdr *nlh, int new_nsid,
		enum nk_event *ev)
{
	struct link l;

	*ev = NK_EV_NONE;
	return link_parse(nlh, &l) < 0 ? 0 : nk_events_feed(e, nsid, &l, new_nsid, ev);
}

static void test_events(void)
{
	struct nk_events e = { 0 };
	enum nk_event ev;
	char buf[4096];
	struct nlmsghdr *nlh;

	/* created: every flag marked changed; the same again is no news */
	CHECK(feed(&e, -1, event_msg(buf, RTM_NEWLINK, ~0u, 1500, NK_NETKIT_PASS, -1), -1, &ev) == 0);
	CHECK(ev == NK_EV_CREATED);
	CHECK_STR(nk_events_name(&e, -1, 7), "nk0");
	feed(&e, -1, event_msg(buf, RTM_NEWLINK, 0, 1500, NK_NETKIT_PASS, -1), -1, &ev);
	CHECK(ev == NK_EV_NONE);
	feed(&e, -1, event_msg(buf, RTM_NEWLINK, 0, 1400, NK_NETKIT_PASS, -1), -1, &ev);
	CHECK(ev == NK_EV_CHANGED);
	feed(&e, -1, event_msg(buf, RTM_NEWLINK, 0, 1400, NK_NETKIT_DROP, -1), -1, &ev);
	CHECK(ev == NK_EV_POLICY);
	/* a device first seen without the creation mark: changed */
	feed(&e, 4, event_msg(buf, RTM_NEWLINK, 0, 1500, NK_NETKIT_PASS, -1), 4, &ev);
	CHECK(ev == NK_EV_CHANGED && nk_events_name(&e, 4, 7) != NULL);
	nk_events_forget_ns(&e, 4);
	CHECK(nk_events_name(&e, 4, 7) == NULL);
	/* moved to nsid 3 as ifindex 9: its arrival there is the same event */
	feed(&e, -1, event_msg(buf, RTM_DELLINK, ~0u, 1400, NK_NETKIT_DROP, 0), 3, &ev);
	CHECK(ev == NK_EV_MOVED && !nk_events_name(&e, -1, 7));
	nlh = event_msg(buf, RTM_NEWLINK, ~0u, 1400, NK_NETKIT_DROP, -1);
	((struct ifinfomsg *)nlmsg_data(nlh))->ifi_index = 9;
	feed(&e, 3, nlh, -1, &ev);
	CHECK(ev == NK_EV_NONE && e.nmoves == 0);
	nlh->nlmsg_type = RTM_DELLINK;
	feed(&e, 3, nlh, -1, &ev);
	CHECK(ev == NK_EV_DELETED && e.n == 0);
	/* other kinds are not news */
	nlh = event_msg(buf, RTM_NEWLINK, ~0u, 1500, NK_NETKIT_PASS, -1);
	{
		struct nlattr *a;

		nla_for_each(a, nlh, sizeof(struct ifinfomsg))
			if (nla_type(a) == IFLA_LINKINFO)
				memcpy(nla_data(find(a, IFLA_INFO_KIND)), "veth", 5);
	}
	feed(&e, -1, nlh, -1, &ev);
	CHECK(ev == NK_EV_NONE && e.n == 0);
	nk_events_free(&e);
}

static void test_lines(void)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	struct out o;

	out_init(&o, f, true, false);
	out_begin(&o);
	CHECK(out_lines(&o));
	for (int i = 0; i < 2; i++) {
		out_open(&o, NULL);
		out_int(&o, "n", NULL, i);
		out_close(&o);
	}
	out_end(&o);
	fclose(f);
	CHECK_STR(text, "{\"n\":0}\n{\"n\":1}\n");
	free(text);
}

static int count_attrs(const struct nlmsghdr *nlh, size_t hdrlen)
{
	const struct nlattr *a;
	int n = 0;

	nla_for_each(a, nlh, hdrlen)
		n++;
	return n;
}

static int count_nested(const struct nlattr *nest)
{
	const struct nlattr *a;
	int n = 0;

	nla_for_each_nested(a, nest)
		n++;
	return n;
}

/* The netlink core's message layout, byte for byte (netlink(7)): padded
 * attributes, a nest's length, and iteration that stops at a bad length. */
static void test_nla(void)
{
	static const uint8_t want[] = {
		/* header: length 52, type 0x10 */
		52, 0, 0, 0,  0x10, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,
		/* ifinfomsg (16 bytes, zeroed) */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* u8 7 = 9, padded to 8 */
		5, 0, 7, 0,  9, 0, 0, 0,
		/* nest 18 (NLA_F_NESTED) holding "ab" as 3: 4 + 8 */
		12, 0, 18, 0x80,  7, 0, 3, 0,  'a', 'b', 0, 0,
	};
	uint32_t buf[32] = { 0 };
	struct nlmsghdr *nlh = nlmsg_put_header(buf);
	struct nlattr *nest, *a;
	int n = 0;

	memset(buf, 0xff, sizeof(buf));	/* padding must be written, not assumed */
	nlh = nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x10;
	CHECK(nlmsg_put_extra(nlh, sizeof(struct ifinfomsg)) == (char *)buf + 16);
	nla_put_u8(nlh, 7, 9);
	nest = nla_nest_start(nlh, 18);
	nla_put_strz(nlh, 3, "ab");
	nla_nest_end(nlh, nest);
	CHECK(nlh->nlmsg_len == sizeof(want));
	CHECK(!memcmp(buf, want, sizeof(want)));
	CHECK(nlmsg_payload_len(nlh) == sizeof(want) - 16);
	nla_for_each(a, nlh, sizeof(struct ifinfomsg)) {
		n++;
		if (nla_type(a) == 7)
			CHECK(nla_len(a) == 1 && nla_u8(a) == 9);
		if (nla_type(a) == 18) {	/* the flag is not part of the type */
			struct nlattr *b;
			int m = 0;

			nla_for_each_nested(b, a) {
				m++;
				CHECK(nla_type(b) == 3 && nla_is_strz(b) && !strcmp(nla_str(b), "ab"));
			}
			CHECK(m == 1);
		}
	}
	CHECK(n == 2);
	/* a nested length past its parent's end ends the walk */
	((struct nlattr *)((char *)buf + 44))->nla_len = 200;
	CHECK(count_attrs(nlh, sizeof(struct ifinfomsg)) == 2);
	CHECK(count_nested(nest) == 0);
	/* an attribute shorter than its header, or longer than what is left */
	((struct nlattr *)((char *)buf + 32))->nla_len = 2;
	CHECK(count_attrs(nlh, sizeof(struct ifinfomsg)) == 0);
	CHECK(!nla_ok((struct nlattr *)buf, -4) && !nla_ok((struct nlattr *)buf, 3));
	/* a message whose length is not aligned: the walk stays within it, not
	 * within its aligned length (a header-only attribute in the padding) */
	nlh = nlmsg_put_header(buf);
	nla_put(nlh, 1, 0, NULL);
	nla_put(nlh, 2, 0, NULL);
	nlh->nlmsg_len = 16 + 4 + 1;
	CHECK(count_attrs(nlh, 0) == 1);
	/* a string attribute without its NUL */
	nlh = nlmsg_put_header(buf);
	nla_put(nlh, 1, 2, "ab");
	CHECK(!nla_is_strz((struct nlattr *)((char *)buf + 16)));
	nla_put(nlh, 2, 0, NULL);
	CHECK(nlh->nlmsg_len == 16 + 8 + 4 && !nla_is_strz((struct nlattr *)((char *)buf + 24)));
}

/* The attributes the probe must confirm: those newer than netkit itself */
static void test_probed(void)
{
	uint64_t p = nk_attr_probed();

	CHECK(p == ((1ULL << KW_SCRUB) | (1ULL << KW_HEADROOM) | (1ULL << KW_TAILROOM) |
		    (1ULL << KW_PAIRING)));
}

int main(void)
{
	/* the negative cases print their usage errors: keep them out of sight */
	if (!getenv("NK_TEST_VERBOSE"))
		freopen("/dev/null", "w", stderr);
	test_parse_add();
	test_parse_set();
	test_build_add();
	test_peer_template();
	test_print();
	test_out();
	test_split();
	test_lookup();
	test_grow();
	test_events();
	test_lines();
	test_nla();
	test_probed();
	return check_report("test_nkctl");
}
