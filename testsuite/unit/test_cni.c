// SPDX-License-Identifier: GPL-2.0
/* Offline checks of the JSON reader and writer (lib/json), IP addresses
 * (lib/addr), and the CNI plugin's pure stages: the configuration, the
 * IPAM result, the result and error objects, device names and host-local's
 * pool arithmetic. */
#include <errno.h>
#include <stdlib.h>
#include "check.h"
#include "cni.h"
#include "plugin.h"
#include "compat.h"
#include "qdisc.h"
#include <linux/pkt_sched.h>

static struct json *parse_str(const char *s)
{
	return json_parse(s, strlen(s), NULL, 0);
}

/* what json_write gives for text */
static char *roundtrip(const char *text)
{
	struct json *j = json_parse(text, strlen(text), NULL, 0);
	char *out = NULL;
	size_t len;
	FILE *f;

	if (!j)
		return strdup("(error)");
	f = open_memstream(&out, &len);
	json_write(f, j);
	fclose(f);
	json_free(j);
	return out;
}

/* the one escaper: what it writes is JSON, whatever the bytes */
static void test_json_write(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	json_write_string(f, "a\"\\\n\x01\xc3\xa9\xff\xe2\x82", 10);
	fclose(f);
	CHECK_STR(text, "\"a\\\"\\\\\\n\\u0001\xc3\xa9\\ufffd\\ufffd\\ufffd\"");
	free(text);
}

static void test_json(void)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "1e", "tru", "nul",
		"\"abc", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\tb\"", "[1] 2", "{1:2}",
		/* not UTF-8 (RFC 8259 8.1), and NUL in a member name */
		"\"\xff\"", "\"\xc0\x80\"", "\"\xed\xa0\x80\"", "\"\xe2\x82\"", "{\"a\\u0000b\":1}",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	};
	char err[128], *s;
	struct json *j;
	long long v;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = json_parse(bad[i], strlen(bad[i]), err, sizeof(err));
		CHECK(!j && err[0]);
		json_free(j);
	}
	s = roundtrip(" { \"a\" : [1, -2.5e3, true, false, null], \"b\": {\"c\": \"d\\n\\u00e9\\ud83d\\ude00\"} } ");
	CHECK_STR(s, "{\"a\":[1,-2.5e3,true,false,null],\"b\":{\"c\":\"d\\n\xc3\xa9\xf0\x9f\x98\x80\"}}");
	free(s);
	s = roundtrip("\"a\\u0000b\\\"\\\\\\/\"");
	CHECK_STR(s, "\"a\\u0000b\\\"\\\\/\"");
	free(s);
	s = "{\"k\":1,\"k\":42,\"s\":\"x\",\"n\":1.5,\"z\":\"a\\u0000\"}";
	j = json_parse(s, strlen(s), NULL, 0);
	CHECK(j && json_int(json_get(j, "k"), &v) == 0 && v == 42);	/* the last one */
	CHECK(json_int(json_get(j, "n"), &v) == -EINVAL);
	CHECK(json_int(json_get(j, "s"), &v) == -EINVAL);
	CHECK_STR(json_str(json_get(j, "s")), "x");
	CHECK(!json_str(json_get(j, "z")));		/* a NUL inside */
	CHECK(!json_get(j, "missing") && !json_get(json_get(j, "s"), "x"));
	CHECK(json_set(j, "s", json_new_str("y")) == 0 && j->n == 5);
	CHECK_STR(json_str(json_get(j, "s")), "y");
	json_free(j);
}

static void test_ip(void)
{
	struct nk_ip ip, b;
	char buf[64];

	CHECK(nk_ip_parse("10.1.2.3/24", &ip) == 0 && ip.family == AF_INET && ip.plen == 24);
	nk_ip_format(&ip, true, buf, sizeof(buf));
	CHECK_STR(buf, "10.1.2.3/24");
	nk_ip_format(&ip, false, buf, sizeof(buf));
	CHECK_STR(buf, "10.1.2.3");
	CHECK(nk_ip_parse("fd00::5", &b) == 0 && b.family == AF_INET6 && b.plen == -1);
	CHECK(nk_ip_host_plen(&b) == 128 && nk_ip_host_plen(&ip) == 32);
	CHECK(!nk_ip_equal(&ip, &b));
	CHECK(nk_ip_parse("10.1.2.3", &b) == 0 && nk_ip_equal(&ip, &b));
	CHECK(nk_ip_parse("10.1.2.3/33", &b) == -EINVAL);
	CHECK(nk_ip_parse("10.1.2.3/", &b) == -EINVAL);
	CHECK(nk_ip_parse("10.1.2.3/-1", &b) == -EINVAL);
	CHECK(nk_ip_parse("fd00::/129", &b) == -EINVAL);
	CHECK(nk_ip_parse("host", &b) == -EINVAL);
}

