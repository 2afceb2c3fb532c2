// SPDX-License-Identifier: GPL-2.0
/* Offline tests of sockreap's filter parser and of nk_sock_match, the one
 * matcher both backends use. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include "args.h"
#include "check.h"
#include "exit.h"
#include "reap.h"

static struct nk_ctx ctx = { .prog = "test" };

static int filter(const char *line, struct nk_filter *f, bool *all)
{
	struct nk_args a = check_args(line);

	return reap_parse_filter(&ctx, &a, f, all);
}

static struct nk_sock sock(int family, const char *src, int sport, const char *dst, int dport,
			   int proto, int state, __u64 cookie)
{
	struct nk_sock s = { .family = family, .sport = sport, .dport = dport, .proto = proto,
			     .state = state, .cookie = cookie };

	if (family == AF_INET) {
		s.saddr[10] = s.saddr[11] = s.daddr[10] = s.daddr[11] = 0xff;
		inet_pton(AF_INET, src, s.saddr + 12);
		inet_pton(AF_INET, dst, s.daddr + 12);
	} else {
		inet_pton(AF_INET6, src, s.saddr);
		inet_pton(AF_INET6, dst, s.daddr);
	}
	return s;
}

/* Does the filter line match the socket? -1 if the line does not parse. */
static int matches(const char *line, const struct nk_sock *s)
{
	struct nk_filter f;
	bool all;

	if (filter(line, &f, &all))
		return -1;
	return nk_sock_match(&f, s);
}

static void test_match(void)
{
	struct nk_sock t4 = sock(AF_INET, "10.0.0.2", 41000, "10.96.4.17", 53, NK_PROTO_TCP, 1, 77);
	struct nk_sock u6 = sock(AF_INET6, "fd00::2", 41001, "fd00:1::17", 443, NK_PROTO_UDP, 1, 78);
	struct nk_sock m6 = sock(AF_INET6, "::ffff:10.0.0.3", 41002, "::ffff:10.96.4.17", 53,
				 NK_PROTO_UDP, 7, 79);

	CHECK(matches("", &t4) == 1);
	CHECK(matches("all", &u6) == 1);
	CHECK(matches("tcp", &t4) == 1 && matches("udp", &t4) == 0);
	CHECK(matches("-4", &t4) == 1 && matches("-6", &t4) == 0 && matches("-6", &u6) == 1);
	CHECK(matches("dst 10.96.4.17", &t4) == 1);
	CHECK(matches("dst 10.96.4.17:53", &t4) == 1);
	CHECK(matches("dst 10.96.4.17:54", &t4) == 0);
	CHECK(matches("dst 10.96.0.0/16", &t4) == 1);
	CHECK(matches("dst 10.97.0.0/16", &t4) == 0);
	CHECK(matches("dst 10.96.4.16/31", &t4) == 1);
	CHECK(matches("dst 10.96.4.16/32", &t4) == 0);
	CHECK(matches("dst 0.0.0.0/0", &t4) == 1);
	CHECK(matches("dst 0.0.0.0/0", &u6) == 0);	/* an IPv4 prefix is v4-mapped */
	CHECK(matches("dst ::/0", &u6) == 1);
	CHECK(matches("dst *:53", &t4) == 1 && matches("dst *:53", &u6) == 0);
	CHECK(matches("src 10.0.0.0/24:41000", &t4) == 1);
	CHECK(matches("src 10.0.0.0/24:41001", &t4) == 0);
	CHECK(matches("dst [fd00:1::17]:443", &u6) == 1);
	CHECK(matches("dst fd00:1::/32", &u6) == 1);
	CHECK(matches("dst fd00:2::/32", &u6) == 0);
	/* a v4-mapped IPv6 socket matches an IPv4 prefix */
	CHECK(matches("dst 10.96.4.17:53", &m6) == 1);
	CHECK(matches("dport 53", &m6) == 1 && matches("sport 53", &m6) == 0);
	CHECK(matches("state established", &t4) == 1 && matches("state listen", &t4) == 0);
	CHECK(matches("state listen state established", &t4) == 1);
	CHECK(matches("state close", &m6) == 1);
	CHECK(matches("cookie 78,77", &t4) == 1 && matches("cookie 78", &t4) == 0);
	CHECK(matches("tcp -4 dst 10.96.4.17:53 dport 53 state established cookie 77", &t4) == 1);
}

static void test_parse(void)
{
	static const char *const bad[] = {
		"dst", "dst 10.0.0.1/33", "dst 300.0.0.1", "dst 10.0.0.1:0", "dst 10.0.0.1:65536",
		"dst [fd00::1", "dst [fd00::1]x", "dst fd00::/129", "dport 0", "sport x",
		"state sleeping", "cookie", "cookie 0", "cookie 1,x",
		"cookie 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", "tcp udp", "-4 -6",
		"dst 1.1.1.1 dst 2.2.2.2", "all all", "bogus", NULL,
	};
	struct nk_filter f;
	bool all;

	for (int i = 0; bad[i]; i++) {
		int ret = filter(bad[i], &f, &all);

		if (ret != NK_EXIT_USAGE)
			printf("accepted: %s\n", bad[i]);
		CHECK(ret == NK_EXIT_USAGE);
	}
	CHECK(filter("", &f, &all) == 0 && reap_filter_empty(&f) && !all);
	CHECK(filter("all", &f, &all) == 0 && reap_filter_empty(&f) && all);
	CHECK(filter("dst *:80", &f, &all) == 0 && !reap_filter_empty(&f));
	CHECK(filter("cookie 1,2,3", &f, &all) == 0 && f.ncookies == 3 && f.cookies[2] == 3);
	CHECK(filter("dst 10.0.0.0/8", &f, &all) == 0 && f.dst.len == 104 && f.dst.set);
	CHECK(!strcmp(reap_state_name(10), "listen") && !strcmp(reap_state_name(99), "unknown"));
}

int main(void)
{
	if (!getenv("NK_TEST_VERBOSE"))
		freopen("/dev/null", "w", stderr);
	test_match();
	test_parse();
	return check_report("test_sockreap");
}
