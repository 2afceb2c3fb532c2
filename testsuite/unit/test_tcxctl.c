// SPDX-License-Identifier: GPL-2.0
/* Offline tests of tcxctl's pure stages: the parser, the planner and the
 * printers, on snapshots written by hand. No root, no BPF system call. */
#include <stdlib.h>
#include <stdio.h>
#include "args.h"
#include "check.h"
#include "exit.h"
#include "out.h"
#include "tcxctl.h"
#include "tcx/pins.h"

static struct nk_ctx ctx = { .prog = "test" };
static struct hook_snap s;
static struct plan p;

static int parse(enum tcx_cmd cmd, struct tcx_req *r, const char *line)
{
	struct nk_args a = check_args(line);

	return tcx_parse(&ctx, cmd, &a, r);
}

/* A request, parsed; a failed parse fails the check. */
static struct tcx_req req(enum tcx_cmd cmd, const char *line)
{
	struct tcx_req r;
	int ret = parse(cmd, &r, line);

	if (ret)
		printf("cannot parse: %s\n", line);
	CHECK(ret == 0);
	return r;
}

/* An empty hook: v0 (ifindex 3), tcx on unless tcx is false. */
static void hook(int h, bool tcx, uint64_t revision)
{
	memset(&s, 0, sizeof(s));
	hook_target_init(&s.t, "v0", 3, h);
	s.tcx = tcx;
	s.tc_hook = is_tc_hook(h);
	s.st.revision = revision;
	snprintf(s.pin_dir, sizeof(s.pin_dir), "/sys/fs/bpf/nktools/7/3/%s", hook_names[h]);
}

/* A chain entry; ours: pinned in our directory, custom: at that path. */
static void entry(const char *name, uint32_t prog, uint32_t link, const char *tag, bool ours,
		  const char *custom)
{
	struct hook_entry *e = &s.st.e[s.st.count++];

	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	snprintf(e->tag, sizeof(e->tag), "%s", tag);
	e->prog_id = prog;
	e->link_id = link;
	if (ours) {
		tcx_pin_name(s.pin_dir, link, name, e->entry, sizeof(e->entry));
		snprintf(e->pin, sizeof(e->pin), "%s", custom ? custom : e->entry);
	}
}

static void filter(const char *name, uint32_t prio, uint32_t prog, const char *tag, bool ours)
{
	struct tc_filter *f = &s.tc.f[s.tc.count++];

	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->tag, sizeof(f->tag), "%s", tag);
	f->prio = prio;
	f->handle = 1;
	f->prog_id = prog;
	f->ours = ours;
	s.tc.total++;
	s.clsact = true;
}

static const struct prog_facts new_pass = { .id = 50, .name = "nk_pass", .tag = "aaaa" };
static const struct prog_facts new_count = { .id = 51, .name = "nk_count", .tag = "bbbb" };

static bool has_msg(const char *part)
{
	bool ok = strstr(p.msg, part) != NULL;

	if (!ok)
		printf("message \"%s\" lacks \"%s\"\n", p.msg, part);
	return ok;
}

static void test_parse(void)
{
	struct tcx_req r;
	char line[400];

	r = req(CMD_DETACH, "dev v0 ingress all ours");
	CHECK(r.ref.kind == REF_ALL && r.ours);
	r = req(CMD_DETACH, "dev v0 ingress all");
	CHECK(r.ref.kind == REF_ALL && !r.ours);
	r = req(CMD_SHOW, "dev v0 ingress hooks");
	CHECK(r.hooks && r.hook == HOOK_INGRESS);
	r = req(CMD_ATTACH, "dev v0 ingress pinned /sys/fs/bpf/p before pinned /sys/fs/bpf/q");
	CHECK(r.prog.kind == PROG_PINNED && r.anchor.kind == REF_PINNED);
	snprintf(line, sizeof(line), "dev v0 ingress id 1 pin /%0254d", 0);
	CHECK(parse(CMD_ATTACH, &r, line) == 0);	/* 255 bytes */
	snprintf(line, sizeof(line), "dev v0 ingress id 1 pin /%0255d", 0);
	CHECK(parse(CMD_ATTACH, &r, line) == NK_EXIT_USAGE);

	static const char *const bad[] = {
		"dev v0 ingress name x ours", "dev v0 ingress ours", "dev v0 ingress all ours ours",
		NULL,
	};
	for (int i = 0; bad[i]; i++)
		CHECK(parse(CMD_DETACH, &r, bad[i]) == NK_EXIT_USAGE);
	CHECK(parse(CMD_ATTACH, &r, "dev v0 ingress id 1 hooks") == NK_EXIT_USAGE);

	char buf[64];
	CHECK_STR(pos_str(POS_BEFORE, &r.anchor, buf, sizeof(buf)), "before all");
	r = req(CMD_ATTACH, "dev v0 ingress id 1 after name nk_x");
	CHECK_STR(pos_str(r.pos, &r.anchor, buf, sizeof(buf)), "after name nk_x");
	tcx_pin_name("/d", 5, "nk_a", buf, sizeof(buf));
	CHECK_STR(buf, "/d/link5-nk_a");
}

