// SPDX-License-Identifier: GPL-2.0
/* Offline tests of sockreap's filter parser and of nk_sock_match, the one
 * matcher both backends use. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "args.h"
#include "check.h"
#include "exit.h"
#include "netns.h"
#include "reap_words.h"

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
	/* written v4-mapped, without brackets: an IPv6 address, no port */
	CHECK(matches("dst ::ffff:10.96.4.17", &m6) == 1);
	CHECK(matches("dst [::ffff:10.96.4.17]:53", &m6) == 1);
	CHECK(matches("dst ::ffff:10.96.4.0/120", &m6) == 1);
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
		"state sleeping", "state unknown", "cookie", "cookie 0", "cookie 1,x", "cookie 0x",
		"cookie 0xg", "sport 0x1bb", "sport 1e3", "dst 10.0.0.1:0x50", "sport -1",
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
	/* numbers are decimal, leading zeros or not; cookies also 0xHEX */
	CHECK(filter("sport 0443", &f, &all) == 0 && f.sport == 443);
	CHECK(filter("dst 10.0.0.1:0080", &f, &all) == 0 && f.dst.port == 80);
	CHECK(filter("cookie 010,0x10", &f, &all) == 0 && f.cookies[0] == 10 && f.cookies[1] == 16);
	/* no state word: nothing set here, the caller applies the default */
	CHECK(filter("dport 80", &f, &all) == 0 && f.state_mask == 0);
	CHECK(filter("state connected", &f, &all) == 0 && f.state_mask == REAP_STATES_CONNECTED);
	CHECK(filter("state all", &f, &all) == 0 && f.state_mask == REAP_STATES_ALL);
	CHECK(filter("state time-wait state connected", &f, &all) == 0 &&
	      f.state_mask == (REAP_STATES_CONNECTED | 1u << 6));
	CHECK(filter("state new-syn-recv", &f, &all) == 0 && f.state_mask == 1u << 12);
}

/* The default state set is what ss shows without -a. */
static void test_states(void)
{
	static const struct { const char *name; int in; } want[] = {
		{ "established", 1 }, { "syn-sent", 1 }, { "syn-recv", 0 }, { "fin-wait-1", 1 },
		{ "fin-wait-2", 1 }, { "time-wait", 0 }, { "close", 0 }, { "close-wait", 1 },
		{ "last-ack", 1 }, { "listen", 0 }, { "closing", 1 }, { "new-syn-recv", 0 },
	};

	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK_STR(reap_state_name(i + 1), want[i].name);
		CHECK(!!(REAP_STATES_CONNECTED & 1u << (i + 1)) == want[i].in);
		CHECK(REAP_STATES_ALL & 1u << (i + 1));
	}
	CHECK(!(REAP_STATES_ALL & 1));
}

static void test_cookie_set(void)
{
	struct nk_set s = { 0 };
	int fresh = 0, again = 0;

	/* through several growths, every cookie once */
	for (__u64 c = 1; c <= 100000; c++)
		fresh += nk_set_add(&s, c * 0x9e3779b97f4a7c15ULL) == 1;
	for (__u64 c = 1; c <= 100000; c++)
		again += nk_set_add(&s, c * 0x9e3779b97f4a7c15ULL) == 0;
	CHECK(fresh == 100000 && again == 100000 && s.n == 100000);
	CHECK(s.cap >= 2 * s.n);
	nk_set_clear(&s);
	CHECK(s.n == 0 && nk_set_add(&s, 7) == 1 && nk_set_add(&s, 7) == 0);
	/* cookie 0 has no identity: never a repeat */
	CHECK(nk_set_add(&s, 0) == 1 && nk_set_add(&s, 0) == 1);
	nk_set_free(&s);
	CHECK(s.slot == NULL && s.n == 0);
}

/* What a pass does with the sockets a backend hands it. */
struct seen {
	int reported, fallbacks;
	int fallback_result;
};

static void on_report(const struct nk_sock *s, void *data)
{
	((struct seen *)data)->reported++;
}

static int on_fallback(struct nk_sock *s, void *data)
{
	struct seen *seen = data;

	seen->fallbacks++;
	return seen->fallback_result;
}