static int parse(const char *text, const char *args, struct cni_conf *c, struct cni_err *e)
{
	memset(e, 0, sizeof(*e));
	return cni_conf_parse(text, strlen(text), args, c, e);
}

#define BASE "\"name\":\"n\",\"type\":\"nktools\",\"ipam\":{\"type\":\"host-local\"}"

static void test_conf(void)
{
	static const struct { const char *conf; int code; } bad[] = {
		{ "[]", E_DECODE }, { "{", E_DECODE },
		{ "{\"cniVersion\":\"9.9.9\"," BASE "}", E_VERSION },
		{ "{\"cniVersion\":1," BASE "}", E_VERSION },
		{ "{\"cniVersions\":[\"9.0.0\"]," BASE "}", E_VERSION },
		{ "{\"cniVersion\":\"1.0.0\",\"type\":\"nktools\",\"ipam\":{\"type\":\"host-local\"}}", E_CONFIG },
		{ "{\"cniVersion\":\"1.0.0\",\"name\":\"../x\",\"ipam\":{\"type\":\"host-local\"}}", E_CONFIG },
		{ "{\"mode\":\"l4\"," BASE "}", E_CONFIG },
		{ "{\"mtu\":\"abc\"," BASE "}", E_CONFIG },
		{ "{\"mtu\":67," BASE "}", E_CONFIG },
		{ "{\"mtu\":1500.5," BASE "}", E_CONFIG },
		{ "{\"headroom\":-1," BASE "}", E_CONFIG },
		{ "{\"tailroom\":70000," BASE "}", E_CONFIG },
		{ "{\"policy\":\"pass\"," BASE "}", E_CONFIG },
		{ "{\"peerPolicy\":1," BASE "}", E_CONFIG },
		{ "{\"scrub\":\"some\"," BASE "}", E_CONFIG },
		{ "{\"name\":\"n\"}", E_CONFIG },
		{ "{\"name\":\"n\",\"ipam\":{}}", E_CONFIG },
		{ "{\"name\":\"n\",\"ipam\":{\"type\":\"../x\"}}", E_CONFIG },
		{ "{\"program\":\"x.o\"," BASE "}", E_CONFIG },
		{ "{\"program\":{}," BASE "}", E_CONFIG },
		{ "{\"program\":{\"object\":\"a.o\",\"hook\":\"ingress\"}," BASE "}", E_CONFIG },
		{ "{\"program\":{\"object\":\"a.o\",\"name\":7}," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"mac\":\"02:00:00:00:00\"},\"mode\":\"l2\"," BASE "}", E_CONFIG },
		/* one MAC parser (lib/link): no signs, no spaces, no group or zero address */
		{ "{\"runtimeConfig\":{\"mac\":\"-1:-1:-1:-1:-1:-1\"},\"mode\":\"l2\"," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"mac\":\" 2:00:00:00:00:01\"},\"mode\":\"l2\"," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:0x\"},\"mode\":\"l2\"," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:001\"},\"mode\":\"l2\"," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"mac\":\"01:00:5e:00:00:01\"},\"mode\":\"l2\"," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"mac\":\"00:00:00:00:00:00\"},\"mode\":\"l2\"," BASE "}", E_CONFIG },
		{ "{\"stateDir\":\"rel\"," BASE "}", E_CONFIG },
		{ "{\"cni.dev/valid-attachments\":{}," BASE "}", E_CONFIG },
		{ "{\"datapath\":\"xdp\"," BASE "}", E_CONFIG },
		{ "{\"datapath\":true," BASE "}", E_CONFIG },
		{ "{\"devices\":\"eth0\"," BASE "}", E_CONFIG },
		{ "{\"devices\":[]," BASE "}", E_CONFIG },
		{ "{\"devices\":[\"a/b\"]," BASE "}", E_CONFIG },
		{ "{\"devices\":[\"0123456789abcdef\"]," BASE "}", E_CONFIG },
		{ "{\"devices\":[7]," BASE "}", E_CONFIG },
		/* runtimeConfig.bandwidth: whole bits (per second), a burst with its rate */
		{ "{\"runtimeConfig\":{\"bandwidth\":7}," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"bandwidth\":{\"egressRate\":-1}}," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":1.5}}," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":\"10M\"}}," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"bandwidth\":{\"egressRate\":9007199254740993}}," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"bandwidth\":{\"egressBurst\":1000}}," BASE "}", E_CONFIG },
		{ "{\"runtimeConfig\":{\"bandwidth\":{\"egressRate\":1000,\"ingressBurst\":1}}," BASE "}", E_CONFIG },
		/* a key nobody reads is a mistake: said, not ignored */
		{ "{\"datapth\":\"stack\"," BASE "}", E_CONFIG },
		{ "{\"peerpolicy\":\"forward\"," BASE "}", E_CONFIG },
	};
	struct cni_conf c;
	struct cni_err e;
	char buf[32];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = parse(bad[i].conf, NULL, &c, &e);

		CHECK(ret == bad[i].code && e.code == ret && e.msg[0]);
		if (ret != bad[i].code)
			printf("  conf %zu: %s -> %d %s\n", i, bad[i].conf, ret, e.msg);
		cni_conf_free(&c);
	}
	/* defaults: 1.0.0 (the spec's advice without cniVersion), l3, up */
	CHECK(parse("{" BASE "}", NULL, &c, &e) == 0);
	CHECK_STR(c.version, "1.0.0");
	CHECK(c.nk.mode == NK_NETKIT_L3 && has(&c.nk.dev, KW_MODE) && has(&c.nk.dev, KW_UP));
	CHECK(!has(&c.nk.dev, KW_POLICY) && !c.prog.object && !c.valid);
	CHECK_STR(c.state_dir, CNI_STATE_DIR);
	CHECK_STR(c.ipam_type, "host-local");
	CHECK(c.datapath == DATAPATH_BPF && !c.ndevices);
	cni_conf_free(&c);
	CHECK(parse("{\"datapath\":\"stack\"," BASE "}", NULL, &c, &e) == 0);
	CHECK(c.datapath == DATAPATH_STACK);
	cni_conf_free(&c);
	CHECK(parse("{\"datapath\":\"bpf\",\"devices\":[\"eth0\",\"bond0\"],\"capabilities\":{},"
		    "\"dns\":{},\"args\":{}," BASE "}", NULL, &c, &e) == 0);
	CHECK(c.datapath == DATAPATH_BPF && c.ndevices == 2);
	CHECK_STR(c.devices[1], "bond0");
	CHECK(!cni_has_bw(&c));
	cni_conf_free(&c);
	/* the uplinks of a stack network: where its pods' egress rates are paced */
	CHECK(parse("{\"datapath\":\"stack\",\"devices\":[\"eth0\"]," BASE "}", NULL, &c, &e) == 0);
	CHECK(c.datapath == DATAPATH_STACK && c.ndevices == 1);
	cni_conf_free(&c);
	/* bandwidth as Kubernetes passes it (a burst of 2^31 - 1 bits) */
	CHECK(parse("{\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":10000000,\"ingressBurst\":2147483647,"
		    "\"egressRate\":50000000,\"egressBurst\":2147483647}}," BASE "}", NULL, &c, &e) == 0);
	CHECK(cni_has_bw(&c) && c.bw.ingress_rate == 10000000 && c.bw.egress_rate == 50000000 &&
	      c.bw.ingress_burst == 2147483647 && c.bw.egress_burst == 2147483647);
	cni_conf_free(&c);
	CHECK(parse("{\"runtimeConfig\":{\"bandwidth\":{\"egressRate\":1000}}," BASE "}", NULL, &c, &e) == 0);
	CHECK(c.bw.egress_rate == 1000 && !c.bw.ingress_rate && cni_has_bw(&c));
	cni_conf_free(&c);
	CHECK(parse("{\"runtimeConfig\":{\"bandwidth\":{}}," BASE "}", NULL, &c, &e) == 0);
	CHECK(!cni_has_bw(&c));
	cni_conf_free(&c);
	/* the message names the key */
	CHECK(parse("{\"datapth\":\"stack\"," BASE "}", NULL, &c, &e) == E_CONFIG);
	CHECK(strstr(e.msg, "unknown key \"datapth\"") != NULL);
	cni_conf_free(&c);
	/* cniVersions: the highest this plugin speaks */
	CHECK(parse("{\"cniVersions\":[\"0.4.0\",\"1.1.0\",\"2.0.0\"]," BASE "}", NULL, &c, &e) == 0);
	CHECK_STR(c.version, "1.1.0");
	cni_conf_free(&c);
	/* everything */
	CHECK(parse("{\"cniVersion\":\"0.4.0\",\"mode\":\"l2\",\"policy\":\"blackhole\",\"peerPolicy\":\"forward\","
		    "\"scrub\":\"none\",\"peerScrub\":\"default\",\"headroom\":64,\"tailroom\":32,\"mtu\":1400,"
		    "\"program\":{\"object\":\"a.o\",\"name\":\"p\",\"hook\":\"primary\"},\"stateDir\":\"/s\","
		    "\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:01\"},\"prevResult\":{\"ips\":[]},"
		    "\"cni.dev/attachments\":[]," BASE "}", "IgnoreUnknown=1;MAC=02:00:00:00:00:02", &c, &e) == 0);
	CHECK(c.nk.mode == NK_NETKIT_L2 && c.nk.dev.policy == NK_NETKIT_DROP &&
	      c.nk.peer.policy == NK_NETKIT_PASS && has(&c.nk.peer, KW_POLICY));
	CHECK(c.nk.dev.scrub == NK_NETKIT_SCRUB_NONE && c.nk.peer.scrub == NK_NETKIT_SCRUB_DEFAULT);
	CHECK(c.nk.headroom == 64 && c.nk.tailroom == 32 && c.nk.dev.mtu == 1400 && c.nk.peer.mtu == 1400);
	CHECK(has(&c.nk.peer, KW_ADDRESS) && c.nk.peer.mac[5] == 2);	/* CNI_ARGS wins */
	CHECK_STR(c.prog.object, "a.o");
	CHECK(c.prog.hook == PROG_PRIMARY && c.prev && c.valid);
	CHECK_STR(c.state_dir, "/s");
	cni_conf_free(&c);
	CHECK(cni_arg("A=1;MAC=x;B=2;MAC=y", "MAC", buf, sizeof(buf)) && !strcmp(buf, "y"));
	CHECK(!cni_arg("AMAC=1;MACX=2", "MAC", buf, sizeof(buf)));
	CHECK(!cni_arg(NULL, "MAC", buf, sizeof(buf)));
}

