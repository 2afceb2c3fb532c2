/* SPDX-License-Identifier: GPL-2.0 */
/* A BPF program for tcx, netkit or tc: what names it, and the loaded or
 * opened program. */
#ifndef NK_TCX_PROG_H
#define NK_TCX_PROG_H

#include <stdint.h>
#include <bpf/bpf.h>
#include "ctx.h"

#define TAG_LEN (2 * BPF_TAG_SIZE + 1)

enum prog_kind { PROG_NONE, PROG_OBJECT, PROG_PINNED, PROG_ID };
struct prog_spec {
	enum prog_kind kind;
	const char *path;	/* object FILE or pinned PATH */
	const char *section;
	const char *name;
	uint32_t id;
};

struct loaded_prog {
	int fd;
	uint32_t id;
	char name[BPF_OBJ_NAME_LEN];
	char tag[TAG_LEN];
	struct bpf_object *obj;
};
/* Load or open it (sched_cls only); 0 or an exit code after saying why. */
int prog_load(struct nk_ctx *ctx, const struct prog_spec *s, struct loaded_prog *p);
void prog_close(struct loaded_prog *p);
/* What a pinned path holds: a link's or a program's id. -errno. */
int tcx_pinned_ids(const char *path, uint32_t *prog_id, uint32_t *link_id);

#endif
