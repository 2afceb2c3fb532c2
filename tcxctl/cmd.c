// SPDX-License-Identifier: GPL-2.0
/* tcxctl attach | detach | replace | move */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "err.h"
#include "exit.h"
#include "nl.h"
#include "tcxctl.h"

#define MPROG_LIMIT 63	/* BPF_MPROG_MAX less the sentinel */

static bool is_tc_hook(int hook)
{
	return hook == HOOK_INGRESS || hook == HOOK_EGRESS;
}

/* Which mechanism this request uses: 1 tcx, 0 classic tc, or -exit code. */
static int pick_mode(struct nk_ctx *ctx, const struct tcx_req *r)
{
	bool tcx = tcx_supported();

	if (r->mode == MODE_TC)
		return 0;
	if (tcx)
		return 1;
	if (!is_tc_hook(r->hook))
		return -nk_unsupp(ctx, "netkit hooks are not supported by this kernel (they need Linux 6.7)");
	if (r->mode == MODE_TCX)
		return -nk_unsupp(ctx, "tcx is not supported by this kernel (it needs Linux 6.6); use mode tc or auto");
	if (r->has_revision)
		return -nk_unsupp(ctx, "revisions need tcx, which this kernel lacks (Linux 6.6)");
	if (r->pin)
		return -nk_unsupp(ctx, "pins need tcx links, which this kernel lacks (Linux 6.6)");
	return 0;
}

static int stale(struct nk_ctx *ctx, const struct hook_target *t, uint64_t rev)
{
	struct hook_state st;

	if (hook_query(t, &st) == 0)
		nk_msg(ctx, "%s %s changed since revision %" PRIu64 " (it is at revision %" PRIu64 " now); nothing was changed",
		       t->dev, hook_names[t->hook], rev, st.revision);
	else
		nk_msg(ctx, "%s %s changed since revision %" PRIu64 "; nothing was changed",
		       t->dev, hook_names[t->hook], rev);
	return NK_EXIT_FAIL;
}

static int check_revision(struct nk_ctx *ctx, const struct tcx_req *r, const struct hook_target *t,
			  const struct hook_state *st)
{
	if (r->has_revision && st->revision != r->revision)
		return stale(ctx, t, r->revision);
	return 0;
}

/* The kernel's answer to an attach, in words. */
static int attach_error(struct nk_ctx *ctx, int err, const struct hook_target *t,
			const struct hook_state *st, const struct loaded_prog *p, uint64_t rev)
{
	switch (-err) {
	case ESTALE:
		return stale(ctx, t, rev);
	case EEXIST:
		nk_msg(ctx, "program %s (id %u) is already attached to %s %s: a program can be on a hook only once",
		       p->name, p->id, t->dev, hook_names[t->hook]);
		return NK_EXIT_FAIL;
	case ERANGE:
		if (st->count >= MPROG_LIMIT) {
			nk_msg(ctx, "%s %s is full: it holds %d programs, the kernel's limit",
			       t->dev, hook_names[t->hook], MPROG_LIMIT);
			return NK_EXIT_FAIL;
		}
		break;
	case ENOENT:
		nk_msg(ctx, "the anchor is no longer attached to %s %s", t->dev, hook_names[t->hook]);
		return NK_EXIT_NONE;
	}
	return nk_fail(ctx, NULL, err, "cannot attach %s to %s %s", p->name, t->dev, hook_names[t->hook]);
}

/* Flags and relative object for a position, anchored on an entry of st. */
struct placement {
	uint32_t flags, relative_id;
};

static int place(struct nk_ctx *ctx, enum pos_kind pos, const struct ref *anchor,
		 const struct hook_target *t, const struct hook_state *st, int skip,
		 struct placement *pl)
{
	const struct hook_entry *e;
	int idx;