static char *result_of(const char *version, const char *ipam_json)
{
	struct json *res = json_parse(ipam_json, strlen(ipam_json), NULL, 0);
	struct cni_made m = { .host_dev = "nk0123456789ab", .host_mac = "00:00:00:00:00:00",
			      .pod_mac = "02:00:00:00:00:01", .ifname = "eth0", .netns = "/run/netns/p" };
	struct cni_ipam r;
	char *out = NULL;
	size_t len;
	FILE *f;

	if (cni_ipam_parse(res, &r)) {
		json_free(res);
		return strdup("(error)");
	}
	f = open_memstream(&out, &len);
	cni_result_write(f, version, &m, &r);
	fclose(f);
	cni_ipam_free(&r);
	json_free(res);
	return out;
}

static void test_result(void)
{
	static const char dual[] =
		"{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.2/24\",\"gateway\":\"10.0.0.1\"},"
		"{\"address\":\"fd00::2/64\",\"gateway\":\"fd00::1\"}],\"dns\":{\"nameservers\":[\"10.0.0.53\"]}}";
	struct cni_err e = { .code = 7 };
	char *s, *out = NULL;
	size_t len;
	FILE *f;

	s = result_of("1.0.0", dual);
	CHECK_STR(s, "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"nk0123456789ab\",\"mac\":\"00:00:00:00:00:00\"},"
		  "{\"name\":\"eth0\",\"mac\":\"02:00:00:00:00:01\",\"sandbox\":\"/run/netns/p\"}],"
		  "\"ips\":[{\"address\":\"10.0.0.2/24\",\"gateway\":\"10.0.0.1\",\"interface\":1},"
		  "{\"address\":\"fd00::2/64\",\"gateway\":\"fd00::1\",\"interface\":1}],\"routes\":[],"
		  "\"dns\":{\"nameservers\":[\"10.0.0.53\"]}}\n");
	free(s);
	s = result_of("0.4.0", "{\"ips\":[{\"address\":\"10.0.0.2/24\"}],\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.0.0.1\"}]}");
	CHECK(strstr(s, "\"ips\":[{\"version\":\"4\",\"address\":\"10.0.0.2/24\",\"interface\":1}]"));
	CHECK(strstr(s, "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.0.0.1\"}],\"dns\":{}}"));
	free(s);
	/* what a result must have, else IPAM gave nothing usable */
	s = result_of("1.0.0", "{\"ips\":[]}");
	CHECK_STR(s, "(error)");
	free(s);
	s = result_of("1.0.0", "{\"ips\":[{\"address\":\"10.0.0.2\"}]}");	/* no prefix length */
	CHECK_STR(s, "(error)");
	free(s);
	s = result_of("1.0.0", "{\"ips\":[{\"address\":\"10.0.0.2/24\",\"gateway\":\"fd00::1\"}]}");
	CHECK_STR(s, "(error)");
	free(s);
	snprintf(e.msg, sizeof(e.msg), "bad \"x\"");
	f = open_memstream(&out, &len);
	cni_err_write(f, "0.4.0", &e);
	fclose(f);
	CHECK_STR(out, "{\"cniVersion\":\"0.4.0\",\"code\":7,\"msg\":\"bad \\\"x\\\"\"}\n");
	free(out);
}