static void test_mechanism(void)
{
	struct tcx_req r = req(CMD_ATTACH, "dev v0 ingress id 1");

	plan_mechanism(&r, true, &p);
	CHECK(!p.exit && !p.tc);
	plan_mechanism(&r, false, &p);
	CHECK(!p.exit && p.tc);			/* auto falls back */
	r = req(CMD_ATTACH, "dev v0 ingress id 1 mode tc");
	plan_mechanism(&r, true, &p);
	CHECK(!p.exit && p.tc);
	r = req(CMD_ATTACH, "dev v0 ingress id 1 revision 2");
	plan_mechanism(&r, false, &p);
	CHECK(p.exit == NK_EXIT_UNSUPP && has_msg("revisions need tcx"));
	r = req(CMD_ATTACH, "dev v0 ingress id 1 mode tcx");
	plan_mechanism(&r, false, &p);
	CHECK(p.exit == NK_EXIT_UNSUPP && has_msg("use mode tc or auto"));
	r = req(CMD_ATTACH, "dev v0 ingress id 1 pin /sys/fs/bpf/x");
	plan_mechanism(&r, false, &p);
	CHECK(p.exit == NK_EXIT_UNSUPP && has_msg("pins need tcx"));
	r = req(CMD_ATTACH, "dev v0 peer id 1");
	plan_mechanism(&r, false, &p);
	CHECK(p.exit == NK_EXIT_UNSUPP && has_msg("netkit hooks"));
}

static void test_attach_places(void)
{
	struct tcx_req r;

	hook(HOOK_INGRESS, true, 1);
	r = req(CMD_ATTACH, "dev v0 ingress id 50");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && !p.noop && p.n == 1);
	CHECK(p.op[0].kind == OP_LINK_CREATE && p.op[0].flags == 0 && p.op[0].entry == -1);
	CHECK(p.op[0].revision == 0 && p.op[0].pin[0] == '\0');

	entry("nk_a", 10, 20, "1111", true, NULL);
	entry("nk_b", 11, 0, "2222", false, NULL);	/* no link: another tool's */
	s.st.revision = 4;
	r = req(CMD_ATTACH, "dev v0 ingress id 50 first revision 4 pin /sys/fs/bpf/mine");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && p.n == 1 && p.op[0].flags == BPF_F_BEFORE && p.op[0].revision == 4);
	CHECK_STR(p.op[0].pin, "/sys/fs/bpf/mine");
	r = req(CMD_ATTACH, "dev v0 ingress id 50 last");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && p.op[0].flags == BPF_F_AFTER && !p.op[0].relative_id);
	r = req(CMD_ATTACH, "dev v0 ingress id 50 before name nk_a");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.op[0].flags == (BPF_F_BEFORE | BPF_F_ID | BPF_F_LINK) && p.op[0].relative_id == 20);
	r = req(CMD_ATTACH, "dev v0 ingress id 50 after id 11");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.op[0].flags == (BPF_F_AFTER | BPF_F_ID) && p.op[0].relative_id == 11);
	/* a pinned link or program, as ref_resolve() filled it */
	r = req(CMD_ATTACH, "dev v0 ingress id 50 after pinned /sys/fs/bpf/l");
	r.anchor.pin_link = 20;
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && p.op[0].relative_id == 20);
	r.anchor.pin_link = 0;
	r.anchor.pin_prog = 11;
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && p.op[0].relative_id == 11 && !(p.op[0].flags & BPF_F_LINK));
	r.anchor.pin_prog = 99;
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.exit == NK_EXIT_NONE && has_msg("pinned /sys/fs/bpf/l is not attached to v0 ingress"));

	/* refusals: nothing planned */
	r = req(CMD_ATTACH, "dev v0 ingress id 50 revision 3");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.exit == NK_EXIT_FAIL && p.n == 0 &&
	      has_msg("changed since revision 3 (it is at revision 4 now); nothing was changed"));
	r = req(CMD_ATTACH, "dev v0 ingress id 50 before name nk_nope");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.exit == NK_EXIT_NONE && has_msg("name nk_nope is not attached"));
	entry("nk_a", 12, 21, "1111", false, NULL);
	r = req(CMD_ATTACH, "dev v0 ingress id 50 before name nk_a");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.exit == NK_EXIT_USAGE && has_msg("matches more than one"));
	const struct prog_facts twice = { .id = 11, .name = "nk_other", .tag = "2222" };
	r = req(CMD_ATTACH, "dev v0 ingress id 11");
	plan_attach(&r, &s, &twice, &p);
	CHECK(p.exit == NK_EXIT_FAIL && has_msg("only once"));
	while (s.st.count < MPROG_LIMIT)
		entry("nk_x", 100 + s.st.count, 200 + s.st.count, "3333", false, NULL);
	r = req(CMD_ATTACH, "dev v0 ingress id 50");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.exit == NK_EXIT_FAIL && has_msg("is full") && p.n == 0);
}