	memset(pl, 0, sizeof(*pl));
	switch (pos) {
	case POS_FIRST:
		pl->flags = BPF_F_BEFORE;
		return 0;
	case POS_LAST:
		pl->flags = BPF_F_AFTER;
		return 0;
	case POS_NONE:
		return 0;
	default:
		break;
	}
	idx = ref_find(ctx, anchor, t, st);
	if (idx < 0)
		return -idx;
	if (idx == skip)
		return nk_usage(ctx, "a program cannot be placed relative to itself");
	e = &st->e[idx];
	pl->flags = (pos == POS_BEFORE ? BPF_F_BEFORE : BPF_F_AFTER) | BPF_F_ID;
	if (e->link_id) {
		pl->flags |= BPF_F_LINK;
		pl->relative_id = e->link_id;
	} else {
		pl->relative_id = e->prog_id;
	}
	return 0;
}

static int link_create(const struct hook_target *t, int prog_fd, const struct placement *pl,
		       uint64_t expected_revision)
{
	LIBBPF_OPTS(bpf_link_create_opts, o, .flags = pl->flags);
	int fd;

	if (t->hook == HOOK_PRIMARY || t->hook == HOOK_PEER) {
		o.netkit.relative_id = pl->relative_id;
		o.netkit.expected_revision = expected_revision;
	} else {
		o.tcx.relative_id = pl->relative_id;
		o.tcx.expected_revision = expected_revision;
	}
	fd = bpf_link_create(prog_fd, t->ifindex, t->type, &o);
	return fd < 0 ? -errno : fd;
}