static void test_host_dev(void)
{
	char a[16], b[16], c[16];

	cni_host_dev("c1", "eth0", a);
	cni_host_dev("c1", "net1", b);
	cni_host_dev("c1", "eth0", c);
	CHECK(strlen(a) == 14 && !strncmp(a, "nk", 2) && strcmp(a, b) && !strcmp(a, c));
}

/* the host end's alias: whose the pair is, for GC without its record */
static void test_alias(void)
{
	char buf[CNI_ALIAS_MAX], id[256], ifname[16], longid[300];

	CHECK(cni_alias("nkt", "c1", "eth0", buf) == 0);
	CHECK_STR(buf, "nktools/nkt/eth0/c1");
	CHECK(cni_alias_parse(buf, "nkt", id, sizeof(id), ifname));
	CHECK_STR(id, "c1");
	CHECK_STR(ifname, "eth0");
	/* another network's, one whose name begins as ours, not ours */
	CHECK(!cni_alias_parse(buf, "nk", id, sizeof(id), ifname));
	CHECK(!cni_alias_parse(buf, "nktx", id, sizeof(id), ifname));
	CHECK(!cni_alias_parse("nktools/nktx/eth0/c1", "nkt", id, sizeof(id), ifname));
	/* not an alias of ours, or a broken one */
	CHECK(!cni_alias_parse(NULL, "nkt", id, sizeof(id), ifname));
	CHECK(!cni_alias_parse("uplink", "nkt", id, sizeof(id), ifname));
	CHECK(!cni_alias_parse("nktools/nkt/eth0", "nkt", id, sizeof(id), ifname));
	CHECK(!cni_alias_parse("nktools/nkt/eth0/", "nkt", id, sizeof(id), ifname));
	CHECK(!cni_alias_parse("nktools/nkt//c1", "nkt", id, sizeof(id), ifname));
	CHECK(!cni_alias_parse("nktools/nkt/0123456789abcdef/c1", "nkt", id, sizeof(id), ifname));
	/* a container id past what an alias holds: none */
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = 0;
	CHECK(cni_alias("nkt", longid, "eth0", buf) == -ENAMETOOLONG);
	/* a 64-digit id (runc's) with a long network name fits */
	CHECK(cni_alias("a-network-with-a-rather-long-name-for-its-pods", longid + 236, "eth0", buf) == 0);
	CHECK(cni_alias_parse(buf, "a-network-with-a-rather-long-name-for-its-pods", id, sizeof(id), ifname));
	CHECK(strlen(id) == 63);
}