static void test_attach_retry(void)
{
	struct tcx_req r;
	const struct prog_facts v2 = { .id = 52, .name = "nk_pass", .tag = "ffff" };

	hook(HOOK_EGRESS, true, 6);
	entry("nk_count", 10, 20, "bbbb", true, NULL);
	entry("nk_pass", 11, 21, "aaaa", true, NULL);
	/* same name and tag, any place: nothing to do, whatever the revision */
	r = req(CMD_ATTACH, "dev v0 egress object x.o revision 5");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && p.noop && p.existing == 1 && p.n == 0);
	r = req(CMD_ATTACH, "dev v0 egress object x.o last");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && p.noop);
	r = req(CMD_ATTACH, "dev v0 egress object x.o after name nk_count");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && p.noop);
	/* at another place: move */
	r = req(CMD_ATTACH, "dev v0 egress object x.o first");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.exit == NK_EXIT_FAIL && p.n == 0 &&
	      has_msg("at position 1, not first") && has_msg("\"tcxctl move dev v0 egress name nk_pass first\""));
	r = req(CMD_ATTACH, "dev v0 egress object x.o before id 10");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.exit == NK_EXIT_FAIL && has_msg("move dev v0 egress name nk_pass before id 10"));
	r = req(CMD_ATTACH, "dev v0 egress object x.o before name nk_pass");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.exit == NK_EXIT_USAGE && has_msg("relative to itself"));
	/* another program of that name: replace */
	r = req(CMD_ATTACH, "dev v0 egress object x.o");
	plan_attach(&r, &s, &v2, &p);
	CHECK(p.exit == NK_EXIT_FAIL && has_msg("another program (tag aaaa, not ffff)") &&
	      has_msg("\"tcxctl replace dev v0 egress name nk_pass PROG\""));
	/* another pin */
	r = req(CMD_ATTACH, "dev v0 egress object x.o pin /sys/fs/bpf/elsewhere");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.exit == NK_EXIT_FAIL && has_msg("pinned at /sys/fs/bpf/nktools/7/3/egress/link21-nk_pass"));
	/* a same-named entry that is not ours is not a retry */
	hook(HOOK_EGRESS, true, 2);
	entry("nk_pass", 11, 0, "aaaa", false, NULL);
	r = req(CMD_ATTACH, "dev v0 egress object x.o");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && !p.noop && p.n == 1);
	/* ours twice (made by hand): refused */
	hook(HOOK_EGRESS, true, 3);
	entry("nk_pass", 11, 20, "aaaa", true, NULL);
	entry("nk_pass", 12, 21, "aaaa", true, NULL);
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.exit == NK_EXIT_FAIL && has_msg("more than once"));
}

