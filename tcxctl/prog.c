// SPDX-License-Identifier: GPL-2.0
/* PROG: load or open a program; REF: find an entry on a hook. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "err.h"
#include "exit.h"
#include "tcxctl.h"

static int silent_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN && getenv("TCXCTL_DEBUG") ? vfprintf(stderr, fmt, ap) : 0;
}

static int check_type(struct nk_ctx *ctx, struct loaded_prog *p, const char *what)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_prog_get_info_by_fd(p->fd, &info, &len))
		return nk_fail(ctx, NULL, -errno, "cannot read %s", what);
	if (info.type != BPF_PROG_TYPE_SCHED_CLS)
		return nk_usage(ctx, "%s is a %s program; tcx, netkit and tc take sched_cls (SEC(\"tc\"))",
				what, libbpf_bpf_prog_type_str(info.type) ?: "unknown");
	p->id = info.id;
	snprintf(p->name, sizeof(p->name), "%s", info.name);
	return 0;
}

static int load_object(struct nk_ctx *ctx, const struct prog_spec *s, struct loaded_prog *p)
{
	struct bpf_program *prog, *pick = NULL;
	int n = 0, err;

	p->obj = bpf_object__open_file(s->path, NULL);
	if (!p->obj) {
		err = -errno;
		p->obj = NULL;
		if (err == -ENOENT) {
			nk_msg(ctx, "no such object file \"%s\"", s->path);
			return NK_EXIT_NONE;
		}
		if (err == -LIBBPF_ERRNO__LIBELF || err == -LIBBPF_ERRNO__FORMAT || err == -EISDIR)
			return nk_fail(ctx, NULL, 0, "\"%s\" is not a BPF object file (%s)", s->path,
				       nk_strerror(err));
		return nk_fail(ctx, NULL, err, "cannot open object \"%s\"", s->path);
	}
	bpf_object__for_each_program(prog, p->obj) {
		bool match = s->section ? !strcmp(bpf_program__section_name(prog), s->section) :
			     s->name ? !strcmp(bpf_program__name(prog), s->name) : true;

		if (match && !pick)
			pick = prog;
		n += match;
	}
	if (!pick) {
		nk_msg(ctx, "object \"%s\" has no program %s \"%s\"", s->path,
		       s->section ? "in section" : "named", s->section ? s->section : s->name);
		return NK_EXIT_NONE;
	}
	if (n > 1 && !s->name)
		return nk_usage(ctx, "object \"%s\" has %d programs%s: pick one with \"program NAME\"",
				s->path, n, s->section ? " in that section" : "");
	bpf_object__for_each_program(prog, p->obj)
		bpf_program__set_autoload(prog, prog == pick);
	if (bpf_program__type(pick) != BPF_PROG_TYPE_SCHED_CLS)
		return nk_usage(ctx, "program \"%s\" is a %s program; tcx, netkit and tc take sched_cls (SEC(\"tc\"))",
				bpf_program__name(pick),
				libbpf_bpf_prog_type_str(bpf_program__type(pick)) ?: "unknown");
	err = bpf_object__load(p->obj);
	if (err)
		return nk_fail(ctx, NULL, err, "cannot load \"%s\" from \"%s\" (TCXCTL_DEBUG=1 shows the verifier log)",
			       bpf_program__name(pick), s->path);
	p->fd = bpf_program__fd(pick);
	return check_type(ctx, p, bpf_program__name(pick));
}

int prog_load(struct nk_ctx *ctx, const struct prog_spec *s, struct loaded_prog *p)
{
	char what[300];

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	libbpf_set_print(silent_print);
	switch (s->kind) {
	case PROG_OBJECT:
		return load_object(ctx, s, p);
	case PROG_PINNED:
		p->fd = bpf_obj_get(s->path);
		if (p->fd < 0) {
			if (errno == ENOENT) {
				nk_msg(ctx, "nothing is pinned at \"%s\"", s->path);
				return NK_EXIT_NONE;
			}
			return nk_fail(ctx, NULL, -errno, "cannot open pinned program \"%s\"", s->path);
		}
		snprintf(what, sizeof(what), "\"%s\"", s->path);
		return check_type(ctx, p, what);
	case PROG_ID:
		p->fd = bpf_prog_get_fd_by_id(s->id);
		if (p->fd < 0) {
			if (errno == ENOENT) {
				nk_msg(ctx, "no program with id %u", s->id);
				return NK_EXIT_NONE;
			}
			return nk_fail(ctx, NULL, -errno, "cannot open program id %u", s->id);
		}
		snprintf(what, sizeof(what), "program id %u", s->id);
		return check_type(ctx, p, what);
	default:
		return NK_EXIT_USAGE;
	}
}

void prog_close(struct loaded_prog *p)
{
	if (p->obj)
		bpf_object__close(p->obj);
	else if (p->fd >= 0)
		close(p->fd);
	p->obj = NULL;
	p->fd = -1;
}

const char *ref_str(const struct ref *ref, char *buf, size_t len)
{
	switch (ref->kind) {
	case REF_ID: snprintf(buf, len, "id %u", ref->id); break;
	case REF_LINK: snprintf(buf, len, "link %u", ref->id); break;
	case REF_PINNED: snprintf(buf, len, "pinned %s", ref->str); break;
	case REF_NAME: snprintf(buf, len, "name %s", ref->str); break;
	default: snprintf(buf, len, "all"); break;
	}
	return buf;
}

/* What a pinned path holds: a link (its id) or a program (its id). */
static int pinned_ids(const char *path, uint32_t *prog_id, uint32_t *link_id)
{
	struct bpf_link_info li = { 0 };
	struct bpf_prog_info pi = { 0 };
	__u32 len;
	int fd = bpf_obj_get(path), err = 0;

	if (fd < 0)
		return -errno;
	*prog_id = *link_id = 0;
	len = sizeof(li);
	if (bpf_link_get_info_by_fd(fd, &li, &len) == 0) {
		*link_id = li.id;
	} else {
		len = sizeof(pi);
		if (bpf_prog_get_info_by_fd(fd, &pi, &len) == 0)
			*prog_id = pi.id;
		else
			err = -EINVAL;
	}
	close(fd);
	return err;
}