static void test_pool(void)
{
	struct json *r = parse_str("{\"subnet\":\"10.0.0.0/24\"}");
	struct span s;
	struct nk_ip ip;

	CHECK(r && pool_span(r, &s) == 0 && pool_size(&s) == 253);	/* .2 to .254 */
	nk_ip_parse("10.0.0.1", &ip);
	CHECK(!pool_has(&s, &ip));		/* the gateway */
	nk_ip_parse("10.0.0.254", &ip);
	CHECK(pool_has(&s, &ip));
	nk_ip_parse("10.0.1.2", &ip);
	CHECK(!pool_has(&s, &ip));
	json_free(r);
	r = parse_str("{\"subnet\":\"10.0.0.0/29\",\"rangeStart\":\"10.0.0.2\",\"rangeEnd\":\"10.0.0.4\",\"gateway\":\"10.0.0.3\"}");
	CHECK(r && pool_span(r, &s) == 0 && pool_size(&s) == 2);
	json_free(r);
	r = parse_str("{\"subnet\":\"fd00::/120\"}");
	CHECK(r && pool_span(r, &s) == 0 && pool_size(&s) == 254);	/* v6: the last one too */
	json_free(r);
	r = parse_str("{\"subnet\":\"fd00::/64\"}");
	CHECK(r && pool_span(r, &s) == -1);	/* never full */
	json_free(r);
}