static void test_attach_switch(void)
{
	struct tcx_req r;

	/* upgrade: our tc filter of the program goes after, and our clsact with it */
	hook(HOOK_INGRESS, true, 1);
	filter("nk_pass", 0x8000, 9, "aaaa", true);
	s.clsact_ours = true;
	r = req(CMD_ATTACH, "dev v0 ingress object x.o mode tcx");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && p.n == 3 && !p.shadow);
	CHECK(p.op[0].kind == OP_LINK_CREATE && !p.op[0].cleanup);
	CHECK(p.op[1].kind == OP_TC_DEL && p.op[1].entry == 0 && p.op[1].cleanup);
	CHECK(p.op[2].kind == OP_CLSACT_DEL && p.op[2].cleanup);
	/* a filter of the other direction keeps the clsact */
	s.tc_other = 1;
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.n == 2);
	/* someone else's filter stays, and is shadowed */
	s.tc_other = 0;
	filter("theirs", 7, 8, "cccc", false);
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.n == 2 && p.shadow);
	/* a clsact not ours stays */
	hook(HOOK_INGRESS, true, 1);
	filter("nk_pass", 0x8000, 9, "aaaa", true);
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(p.n == 2 && p.op[1].kind == OP_TC_DEL);

	/* downgrade: our tcx link of the program goes after */
	hook(HOOK_INGRESS, true, 2);
	entry("nk_pass", 11, 21, "aaaa", true, NULL);
	entry("nk_count", 12, 22, "bbbb", true, NULL);
	r = req(CMD_ATTACH, "dev v0 ingress object x.o mode tc");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && p.tc && p.n == 2 && p.shadow);
	CHECK(p.op[0].kind == OP_TC_ADD && p.op[0].prio == 0x8000);
	CHECK(p.op[1].kind == OP_LINK_DETACH && p.op[1].entry == 0 && p.op[1].cleanup);
	/* a retried downgrade: the filter is there, the link goes */
	filter("nk_pass", 0x8000, 11, "aaaa", true);
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && p.noop && p.n == 1 && p.op[0].kind == OP_LINK_DETACH);
}

static void test_tc_prio(void)
{
	struct tcx_req r;

	hook(HOOK_EGRESS, false, 0);
	filter("nk_a", 0x8000, 9, "aaaa", true);
	filter("nk_b", 0x8100, 10, "bbbb", true);
	r = req(CMD_ATTACH, "dev v0 egress object x.o");
	plan_attach(&r, &s, &new_count, &p);
	CHECK(p.tc && !p.exit && p.op[0].prio == 0x8200);
	r = req(CMD_ATTACH, "dev v0 egress object x.o first");
	plan_attach(&r, &s, &new_count, &p);
	CHECK(p.op[0].prio == 0x7f00);
	r = req(CMD_ATTACH, "dev v0 egress object x.o before name nk_b");
	plan_attach(&r, &s, &new_count, &p);
	CHECK(p.op[0].prio == 0x8080);
	r = req(CMD_ATTACH, "dev v0 egress object x.o after id 9");
	plan_attach(&r, &s, &new_count, &p);
	CHECK(p.op[0].prio == 0x8080);
	r = req(CMD_ATTACH, "dev v0 egress object x.o before link 3");
	plan_attach(&r, &s, &new_count, &p);
	CHECK(p.exit == NK_EXIT_NONE && has_msg("classic tc takes id, name"));
	/* no room left between two neighbours */
	hook(HOOK_EGRESS, false, 0);
	filter("nk_a", 10, 9, "aaaa", true);
	filter("nk_b", 11, 10, "bbbb", true);
	r = req(CMD_ATTACH, "dev v0 egress object x.o after name nk_a");
	plan_attach(&r, &s, &new_count, &p);
	CHECK(p.exit == NK_EXIT_FAIL && has_msg("no classic tc priority is free"));
	/* retries by priority order */
	r = req(CMD_ATTACH, "dev v0 egress object x.o first");
	const struct prog_facts a = { .id = 9, .name = "nk_a", .tag = "aaaa" };
	plan_attach(&r, &s, &a, &p);
	CHECK(!p.exit && p.noop && p.existing == 0);
	r = req(CMD_ATTACH, "dev v0 egress object x.o after name nk_b");
	plan_attach(&r, &s, &a, &p);
	CHECK(p.exit == NK_EXIT_FAIL && has_msg("classic tc has no move"));
}