static void test_pass(void)
{
	struct seen seen = { .fallback_result = 0 };
	struct pass p = { .dedup = true, .fallback = on_fallback, .report = on_report, .data = &seen };
	struct nk_sock ok = { .cookie = 1 }, tw = { .cookie = 2, .result = -EOPNOTSUPP },
		       gone = { .cookie = 3, .result = -ENOENT }, busy = { .cookie = 4, .result = -EBUSY };

	pass_begin_ns(&p);
	CHECK(pass_emit(&p, &ok) == 0 && pass_emit(&p, &tw) == 0);
	CHECK(pass_emit(&p, &gone) == 0 && pass_emit(&p, &busy) == 0);
	CHECK(p.ns.matched == 4 && p.ns.destroyed == 2 && p.ns.failed == 1);
	CHECK(p.ns.progress == 2 && seen.reported == 4 && seen.fallbacks == 1 && tw.result == 0);
	/* the second pass: the same sockets are not news */
	p.ns.progress = 0;
	CHECK(pass_emit(&p, &ok) == 0 && pass_emit(&p, &busy) == 0);
	CHECK(p.ns.matched == 4 && p.ns.progress == 0 && seen.reported == 4);
	/* a fallback that cannot either keeps the failure, counted as unsupported */
	seen.fallback_result = -EOPNOTSUPP;
	tw.cookie = 5;
	tw.result = -EOPNOTSUPP;
	CHECK(pass_emit(&p, &tw) == 0 && p.ns.failed == 2 && p.ns.unsupported == 1);
	/* the next namespace starts from nothing */
	pass_begin_ns(&p);
	CHECK(p.ns.matched == 0 && p.seen.n == 0);
	CHECK(pass_emit(&p, &ok) == 0 && p.ns.matched == 1);
	/* a dry run destroys nothing, and counts no failure */
	p.dry_run = true;
	pass_begin_ns(&p);
	busy.cookie = 6;
	CHECK(pass_emit(&p, &busy) == 0 && p.ns.matched == 1 && p.ns.failed == 0 &&
	      p.ns.destroyed == 0);
	/* without dedup (exactly-once iterators) a repeat is counted again */
	p.dedup = false;
	p.dry_run = false;
	pass_begin_ns(&p);
	CHECK(pass_emit(&p, &ok) == 0 && pass_emit(&p, &ok) == 0 && p.ns.matched == 2 &&
	      p.seen.n == 0);
	pass_free(&p);
	CHECK(!strcmp(reap_strerror(-REAP_EHIDDEN), "sock_diag finds another socket of its SO_REUSEPORT group"));
}

static void test_index(void)
{
	struct reap_index *ix = reap_index_new();
	struct nk_filter f = { .state_mask = REAP_STATES_CONNECTED };
	struct reap_sockstat st = { .tcp = 3, .udp = 1 };
	const struct nk_sock *m;
	size_t n;
	struct nk_index_rec rec[] = {
		{ .kind = NK_REC_SOCK, .key = 11, .netns = 100, .match = 1,
		  .sock = { .cookie = 1, .proto = NK_PROTO_TCP, .dport = 80 } },
		{ .kind = NK_REC_SOCK, .key = 12, .netns = 100,
		  .sock = { .cookie = 2, .proto = NK_PROTO_TCP } },
		/* a second fd of the first */
		{ .kind = NK_REC_SOCK, .key = 11, .netns = 100, .match = 1,
		  .sock = { .cookie = 1, .proto = NK_PROTO_TCP, .dport = 80 } },
		/* no cookie made yet: known by its address */
		{ .kind = NK_REC_SOCK, .key = 13, .netns = 100,
		  .sock = { .cookie = 0, .proto = NK_PROTO_TCP } },
		{ .kind = NK_REC_SOCK, .key = 14, .netns = 100, .match = 1,
		  .sock = { .cookie = 4, .proto = NK_PROTO_UDP } },
		{ .kind = NK_REC_SOCK, .key = 15, .netns = 200, .match = 1,
		  .sock = { .cookie = 5, .proto = NK_PROTO_TCP, .dport = 80 } },
		/* where namespaces are held: the first place each */
		{ .kind = NK_REC_HOLDER, .netns = 100, .pid = 42, .fd = NK_TASK_NS },
		{ .kind = NK_REC_HOLDER, .netns = 100, .pid = 43, .fd = 3 },
		{ .kind = NK_REC_HOLDER, .netns = 300, .pid = 44, .fd = 7 },
	};

	for (unsigned int i = 0; i < sizeof(rec) / sizeof(rec[0]); i++)
		CHECK(reap_index_add(ix, &rec[i]) == 0);
	/* each socket once, however many fds hold it; matches carry result 0 */
	CHECK(reap_index_covers(ix, 100, &f, &st, &m, &n) && n == 2);
	CHECK(m[0].cookie == 1 && m[1].cookie == 4 && m[0].result == 0);
	/* a socket the kernel counts but no process holds: walk */
	st.tcp = 4;
	CHECK(!reap_index_covers(ix, 100, &f, &st, &m, &n));
	/* unless the filter does not look at that protocol */
	f.proto_mask = NK_PROTO_UDP;
	CHECK(reap_index_covers(ix, 100, &f, &st, &m, &n) && n == 2);
	f.proto_mask = 0;
	st.tcp = 3;
	/* time-wait sockets are never files: only a walk finds them */
	st.tw = 2;
	CHECK(reap_index_covers(ix, 100, &f, &st, &m, &n));
	f.state_mask |= 1u << 6;
	CHECK(!reap_index_covers(ix, 100, &f, &st, &m, &n));
	st.tw = 0;
	CHECK(reap_index_covers(ix, 100, &f, &st, &m, &n));
	f.state_mask = 1u << 3;	/* syn-recv: request sockets */
	CHECK(!reap_index_covers(ix, 100, &f, &st, &m, &n));
	/* a namespace with no socket files: covered when the kernel has none */
	f.state_mask = REAP_STATES_CONNECTED;
	st = (struct reap_sockstat){ 0 };
	CHECK(reap_index_covers(ix, 300, &f, &st, &m, &n) && n == 0);
	st.udp = 1;
	CHECK(!reap_index_covers(ix, 300, &f, &st, &m, &n));
	st = (struct reap_sockstat){ .tcp = 1 };
	CHECK(reap_index_covers(ix, 200, &f, &st, &m, &n) && n == 1 && m[0].cookie == 5);
	/* a match without a cookie and without a peer: SOCK_DESTROY could hit
	 * another member of its SO_REUSEPORT group, so walk */
	struct nk_index_rec unnamed = { .kind = NK_REC_SOCK, .key = 16, .netns = 200, .match = 1,
					.sock = { .proto = NK_PROTO_UDP } };

	st = (struct reap_sockstat){ .tcp = 1, .udp = 1 };
	CHECK(reap_index_add(ix, &unnamed) == 0 && !reap_index_covers(ix, 200, &f, &st, &m, &n));
	const struct netns_hint *h;

	CHECK(reap_index_hints(ix, &h) == 2);
	CHECK_STR(h[0].path, "/proc/42/ns/net");
	CHECK_STR(h[0].label, "pid 42");
	CHECK_STR(h[1].path, "/proc/44/fd/7");
	reap_index_free(ix);
}