/* fq where pacing needs it: the plan from a device's qdiscs (lib/qdisc) */
static void test_fq_plan(void)
{
	static struct qdisc_list l;
	const uint32_t mq = 0x80010000;

	l.n = 0;
	CHECK(qdisc_fq_plan(&l, 1) == FQ_ROOT);
	l.q[l.n++] = (struct qdisc){ .handle = 0, .parent = TC_H_ROOT, .kind = "noqueue" };
	CHECK(qdisc_fq_plan(&l, 1) == FQ_ROOT);
	CHECK(qdisc_fq_plan(&l, 4) == FQ_MQ);
	snprintf(l.q[0].kind, sizeof(l.q[0].kind), "fq");
	CHECK(qdisc_fq_plan(&l, 1) == FQ_HAVE);
	CHECK(qdisc_fq_plan(&l, 0) == FQ_HAVE);	/* the count not given: one queue */
	CHECK(qdisc_fq_plan(&l, 2) == FQ_MQ);	/* a root fq on a multiqueue device */
	/* mq with its default children, then with fq on some queues, on all */
	l.n = 0;
	l.q[l.n++] = (struct qdisc){ .handle = mq, .parent = TC_H_ROOT, .kind = "mq" };
	l.q[l.n++] = (struct qdisc){ .parent = mq | 1, .kind = "fq_codel" };
	l.q[l.n++] = (struct qdisc){ .parent = mq | 2, .kind = "fq" };
	CHECK(qdisc_fq_plan(&l, 2) == FQ_MQ);
	snprintf(l.q[1].kind, sizeof(l.q[1].kind), "fq");
	CHECK(qdisc_fq_plan(&l, 2) == FQ_HAVE);
	CHECK(qdisc_fq_plan(&l, 3) == FQ_MQ);	/* a queue without */
	l.q[2].parent = 0x80020000 | 2;		/* under another parent */
	CHECK(qdisc_fq_plan(&l, 2) == FQ_MQ);
	/* somebody's root: not replaced; the kernel's default (handle 0) is */
	l.n = 0;
	l.q[l.n++] = (struct qdisc){ .handle = 0x10000, .parent = TC_H_ROOT, .kind = "htb" };
	CHECK(qdisc_fq_plan(&l, 1) == FQ_FOREIGN);
	CHECK(qdisc_fq_plan(&l, 4) == FQ_FOREIGN);
	l.q[0].handle = 0;
	snprintf(l.q[0].kind, sizeof(l.q[0].kind), "fq_codel");
	CHECK(qdisc_fq_plan(&l, 1) == FQ_ROOT);
	l.q[0].handle = 0x80030000;
	snprintf(l.q[0].kind, sizeof(l.q[0].kind), "fq");
	CHECK(qdisc_fq_plan(&l, 1) == FQ_HAVE);
}

int main(void)
{
	test_fq_plan();
	test_json();
	test_json_write();
	test_ip();
	test_conf();
	test_result();
	test_host_dev();
	test_alias();
	test_pool();
	return check_report("test_cni");
}