static void test_detach(void)
{
	struct tcx_req r;

	hook(HOOK_INGRESS, true, 7);
	entry("nk_a", 10, 20, "1111", true, NULL);
	entry("nk_b", 11, 0, "2222", false, NULL);
	entry("nk_c", 12, 22, "3333", false, NULL);
	r = req(CMD_DETACH, "dev v0 ingress all");
	plan_detach(&r, &s, &p);
	CHECK(!p.exit && p.n == 3);
	/* from the last; each detach without a link expects the revision then */
	CHECK(p.op[0].kind == OP_LINK_DETACH && p.op[0].entry == 2 && p.op[0].report);
	CHECK(p.op[1].kind == OP_PROG_DETACH && p.op[1].entry == 1 && p.op[1].revision == 8);
	CHECK(p.op[2].kind == OP_LINK_DETACH && p.op[2].entry == 0);
	r = req(CMD_DETACH, "dev v0 ingress all ours");
	plan_detach(&r, &s, &p);
	CHECK(!p.exit && p.n == 1 && p.op[0].entry == 0);
	r = req(CMD_DETACH, "dev v0 ingress id 11");
	plan_detach(&r, &s, &p);
	CHECK(!p.exit && p.n == 1 && p.op[0].kind == OP_PROG_DETACH && p.op[0].revision == 7 &&
	      !p.op[0].report);
	r = req(CMD_DETACH, "dev v0 ingress name nk_x");
	plan_detach(&r, &s, &p);
	CHECK(p.exit == NK_EXIT_NONE && has_msg("name nk_x is not attached to v0 ingress"));
	r = req(CMD_DETACH, "dev v0 ingress all revision 6");
	plan_detach(&r, &s, &p);
	CHECK(p.exit == NK_EXIT_FAIL && p.n == 0);
	entry("nk_a", 13, 23, "1111", false, NULL);
	r = req(CMD_DETACH, "dev v0 ingress name nk_a");
	plan_detach(&r, &s, &p);
	CHECK(p.exit == NK_EXIT_USAGE && p.n == 0);

	/* classic tc: ours only; the clsact we added goes with the last filter */
	hook(HOOK_INGRESS, false, 0);
	filter("nk_a", 0x8000, 9, "aaaa", true);
	filter("theirs", 7, 8, "cccc", false);
	filter("nk_b", 0x8100, 10, "bbbb", true);
	s.clsact_ours = true;
	r = req(CMD_DETACH, "dev v0 ingress all");
	plan_detach(&r, &s, &p);
	CHECK(!p.exit && p.n == 2 && p.kept_foreign == 1);
	CHECK(p.op[0].kind == OP_TC_DEL && p.op[0].entry == 0 && p.op[0].report);
	CHECK(p.op[1].kind == OP_TC_DEL && p.op[1].entry == 2);
	hook(HOOK_INGRESS, false, 0);
	filter("nk_a", 0x8000, 9, "aaaa", true);
	filter("nk_b", 0x8100, 10, "bbbb", true);
	s.clsact_ours = true;
	r = req(CMD_DETACH, "dev v0 ingress name nk_a");
	plan_detach(&r, &s, &p);
	CHECK(!p.exit && p.n == 1);
	r = req(CMD_DETACH, "dev v0 ingress all");
	plan_detach(&r, &s, &p);
	CHECK(!p.exit && p.n == 3 && p.op[2].kind == OP_CLSACT_DEL);
	r = req(CMD_DETACH, "dev v0 ingress link 4");
	plan_detach(&r, &s, &p);
	CHECK(p.exit == NK_EXIT_NONE && has_msg("as a classic tc filter of ours"));
	r = req(CMD_DETACH, "dev v0 ingress all revision 3");
	plan_detach(&r, &s, &p);
	CHECK(p.exit == NK_EXIT_UNSUPP);
	/* nothing there: nothing to do, and that is fine */
	hook(HOOK_PEER, true, 1);
	r = req(CMD_DETACH, "dev v0 peer all");
	plan_detach(&r, &s, &p);
	CHECK(!p.exit && p.n == 0);
}

