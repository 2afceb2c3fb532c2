// SPDX-License-Identifier: GPL-2.0
/* The applier: a plan's operations, in order, as system calls; the
 * kernel's refusals in words. The first failing operation stops the plan;
 * a failing clean-up of the other mechanism is a warning (exit 4). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "err.h"
#include "exit.h"
#include "nl.h"
#include "tcx/tcx.h"

#define DEV_HOOK(s) (s)->t.dev, hook_names[(s)->t.hook]

static int stale(struct nk_ctx *ctx, struct hook_snap *s, uint64_t rev)
{
	struct hook_state now;

	if (hook_query(&s->t, &now) == 0)
		nk_msg(ctx, "%s %s changed since revision %" PRIu64 " (it is at revision %" PRIu64 " now); nothing was changed",
		       DEV_HOOK(s), rev, now.revision);
	else
		nk_msg(ctx, "%s %s changed since revision %" PRIu64 "; nothing was changed",
		       DEV_HOOK(s), rev);
	return NK_EXIT_FAIL;
}

/* The kernel's answer to an attach, in words. */
static int attach_error(struct nk_ctx *ctx, int err, struct hook_snap *s, const char *name,
			uint64_t rev)
{
	switch (-err) {
	case ESTALE:
		return stale(ctx, s, rev);
	case EEXIST:
		nk_msg(ctx, "program %s is already attached to %s %s: a program can be on a hook only once",
		       name, DEV_HOOK(s));
		return NK_EXIT_FAIL;
	case ERANGE:
		nk_msg(ctx, "%s %s is full: it holds %d programs, the kernel's limit", DEV_HOOK(s),
		       MPROG_LIMIT);
		return NK_EXIT_FAIL;
	case ENOENT:
		nk_msg(ctx, "the anchor is no longer attached to %s %s", DEV_HOOK(s));
		return NK_EXIT_NONE;
	}
	return nk_fail(ctx, NULL, err, "cannot attach %s to %s %s", name, DEV_HOOK(s));
}

static int link_create(const struct hook_target *t, int prog_fd, uint32_t flags, uint32_t relative,
		       uint64_t revision)
{
	LIBBPF_OPTS(bpf_link_create_opts, o, .flags = flags);
	int fd;

	if (t->hook == HOOK_PRIMARY || t->hook == HOOK_PEER) {
		o.netkit.relative_id = relative;
		o.netkit.expected_revision = revision;
	} else {
		o.tcx.relative_id = relative;
		o.tcx.expected_revision = revision;
	}
	fd = bpf_link_create(prog_fd, t->ifindex, t->type, &o);
	return fd < 0 ? -errno : fd;
}

static int prog_attach(const struct hook_target *t, int prog_fd, uint32_t flags, uint32_t relative,
		       uint64_t revision)
{
	LIBBPF_OPTS(bpf_prog_attach_opts, o, .flags = flags, .relative_id = relative,
		    .expected_revision = revision);

	return bpf_prog_attach_opts(prog_fd, t->ifindex, t->type, &o) ? -errno : 0;
}