static uint32_t link_id_of(int fd)
{
	struct bpf_link_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_link_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/* Remove our classic tc filters on this hook: all, or those of one program name. */
static int tc_remove_ours(struct nk_ctx *ctx, const struct hook_target *t, const char *name,
			  uint32_t prog_id, int *removed)
{
	struct nl *nl = nk_rtnl(ctx);
	struct tc_list l;
	int err;

	*removed = 0;
	if (!nl)
		return -EIO;
	err = tc_list(nl, t->ifindex, t->hook == HOOK_INGRESS, &l);
	for (int i = 0; !err && i < l.count; i++) {
		if (!l.f[i].ours)
			continue;
		if ((name && strcmp(l.f[i].name, name)) || (prog_id && l.f[i].prog_id != prog_id))
			continue;
		err = tc_detach(nl, t->ifindex, t->hook == HOOK_INGRESS, l.f[i].prio, l.f[i].handle);
		if (!err)
			(*removed)++;
	}
	return err;
}

static void warn_shadowing(struct nk_ctx *ctx, const struct hook_target *t)
{
	struct nl *nl = nk_rtnl(ctx);
	struct hook_state st;
	struct tc_list l;

	if (!nl || !is_tc_hook(t->hook) || !tcx_supported() || hook_query(t, &st) || !st.count)
		return;
	if (tc_list(nl, t->ifindex, t->hook == HOOK_INGRESS, &l) || !l.count)
		return;
	nk_msg(ctx, "warning: %s %s has both tcx programs and classic tc filters: a tcx program that returns anything but NEXT hides every classic tc filter",
	       t->dev, hook_names[t->hook]);
}

/* Detach one entry of the chain: links by BPF_LINK_DETACH (and our pin),
 * others by BPF_PROG_DETACH with the revision they were seen at. */
static int detach_entry(struct nk_ctx *ctx, const struct hook_target *t, const struct hook_entry *e,
			uint64_t revision)
{
	int fd, err = 0;

	if (e->link_id) {
		fd = bpf_link_get_fd_by_id(e->link_id);
		if (fd < 0)
			return nk_fail(ctx, NULL, -errno, "cannot open link %u", e->link_id);
		if (bpf_link_detach(fd))
			err = -errno;
		close(fd);
		if (!err)
			pin_remove(t, e->link_id);
	} else {
		LIBBPF_OPTS(bpf_prog_detach_opts, o, .expected_revision = revision);

		fd = bpf_prog_get_fd_by_id(e->prog_id);
		if (fd < 0)
			return nk_fail(ctx, NULL, -errno, "cannot open program %u", e->prog_id);
		if (bpf_prog_detach_opts(fd, t->ifindex, t->type, &o))
			err = -errno;
		close(fd);
	}
	if (err == -ESTALE)
		return stale(ctx, t, revision);
	if (err)
		return nk_fail(ctx, NULL, err, "cannot detach %s (prog %u) from %s %s", e->name,
			       e->prog_id, t->dev, hook_names[t->hook]);
	return 0;
}

static void print_attached(struct nk_ctx *ctx, const struct hook_target *t, const char *kind,
			   const struct loaded_prog *p, uint32_t link_id, const char *pin)
{
	struct out *o = &ctx->out;

	if (!ctx->json)
		return;
	out_open(o, NULL);
	out_str(o, "devname", NULL, t->dev);
	out_uint(o, "ifindex", NULL, t->ifindex);
	out_str(o, "kind", NULL, kind);
	out_str(o, "name", NULL, p->name);
	out_uint(o, "prog_id", NULL, p->id);
	if (link_id)
		out_uint(o, "link_id", NULL, link_id);
	else
		out_null(o, "link_id", NULL);
	if (pin && *pin)
		out_str(o, "pin", NULL, pin);
	out_close(o);
}

/* Classic tc: the priority that puts the new filter where asked. Filters
 * run by priority; we leave gaps of TC_PRIO_GAP, and before/after take the
 * middle of the gap next to the anchor. */
#define TC_PRIO_GAP 256
#define TC_PRIO_MAX 0xffff

static int tc_prio(struct nk_ctx *ctx, const struct tcx_req *r, const struct tc_list *l,
		   uint32_t *prio)
{
	uint32_t lo = TC_PRIO_MAX + 1, hi = 0, below = 0, above = TC_PRIO_MAX + 1, anchor = 0;

	for (int i = 0; i < l->count; i++) {
		lo = l->f[i].prio < lo ? l->f[i].prio : lo;
		hi = l->f[i].prio > hi ? l->f[i].prio : hi;
	}
	switch (r->pos) {
	case POS_FIRST:
		*prio = !l->count ? 0x8000 : lo > TC_PRIO_GAP ? lo - TC_PRIO_GAP : lo / 2;
		break;
	case POS_NONE:
	case POS_LAST:
		*prio = !l->count ? 0x8000 : hi + TC_PRIO_GAP <= TC_PRIO_MAX ? hi + TC_PRIO_GAP :
			(hi + TC_PRIO_MAX + 1) / 2;
		if (*prio == hi)
			*prio = 0;
		break;
	default:
		for (int i = 0; i < l->count; i++) {
			const struct tc_filter *f = &l->f[i];

			if (r->anchor.kind == REF_ID ? f->prog_id == r->anchor.id :
			    r->anchor.kind == REF_NAME ? !strcmp(f->name, r->anchor.str) : false)
				anchor = f->prio;
		}
		if (!anchor) {
			nk_msg(ctx, "the anchor is not a classic tc filter on %s (classic tc takes id or name)",
			       r->dev);
			return NK_EXIT_NONE;
		}
		for (int i = 0; i < l->count; i++) {
			uint32_t p = l->f[i].prio;

			if (p < anchor && p > below)
				below = p;
			if (p > anchor && p < above)
				above = p;
		}
		*prio = r->pos == POS_BEFORE ? (below + anchor) / 2 : (anchor + above) / 2;
		if (*prio == below || *prio == anchor || *prio > TC_PRIO_MAX)
			*prio = 0;
	}
	if (!*prio)
		return nk_fail(ctx, NULL, 0, "no classic tc priority is free at that position on %s",
			       r->dev);
	return 0;
}

static int attach_tc(struct nk_ctx *ctx, const struct tcx_req *r, const struct hook_target *t,
		     const struct loaded_prog *p)
{
	struct nl *nl = nk_rtnl(ctx);
	struct hook_state st;
	struct tc_list l;
	uint32_t prio = 0;
	int err, ret;

	if (!nl)
		return NK_EXIT_FAIL;
	err = tc_list(nl, t->ifindex, t->hook == HOOK_INGRESS, &l);
	if (err)
		return nk_fail(ctx, nl, err, "cannot list the tc filters of %s", t->dev);
	if ((ret = tc_prio(ctx, r, &l, &prio)))
		return ret;
	err = tc_attach(nl, t->ifindex, t->hook == HOOK_INGRESS, p->fd, p->name, prio);
	if (err)
		return nk_fail(ctx, nl, err, "cannot add a tc filter for %s on %s %s", p->name,
			       t->dev, hook_names[t->hook]);
	/* downgrade: only now remove our tcx link of the same program */
	if (tcx_supported() && hook_query(t, &st) == 0) {
		for (uint32_t i = 0; i < st.count; i++)
			if (st.e[i].pin[0] && !strcmp(st.e[i].name, p->name))
				detach_entry(ctx, t, &st.e[i], 0);
	}
	print_attached(ctx, t, t->hook == HOOK_INGRESS ? "tc/ingress" : "tc/egress", p, 0, NULL);
	warn_shadowing(ctx, t);
	return 0;
}

int tcx_cmd_attach(struct nk_ctx *ctx, struct nk_args *a)
{
	struct loaded_prog p = { .fd = -1 };
	struct hook_target t;
	struct hook_state st;
	struct placement pl;
	char pin[PATH_MAX];
	struct tcx_req r;
	int ret, fd, err, removed, use_tcx;
	uint32_t link_id;

	if ((ret = tcx_parse(ctx, CMD_ATTACH, a, &r)))
		return ret;
	if ((ret = hook_resolve(ctx, r.dev, r.hook, &t)))
		return ret;
	use_tcx = pick_mode(ctx, &r);
	if (use_tcx < 0)
		return -use_tcx;
	if ((ret = prog_load(ctx, &r.prog, &p)))
		goto out;
	if (!use_tcx) {
		ret = attach_tc(ctx, &r, &t, &p);
		goto out;
	}
	if ((ret = bpffs_ensure(ctx)))
		goto out;
	err = hook_query(&t, &st);
	if (err) {
		ret = nk_fail(ctx, NULL, err, "cannot query %s %s", t.dev, hook_names[t.hook]);
		goto out;
	}
	if ((ret = check_revision(ctx, &r, &t, &st)) ||
	    (ret = place(ctx, r.pos, &r.anchor, &t, &st, -1, &pl)))
		goto out;
	fd = link_create(&t, p.fd, &pl, r.has_revision ? r.revision : 0);
	if (fd < 0) {
		ret = attach_error(ctx, fd, &t, &st, &p, r.revision);
		goto out;
	}
	link_id = link_id_of(fd);
	err = pin_link(&t, fd, link_id, p.name, r.pin, pin, sizeof(pin));
	close(fd);	/* with no pin, this detaches it again */
	if (err) {
		ret = nk_fail(ctx, NULL, err, "cannot pin the link at %s; nothing was attached",
			      r.pin ? r.pin : "its default place");
		goto out;
	}
	/* upgrade: only now remove our classic tc filter of the same program */
	if (is_tc_hook(t.hook))
		tc_remove_ours(ctx, &t, p.name, 0, &removed);
	print_attached(ctx, &t, hook_kind(t.hook), &p, link_id, pin);
	warn_shadowing(ctx, &t);
out:
	prog_close(&p);
	return ret;
}

static void sweep_cb(const char *pin, uint32_t link_id, void *data)
{
	struct nk_ctx *ctx = data;

	nk_msg(ctx, "removed the pin of defunct link %u (its device is gone): %s", link_id, pin);
}

int tcx_cmd_detach(struct nk_ctx *ctx, struct nk_args *a)
{
	struct hook_target t;
	struct hook_state st;
	struct tcx_req r;
	int ret, err, removed = 0, idx;

	if ((ret = tcx_parse(ctx, CMD_DETACH, a, &r)))
		return ret;
	ret = hook_resolve(ctx, r.dev, r.hook, &t);
	if (ret == NK_EXIT_NONE && pin_sweep_defunct(true, sweep_cb, ctx) > 0)
		return NK_EXIT_OK;
	if (ret)
		return ret;
	/* classic tc filters of ours, named by id or name, or all */
	if (is_tc_hook(t.hook) && (r.ref.kind == REF_ALL || r.ref.kind == REF_ID ||
				   r.ref.kind == REF_NAME)) {
		err = tc_remove_ours(ctx, &t, r.ref.kind == REF_NAME ? r.ref.str : NULL,
				     r.ref.kind == REF_ID ? r.ref.id : 0, &removed);
		if (err)
			return nk_fail(ctx, nk_rtnl(ctx), err, "cannot remove tc filters from %s", t.dev);
		if (removed && r.ref.kind != REF_ALL)
			return NK_EXIT_OK;
	}
	if (!tcx_supported()) {
		if (removed || r.ref.kind == REF_ALL)
			return NK_EXIT_OK;
		nk_msg(ctx, "no classic tc filter of ours matches on %s %s", t.dev, hook_names[t.hook]);
		return NK_EXIT_NONE;
	}
	err = hook_query(&t, &st);
	if (err)
		return nk_fail(ctx, NULL, err, "cannot query %s %s", t.dev, hook_names[t.hook]);
	if ((ret = check_revision(ctx, &r, &t, &st)))
		return ret;
	if (r.ref.kind == REF_ALL) {
		for (uint32_t i = st.count; i-- > 0;) {
			if ((ret = detach_entry(ctx, &t, &st.e[i], st.revision + (st.count - 1 - i))))
				return ret;
		}
		pin_sweep_defunct(true, sweep_cb, ctx);
		return NK_EXIT_OK;
	}
	idx = ref_find(ctx, &r.ref, &t, &st);
	if (idx < 0)
		return -idx;
	ret = detach_entry(ctx, &t, &st.e[idx], st.revision);
	pin_sweep_defunct(true, sweep_cb, ctx);
	return ret;
}

/* replace and move: parse, resolve the hook, read it, check the revision,
 * and find the entry REF names (its index in *idx). 0 or an exit code. */
static int find_target(struct nk_ctx *ctx, enum tcx_cmd cmd, struct nk_args *a,
		       struct tcx_req *r, struct hook_target *t, struct hook_state *st, int *idx)
{
	int ret, err;

	if ((ret = tcx_parse(ctx, cmd, a, r)))
		return ret;
	if ((ret = hook_resolve(ctx, r->dev, r->hook, t)))
		return ret;
	if (!tcx_supported())
		return nk_unsupp(ctx, "%s needs tcx (Linux 6.6)%s", cmd == CMD_MOVE ? "move" : "replace",
				 cmd == CMD_MOVE ? "" :
				 "; with classic tc, attach the new program and detach the old one");
	err = hook_query(t, st);
	if (err)
		return nk_fail(ctx, NULL, err, "cannot query %s %s", t->dev, hook_names[t->hook]);
	if ((ret = check_revision(ctx, r, t, st)))
		return ret;
	*idx = ref_find(ctx, &r->ref, t, st);
	return *idx < 0 ? -*idx : 0;
}

int tcx_cmd_replace(struct nk_ctx *ctx, struct nk_args *a)
{
	struct loaded_prog p = { .fd = -1 };
	const struct hook_entry *e;
	struct hook_target t;
	struct hook_state st;
	struct tcx_req r;
	int ret, err = 0, idx, fd, old;

	if ((ret = find_target(ctx, CMD_REPLACE, a, &r, &t, &st, &idx)))
		return ret;
	e = &st.e[idx];
	if ((ret = prog_load(ctx, &r.prog, &p)))
		goto out;
	old = bpf_prog_get_fd_by_id(e->prog_id);
	if (old < 0) {
		ret = nk_fail(ctx, NULL, -errno, "cannot open program %u", e->prog_id);
		goto out;
	}
	if (e->link_id) {
		LIBBPF_OPTS(bpf_link_update_opts, o, .flags = BPF_F_REPLACE, .old_prog_fd = old);

		fd = bpf_link_get_fd_by_id(e->link_id);
		if (fd < 0 || bpf_link_update(fd, p.fd, &o))
			err = -errno;
		if (fd >= 0)
			close(fd);
		if (!err && e->pin[0]) {
			/* keep the pin's name telling which program is attached */
			char dir[PATH_MAX], newpath[PATH_MAX + 64], cur[PATH_MAX];

			if (pin_dir(&t, dir, sizeof(dir), false) == 0 &&
			    !strncmp(e->pin, dir, strlen(dir))) {
				snprintf(cur, sizeof(cur), "%s", e->pin);
				snprintf(newpath, sizeof(newpath), "%s/link%u-%s", dir, e->link_id, p.name);
				rename(cur, newpath);
			}
		}
	} else {
		LIBBPF_OPTS(bpf_prog_attach_opts, o, .flags = BPF_F_REPLACE, .replace_prog_fd = old,
			    .expected_revision = st.revision);

		if (bpf_prog_attach_opts(p.fd, t.ifindex, t.type, &o))
			err = -errno;
	}
	close(old);
	if (err == -EEXIST)
		ret = attach_error(ctx, err, &t, &st, &p, st.revision);
	else if (err == -ESTALE)
		ret = stale(ctx, &t, st.revision);
	else if (err)
		ret = nk_fail(ctx, NULL, err, "cannot replace %s with %s on %s %s", e->name, p.name,
			      t.dev, hook_names[t.hook]);
out:
	prog_close(&p);
	return ret;
}

int tcx_cmd_move(struct nk_ctx *ctx, struct nk_args *a)
{
	char pin[PATH_MAX], dir[PATH_MAX], custom[PATH_MAX] = "";
	struct hook_entry e;
	struct hook_target t;
	struct hook_state st;
	struct placement pl, back;
	struct tcx_req r;
	int ret, err = 0, idx, prog_fd, fd;

	if ((ret = find_target(ctx, CMD_MOVE, a, &r, &t, &st, &idx)))
		return ret;
	e = st.e[idx];
	if ((ret = place(ctx, r.pos, &r.anchor, &t, &st, idx, &pl)))
		return ret;
	/* the way back, should the new place be refused */
	memset(&back, 0, sizeof(back));
	if (idx == 0) {
		back.flags = BPF_F_BEFORE;
	} else {
		const struct hook_entry *prev = &st.e[idx - 1];

		back.flags = BPF_F_AFTER | BPF_F_ID | (prev->link_id ? BPF_F_LINK : 0);
		back.relative_id = prev->link_id ? prev->link_id : prev->prog_id;
	}
	if (pin_dir(&t, dir, sizeof(dir), false) == 0 && e.pin[0] && strncmp(e.pin, dir, strlen(dir)))
		snprintf(custom, sizeof(custom), "%s", e.pin);
	prog_fd = bpf_prog_get_fd_by_id(e.prog_id);
	if (prog_fd < 0)
		return nk_fail(ctx, NULL, -errno, "cannot open program %u", e.prog_id);
	/* The kernel has no atomic move: a program sits on a hook only once.
	 * Detach, then attach at the new place expecting exactly our own change
	 * in between; the program is missing from the chain for that window. */
	if ((ret = detach_entry(ctx, &t, &e, st.revision))) {
		close(prog_fd);
		return ret;
	}
	if (e.link_id) {
		fd = link_create(&t, prog_fd, &pl, st.revision + 1);
		if (fd < 0) {
			err = fd;
			fd = link_create(&t, prog_fd, &back, 0);
		}
		if (fd >= 0) {
			if (pin_link(&t, fd, link_id_of(fd), e.name, custom[0] ? custom : NULL,
				     pin, sizeof(pin)))
				nk_msg(ctx, "warning: cannot pin the moved link; it is attached only while this command runs");
			close(fd);
		}
	} else {
		LIBBPF_OPTS(bpf_prog_attach_opts, o, .flags = pl.flags, .relative_id = pl.relative_id,
			    .expected_revision = st.revision + 1);

		fd = 0;
		if (bpf_prog_attach_opts(prog_fd, t.ifindex, t.type, &o)) {
			LIBBPF_OPTS(bpf_prog_attach_opts, b, .flags = back.flags,
				    .relative_id = back.relative_id);

			err = -errno;
			if (bpf_prog_attach_opts(prog_fd, t.ifindex, t.type, &b))
				fd = -errno;
		}
	}
	close(prog_fd);
	if (fd < 0)
		return nk_fail(ctx, NULL, fd, "cannot move %s, and cannot put it back: it is detached",
			       e.name);
	if (err) {
		struct loaded_prog p = { .id = e.prog_id };

		snprintf(p.name, sizeof(p.name), "%s", e.name);
		attach_error(ctx, err, &t, &st, &p, st.revision + 1);
		nk_msg(ctx, "%s is back at its old place", e.name);
		return NK_EXIT_FAIL;
	}
	return NK_EXIT_OK;
}