static void test_replace_move(void)
{
	struct tcx_req r;
	const struct prog_facts v2 = { .id = 52, .name = "nk_v2", .tag = "ffff" };

	hook(HOOK_INGRESS, true, 4);
	entry("nk_a", 10, 20, "1111", true, NULL);
	entry("nk_b", 11, 0, "2222", false, NULL);
	entry("nk_c", 12, 22, "3333", true, "/sys/fs/bpf/custom");
	r = req(CMD_REPLACE, "dev v0 ingress name nk_a object x.o");
	plan_replace(&r, &s, &v2, &p);
	CHECK(!p.exit && p.n == 1 && p.op[0].kind == OP_LINK_UPDATE);
	CHECK_STR(p.op[0].pin, "/sys/fs/bpf/nktools/7/3/ingress/link20-nk_v2");
	r = req(CMD_REPLACE, "dev v0 ingress id 11 object x.o");
	plan_replace(&r, &s, &v2, &p);
	CHECK(!p.exit && p.op[0].kind == OP_PROG_REPLACE && p.op[0].revision == 4);
	const struct prog_facts same = { .id = 60, .name = "nk_a", .tag = "1111" };
	r = req(CMD_REPLACE, "dev v0 ingress name nk_a object x.o");
	plan_replace(&r, &s, &same, &p);
	CHECK(!p.exit && p.noop && p.n == 0);
	const struct prog_facts there = { .id = 12, .name = "nk_c", .tag = "3333" };
	plan_replace(&r, &s, &there, &p);
	CHECK(p.exit == NK_EXIT_FAIL && has_msg("only once"));

	r = req(CMD_MOVE, "dev v0 ingress name nk_c first");
	plan_move(&r, &s, &p);
	CHECK(!p.exit && p.n == 2);
	CHECK(p.op[0].kind == OP_LINK_DETACH && p.op[0].entry == 2 && p.op[0].revision == 4);
	CHECK(p.op[1].kind == OP_LINK_CREATE && p.op[1].entry == 2 && p.op[1].revision == 5);
	CHECK(p.op[1].flags == BPF_F_BEFORE && p.op[1].has_back);
	CHECK(p.op[1].back_flags == (BPF_F_AFTER | BPF_F_ID) && p.op[1].back_relative == 11);
	CHECK_STR(p.op[1].pin, "/sys/fs/bpf/custom");
	r = req(CMD_MOVE, "dev v0 ingress name nk_a after name nk_b");
	plan_move(&r, &s, &p);
	CHECK(!p.exit && p.op[1].back_flags == BPF_F_BEFORE && p.op[1].pin[0] == '\0');
	CHECK(p.op[1].flags == (BPF_F_AFTER | BPF_F_ID) && p.op[1].relative_id == 11);
	r = req(CMD_MOVE, "dev v0 ingress id 11 last");
	plan_move(&r, &s, &p);
	CHECK(!p.exit && p.op[0].kind == OP_PROG_DETACH && p.op[1].kind == OP_PROG_ATTACH);
	r = req(CMD_MOVE, "dev v0 ingress name nk_a first");
	plan_move(&r, &s, &p);
	CHECK(!p.exit && p.noop && p.n == 0);
	r = req(CMD_MOVE, "dev v0 ingress name nk_a before name nk_a");
	plan_move(&r, &s, &p);
	CHECK(p.exit == NK_EXIT_USAGE);
	s.tcx = false;
	plan_move(&r, &s, &p);
	CHECK(p.exit == NK_EXIT_UNSUPP && has_msg("move needs tcx"));
	plan_replace(&r, &s, &v2, &p);
	CHECK(p.exit == NK_EXIT_UNSUPP && has_msg("with classic tc, attach"));
}

static char *render(void (*fn)(struct out *), bool json)
{
	static char *text;
	size_t len;
	struct out o;
	FILE *f;

	free(text);
	f = open_memstream(&text, &len);
	out_init(&o, f, json, false);
	out_begin(&o);
	fn(&o);
	out_end(&o);
	fclose(f);
	return text;
}