static uint32_t link_id_of(int fd)
{
	struct bpf_link_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_link_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/* OP_LINK_CREATE and OP_PROG_ATTACH: the program at the op's place, or
 * back at the old one. */
static int attach(struct nk_ctx *ctx, struct hook_snap *s, struct op *op, int prog_fd,
		  const char *name)
{
	bool link = op->kind == OP_LINK_CREATE;
	int fd = -1, err, back = 0, ret = 0;

	if (link && (ret = bpffs_ensure(ctx)))
		goto out;
	err = link ? (fd = link_create(&s->t, prog_fd, op->flags, op->relative_id, op->revision)) :
	      prog_attach(&s->t, prog_fd, op->flags, op->relative_id, op->revision);
	if (err < 0 && op->has_back) {
		back = err;
		err = link ? (fd = link_create(&s->t, prog_fd, op->back_flags, op->back_relative, 0)) :
		      prog_attach(&s->t, prog_fd, op->back_flags, op->back_relative, 0);
		if (err < 0) {
			ret = nk_fail(ctx, NULL, err, "cannot move %s, and cannot put it back: it is detached",
				      name);
			goto out;
		}
	} else if (err < 0) {
		ret = attach_error(ctx, err, s, name, op->revision);
		goto out;
	}
	if (link) {
		op->link_id = link_id_of(fd);
		err = pin_link(&s->t, fd, op->link_id, name, op->pin[0] ? op->pin : NULL,
			       op->made_pin, sizeof(op->made_pin));
		if (err) {
			/* closing the unpinned link's last fd detaches it again */
			ret = nk_fail(ctx, NULL, err, "cannot pin the link at %s; %s",
				      op->pin[0] ? op->pin : "its default place",
				      op->entry < 0 ? "nothing was attached" : "the program is detached");
			goto out;
		}
	}
	if (back) {
		attach_error(ctx, back, s, name, op->revision);
		nk_msg(ctx, "%s is back at its old place", name);
		ret = NK_EXIT_FAIL;
	}
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

static int detach(struct nk_ctx *ctx, struct hook_snap *s, const struct op *op)
{
	const struct hook_entry *e = &s->st.e[op->entry];
	int fd, err = 0;

	if (op->kind == OP_LINK_DETACH) {
		fd = bpf_link_get_fd_by_id(e->link_id);
		if (fd < 0)
			return nk_fail(ctx, NULL, -errno, "cannot open link %u", e->link_id);
		if (bpf_link_detach(fd))
			err = -errno;
		close(fd);
		if (!err)
			pin_remove(e->entry);
	} else {
		LIBBPF_OPTS(bpf_prog_detach_opts, o, .expected_revision = op->revision);

		fd = bpf_prog_get_fd_by_id(e->prog_id);
		if (fd < 0)
			return nk_fail(ctx, NULL, -errno, "cannot open program %u", e->prog_id);
		if (bpf_prog_detach_opts(fd, s->t.ifindex, s->t.type, &o))
			err = -errno;
		close(fd);
	}
	if (err == -ESTALE)
		return stale(ctx, s, op->revision);
	if (err)
		return nk_fail(ctx, NULL, err, "cannot detach %s (prog %u) from %s %s", e->name,
			       e->prog_id, DEV_HOOK(s));
	return 0;
}

static int replace(struct nk_ctx *ctx, struct hook_snap *s, const struct op *op, int prog_fd,
		   const char *name)
{
	const struct hook_entry *e = &s->st.e[op->entry];
	int old = bpf_prog_get_fd_by_id(e->prog_id), fd, err = 0;

	if (old < 0)
		return nk_fail(ctx, NULL, -errno, "cannot open program %u", e->prog_id);
	if (op->kind == OP_LINK_UPDATE) {
		LIBBPF_OPTS(bpf_link_update_opts, o, .flags = BPF_F_REPLACE, .old_prog_fd = old);

		fd = bpf_link_get_fd_by_id(e->link_id);
		if (fd < 0 || bpf_link_update(fd, prog_fd, &o))
			err = -errno;
		if (fd >= 0)
			close(fd);
		if (!err && op->pin[0])
			rename(e->entry, op->pin);
	} else {
		LIBBPF_OPTS(bpf_prog_attach_opts, o, .flags = BPF_F_REPLACE, .replace_prog_fd = old,
			    .expected_revision = op->revision);

		if (bpf_prog_attach_opts(prog_fd, s->t.ifindex, s->t.type, &o))
			err = -errno;
	}
	close(old);
	if (err == -EEXIST || err == -ESTALE)
		return attach_error(ctx, err, s, name, op->revision);
	if (err)
		return nk_fail(ctx, NULL, err, "cannot replace %s with %s on %s %s", e->name, name,
			       DEV_HOOK(s));
	return 0;
}

/* A moved entry into this hook's directory, and the snapshot with it */
static int pin_moved(struct hook_snap *s, struct op *op)
{
	struct hook_entry *e = &s->st.e[op->entry];
	char path[PIN_MAX];
	bool shown = !strcmp(e->pin, e->entry);
	int err = pin_move(&s->t, e->entry, path, sizeof(path));

	if (err)
		return err;
	memcpy(e->entry, path, sizeof(path));
	if (shown)
		memcpy(e->pin, path, sizeof(path));
	e->moved = false;
	return 0;
}

static int run(struct nk_ctx *ctx, struct hook_snap *s, struct op *op, int prog_fd,
	       const char *name)
{
	struct nl *nl;
	bool ingress = s->t.hook == HOOK_INGRESS;
	int err;

	switch (op->kind) {
	case OP_LINK_CREATE:
	case OP_PROG_ATTACH:
		return attach(ctx, s, op, prog_fd, name);
	case OP_LINK_DETACH:
	case OP_PROG_DETACH:
		return detach(ctx, s, op);
	case OP_LINK_UPDATE:
	case OP_PROG_REPLACE:
		return replace(ctx, s, op, prog_fd, name);
	default:
		break;
	}
	if (op->kind == OP_PIN_MOVE)
		return pin_moved(s, op);
	nl = nk_rtnl(ctx);
	if (!nl)
		return NK_EXIT_FAIL;
	switch (op->kind) {
	case OP_UNMARK:
		tc_clsact_unmark(nl, s->t.ifindex);
		return 0;
	case OP_TC_ADD:
		err = tc_attach(nl, s->t.ifindex, ingress, prog_fd, name, op->prio);
		return err ? nk_fail(ctx, nl, err, "cannot add a tc filter for %s on %s %s", name,
				     DEV_HOOK(s)) : 0;
	case OP_TC_DEL:
		err = tc_detach(nl, s->t.ifindex, ingress, s->tc.f[op->entry].prio,
				s->tc.f[op->entry].handle);
		return err ? nk_fail(ctx, nl, err, "cannot remove the tc filter %s from %s %s",
				     s->tc.f[op->entry].name, DEV_HOOK(s)) : 0;
	case OP_CLSACT_DEL:
		err = tc_del_clsact(nl, s->t.ifindex);
		return err && err != -ENOENT && err != -EINVAL ?
		       nk_fail(ctx, nl, err, "cannot remove the clsact qdisc of %s", s->t.dev) : 0;
	default:
		return nk_fail(ctx, NULL, -EINVAL, "unknown operation %d", op->kind);
	}
}

/* The ops in order: the first failure stops; a failed clean-up is a warning. */
static int run_all(struct nk_ctx *ctx, struct hook_snap *s, struct plan *p, int prog_fd,
		   const char *prog_name, bool *partial, char *buf, size_t len)
{
	int ret;

	for (int i = 0; i < p->n; i++) {
		struct op *op = &p->op[i];

		ret = run(ctx, s, op, prog_fd, prog_name);
		if (op->kind == OP_UNMARK || op->kind == OP_PIN_MOVE) {
			op->done = !ret;	/* housekeeping: a failure changes nothing */
			continue;
		}
		if (ret && op->cleanup) {
			nk_msg(ctx, "warning: %s stays on %s %s", op_str(s, op, buf, len), DEV_HOOK(s));
			*partial = true;
			continue;
		}
		if (ret)
			return ret;
		op->done = true;
		if (op->report)
			nk_msg(ctx, "detached %s from %s %s", op_str(s, op, buf, len), DEV_HOOK(s));
	}
	return 0;
}

/* A move attaches an entry's own program again: it is opened before its
 * detach, which may drop the kernel's last reference to it. */
static int own_program(struct nk_ctx *ctx, struct hook_snap *s, const struct plan *p,
		       int *fd, const char **name)
{
	for (int i = 0; i < p->n; i++) {
		const struct op *op = &p->op[i];
		const struct hook_entry *e;

		if ((op->kind != OP_LINK_CREATE && op->kind != OP_PROG_ATTACH) || op->entry < 0)
			continue;
		e = &s->st.e[op->entry];
		*fd = bpf_prog_get_fd_by_id(e->prog_id);
		if (*fd < 0)
			return nk_fail(ctx, NULL, -errno, "cannot open program %u", e->prog_id);
		*name = e->name;
		return 0;
	}
	return 0;
}

int apply(struct nk_ctx *ctx, struct hook_snap *s, struct plan *p, int prog_fd,
	  const char *prog_name)
{
	bool partial = false;
	char buf[400];
	int ret, own = -1;

	if ((ret = own_program(ctx, s, p, &own, &prog_name)))
		return ret;
	if (own >= 0)
		prog_fd = own;
	ret = run_all(ctx, s, p, prog_fd, prog_name, &partial, buf, sizeof(buf));
	if (own >= 0)
		close(own);
	return ret ? ret : partial ? NK_EXIT_PARTIAL : NK_EXIT_OK;
}

const char *op_str(const struct hook_snap *s, const struct op *op, char *buf, size_t len)
{
	const struct hook_entry *e;

	switch (op->kind) {
	case OP_TC_ADD:
		snprintf(buf, len, "a classic tc filter at prio %u", op->prio);
		break;
	case OP_TC_DEL:
		snprintf(buf, len, "classic tc filter %s (prog %u, prio %u)", s->tc.f[op->entry].name,
			 s->tc.f[op->entry].prog_id, s->tc.f[op->entry].prio);
		break;
	case OP_CLSACT_DEL:
		snprintf(buf, len, "the clsact qdisc tcxctl added");
		break;
	default:
		if (op->entry < 0) {
			snprintf(buf, len, "the new program");
			break;
		}
		e = &s->st.e[op->entry];
		if (e->link_id)
			snprintf(buf, len, "%s (prog %u, link %u%s)", e->name, e->prog_id, e->link_id,
				 e->entry[0] ? "" : ", not attached by tcxctl");
		else
			snprintf(buf, len, "%s (prog %u, no link, not attached by tcxctl)", e->name,
				 e->prog_id);
	}
	return buf;
}