int ref_find(struct nk_ctx *ctx, const struct ref *ref, const struct hook_target *t,
	     const struct hook_state *st)
{
	uint32_t prog_id = 0, link_id = 0;
	char buf[300];
	int found = -1, err;

	switch (ref->kind) {
	case REF_ID:
		prog_id = ref->id;
		break;
	case REF_LINK:
		link_id = ref->id;
		break;
	case REF_PINNED:
		err = pinned_ids(ref->str, &prog_id, &link_id);
		if (err == -ENOENT) {
			nk_msg(ctx, "nothing is pinned at \"%s\"", ref->str);
			return -NK_EXIT_NONE;
		}
		if (err)
			return -nk_fail(ctx, NULL, err, "cannot open \"%s\"", ref->str);
		break;
	default:
		break;
	}
	for (uint32_t i = 0; i < st->count; i++) {
		const struct hook_entry *e = &st->e[i];
		bool match = ref->kind == REF_NAME ? !strcmp(e->name, ref->str) :
			     link_id ? e->link_id == link_id : e->prog_id == prog_id;

		if (!match)
			continue;
		if (found >= 0) {
			nk_usage(ctx, "\"%s\" matches more than one program on %s %s: use id or link",
				 ref_str(ref, buf, sizeof(buf)), t->dev, hook_names[t->hook]);
			return -NK_EXIT_USAGE;
		}
		found = i;
	}
	if (found < 0) {
		nk_msg(ctx, "%s is not attached to %s %s", ref_str(ref, buf, sizeof(buf)), t->dev,
		       hook_names[t->hook]);
		return -NK_EXIT_NONE;
	}
	return found;
}