static void test_batch(void)
{
	static const char text[] =
		"# comment\n\nkill tcp dst 10.0.0.1:80\nlist dst 10.0.0.0/8\nkill udp -6 dport 53\n";
	struct reap_batch b = { 0 };
	struct nk_filter u;
	unsigned int lines[4];
	bool kill;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct nk_ctx bctx = { .prog = "test", .batch = "b" };

	CHECK(reap_batch_read(&bctx, f, &b) == 0);
	fclose(f);
	CHECK(b.n == 3 && b.kill);
	CHECK(b.v[0].line == 3 && b.v[0].kill && b.v[1].line == 4 && !b.v[1].kill);
	/* defaults applied per line: connected states */
	CHECK(b.v[1].f.state_mask == REAP_STATES_CONNECTED);
	reap_batch_union(&b, &u);
	CHECK(u.proto_mask == 0 && u.family_mask == 0);
	CHECK(u.state_mask == REAP_STATES_CONNECTED && !u.dst.set && !u.dport_set);

	struct nk_sock s = sock(AF_INET, "10.0.0.9", 40000, "10.0.0.1", 80, NK_PROTO_TCP, 1, 5);

	CHECK(reap_batch_match(&b, &s, lines, 4, &kill) == 2 && kill);
	CHECK(lines[0] == 3 && lines[1] == 4);
	s = sock(AF_INET, "10.0.0.9", 40000, "10.0.0.2", 80, NK_PROTO_TCP, 1, 6);
	CHECK(reap_batch_match(&b, &s, lines, 4, &kill) == 1 && !kill && lines[0] == 4);
	s = sock(AF_INET, "192.168.0.9", 40000, "192.168.0.2", 80, NK_PROTO_TCP, 1, 7);
	CHECK(reap_batch_match(&b, &s, lines, 4, &kill) == 0);
	reap_batch_free(&b);

	/* protocols and families narrow the union only when every line does */
	static const char narrow[] = "list udp -4 dst 10.0.0.1\nkill udp -4 dport 53\n";
	f = fmemopen((void *)narrow, sizeof(narrow) - 1, "r");
	CHECK(reap_batch_read(&bctx, f, &b) == 0);
	fclose(f);
	reap_batch_union(&b, &u);
	CHECK(u.proto_mask == NK_PROTO_UDP && u.family_mask == NK_FAM_V4);
	reap_batch_free(&b);

	/* a bad line, an empty kill, an empty batch: usage errors */
	static const char *const bad[] = { "kill\n", "show dst 1.2.3.4\n", "list dst\n", "# only\n", NULL };
	for (int i = 0; bad[i]; i++) {
		f = fmemopen((void *)bad[i], strlen(bad[i]), "r");
		CHECK(reap_batch_read(&bctx, f, &b) == NK_EXIT_USAGE);
		fclose(f);
		reap_batch_free(&b);
	}
}

int main(void)
{
	if (!getenv("NK_TEST_VERBOSE"))
		freopen("/dev/null", "w", stderr);
	test_match();
	test_parse();
	test_states();
	test_cookie_set();
	test_pass();
	test_index();
	test_batch();
	return check_report("test_sockreap");
}