static void hook_flat(struct out *o) { print_hook(o, &s, NULL); }
static void hook_obj(struct out *o) { print_hook_obj(o, &s, "pod"); }
static void attached(struct out *o) { print_attached(o, &s, &p, &new_pass); }
static void detached(struct out *o) { print_detached(o, &s, &p); }

static void test_print(void)
{
	struct tcx_req r;
	char buf[200];

	hook(HOOK_INGRESS, true, 3);
	entry("nk_a", 10, 20, "1111", true, NULL);
	entry("nk_b", 11, 0, "2222", false, NULL);
	filter("nk_t", 0x8000, 9, "aaaa", true);
	CHECK_STR(render(hook_flat, false),
		  "v0(3) tcx/ingress revision 3\n"
		  "    0: nk_a prog 10 tag 1111 link 20 pin /sys/fs/bpf/nktools/7/3/ingress/link20-nk_a\n"
		  "    1: nk_b prog 11 tag 2222 (no link)\n"
		  "v0(3) tc/ingress\n"
		  "    0: nk_t prog 9 tag aaaa prio 32768 handle 1\n");
	CHECK_STR(render(hook_flat, true),
		  "[{\"devname\":\"v0\",\"ifindex\":3,\"kind\":\"tcx/ingress\",\"position\":0,\"name\":\"nk_a\","
		  "\"prog_id\":10,\"tag\":\"1111\",\"link_id\":20,"
		  "\"pin\":\"/sys/fs/bpf/nktools/7/3/ingress/link20-nk_a\",\"revision\":3,\"mode\":\"tcx\"},"
		  "{\"devname\":\"v0\",\"ifindex\":3,\"kind\":\"tcx/ingress\",\"position\":1,\"name\":\"nk_b\","
		  "\"prog_id\":11,\"tag\":\"2222\",\"link_id\":null,\"pin\":null,\"revision\":3,\"mode\":\"tcx\"},"
		  "{\"devname\":\"v0\",\"ifindex\":3,\"kind\":\"tc/ingress\",\"position\":0,\"name\":\"nk_t\","
		  "\"prog_id\":9,\"tag\":\"aaaa\",\"prio\":32768,\"handle\":1,\"ours\":true,\"mode\":\"tc\"}]\n");
	/* an empty hook: nothing flat, its revision as a hook object */
	hook(HOOK_PEER, true, 5);
	CHECK_STR(render(hook_flat, true), "[]\n");
	CHECK_STR(render(hook_obj, true),
		  "[{\"netns\":\"pod\",\"devname\":\"v0\",\"ifindex\":3,\"kind\":\"netkit/peer\","
		  "\"mode\":\"netkit\",\"revision\":5,\"count\":0,\"entries\":[]}]\n");
	CHECK_STR(render(hook_obj, false), "pod: v0(3) netkit/peer revision 5 programs 0\n");
	hook(HOOK_EGRESS, false, 0);
	s.clsact = true;
	s.clsact_ours = true;
	CHECK_STR(render(hook_obj, true),
		  "[{\"netns\":\"pod\",\"devname\":\"v0\",\"ifindex\":3,\"kind\":\"tc/egress\",\"mode\":\"tc\","
		  "\"revision\":null,\"clsact_ours\":true,\"count\":0,\"entries\":[]}]\n");

	/* attach: the one made, or the one already there */
	hook(HOOK_INGRESS, true, 1);
	r = req(CMD_ATTACH, "dev v0 ingress id 50");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK_STR(render(attached, true), "[]\n");	/* not done */
	p.op[0].done = true;
	p.op[0].link_id = 30;
	snprintf(p.op[0].made_pin, sizeof(p.op[0].made_pin), "/sys/fs/bpf/x");
	CHECK_STR(render(attached, true),
		  "[{\"devname\":\"v0\",\"ifindex\":3,\"kind\":\"tcx/ingress\",\"name\":\"nk_pass\","
		  "\"prog_id\":50,\"link_id\":30,\"pin\":\"/sys/fs/bpf/x\",\"existing\":false}]\n");
	CHECK_STR(render(attached, false), "");
	entry("nk_pass", 11, 21, "aaaa", true, NULL);
	plan_attach(&r, &s, &new_pass, &p);
	CHECK_STR(render(attached, true),
		  "[{\"devname\":\"v0\",\"ifindex\":3,\"kind\":\"tcx/ingress\",\"name\":\"nk_pass\","
		  "\"prog_id\":11,\"link_id\":21,\"pin\":\"/sys/fs/bpf/nktools/7/3/ingress/link21-nk_pass\","
		  "\"existing\":true}]\n");

	/* detach: what was done */
	entry("nk_b", 12, 0, "2222", false, NULL);
	r = req(CMD_DETACH, "dev v0 ingress all");
	plan_detach(&r, &s, &p);
	p.op[0].done = true;
	CHECK_STR(render(detached, true),
		  "[{\"devname\":\"v0\",\"ifindex\":3,\"kind\":\"tcx/ingress\",\"name\":\"nk_b\",\"prog_id\":12,"
		  "\"link_id\":null,\"ours\":false,\"detached\":true}]\n");
	CHECK_STR(op_str(&s, &p.op[0], buf, sizeof(buf)),
		  "nk_b (prog 12, no link, not attached by tcxctl)");
	CHECK_STR(op_str(&s, &p.op[1], buf, sizeof(buf)), "nk_pass (prog 11, link 21)");
}

