// SPDX-License-Identifier: GPL-2.0
/* A program to attach: loaded from an object file, or opened by pin or id. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "err.h"
#include "exit.h"
#include "tcx/prog.h"

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
	for (int i = 0; i < BPF_TAG_SIZE; i++)
		sprintf(p->tag + 2 * i, "%02x", info.tag[i]);
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
		return nk_fail(ctx, NULL, err, "cannot load \"%s\" from \"%s\" (NKTOOLS_DEBUG=1 shows the verifier log)",
			       bpf_program__name(pick), s->path);
	p->fd = bpf_program__fd(pick);
	return check_type(ctx, p, bpf_program__name(pick));
}


int prog_load(struct nk_ctx *ctx, const struct prog_spec *s, struct loaded_prog *p)
{
	uint32_t id, link;
	char what[300];

	memset(p, 0, sizeof(*p));
	p->fd = -1;
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
		if (tcx_pinned_ids(s->path, &id, &link) == 0 && link)
			return nk_usage(ctx, "%s is a pinned link, not a program", what);
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

/* What a pinned path holds, from its fd's fdinfo: a link's or a program's
 * id (BPF_OBJ_GET_INFO_BY_FD answers either kind into any buffer, so its
 * answer alone cannot tell them apart). -errno; -EINVAL for a map. */
int tcx_pinned_ids(const char *path, uint32_t *prog_id, uint32_t *link_id)
{
	char fdinfo[64], line[128];
	unsigned int id;
	int fd = bpf_obj_get(path), err = -EINVAL;
	FILE *f;

	if (fd < 0)
		return -errno;
	*prog_id = *link_id = 0;
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d", fd);
	f = fopen(fdinfo, "re");
	while (f && err && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "link_id: %u", &id) == 1) {
			*link_id = id;
			err = 0;
		} else if (sscanf(line, "prog_id: %u", &id) == 1) {
			*prog_id = id;	/* a link's fdinfo has it too, after link_id */
			err = 0;
		}
	}
	if (f)
		fclose(f);
	close(fd);
	return err;
}