static void test_query(void)
{
	static struct hook_state st;
	uint32_t progs[2] = { 5, 6 }, links[2] = { 0, 9 };

	CHECK(hook_state_from_query(&st, 4, 2, progs, links, 2) == 0);
	CHECK(st.revision == 4 && st.count == 2 && st.e[1].prog_id == 6 && st.e[1].link_id == 9);
	CHECK(hook_state_from_query(&st, 4, 3, progs, links, 2) < 0);
}

/* What the snapshot found out of place is put right by the commands that
 * change the hook, first: a stale mark, the pin of a device that moved here */
static void test_tidy(void)
{
	struct tcx_req r;

	hook(HOOK_INGRESS, true, 3);
	entry("nk_a", 10, 20, "1111", true, NULL);
	entry("nk_b", 11, 21, "2222", true, NULL);
	snprintf(s.st.e[0].entry, sizeof(s.st.e[0].entry), "/sys/fs/bpf/nktools/6/9/ingress/link20-nk_a");
	snprintf(s.st.e[0].pin, sizeof(s.st.e[0].pin), "%s", s.st.e[0].entry);
	s.st.e[0].moved = true;
	s.stale_mark = true;
	r = req(CMD_DETACH, "dev v0 ingress name nk_b");
	plan_detach(&r, &s, &p);
	CHECK(!p.exit && p.n == 3);
	CHECK(p.op[0].kind == OP_UNMARK && p.op[1].kind == OP_PIN_MOVE && p.op[1].entry == 0);
	CHECK(p.op[2].kind == OP_LINK_DETACH && p.op[2].entry == 1);
	/* a replace of the moved one names its new pin in this hook's directory */
	r = req(CMD_REPLACE, "dev v0 ingress name nk_a object x.o");
	plan_replace(&r, &s, &new_count, &p);
	CHECK(!p.exit && p.n == 3 && p.op[2].kind == OP_LINK_UPDATE);
	CHECK_STR(p.op[2].pin, "/sys/fs/bpf/nktools/7/3/ingress/link20-nk_count");
	r = req(CMD_ATTACH, "dev v0 ingress object x.o");
	plan_attach(&r, &s, &new_pass, &p);
	CHECK(!p.exit && p.n == 3 && p.op[0].kind == OP_UNMARK && p.op[2].kind == OP_LINK_CREATE);
	/* a refusal does nothing, tidying included */
	r = req(CMD_DETACH, "dev v0 ingress name nk_x");
	plan_detach(&r, &s, &p);
	CHECK(p.exit == NK_EXIT_NONE);
	/* nothing out of place: no housekeeping */
	s.stale_mark = false;
	s.st.e[0].moved = false;
	r = req(CMD_DETACH, "dev v0 ingress name nk_b");
	plan_detach(&r, &s, &p);
	CHECK(!p.exit && p.n == 1);
}

int main(void)
{
	ctx.out.f = stdout;
	test_parse();
	test_mechanism();
	test_attach_places();
	test_attach_retry();
	test_attach_switch();
	test_tc_prio();
	test_detach();
	test_replace_move();
	test_tidy();
	test_print();
	test_query();
	return check_report("test_tcxctl");
}
