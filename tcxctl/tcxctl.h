/* SPDX-License-Identifier: GPL-2.0 */
/* tcxctl: requests parsed into plain structs, and the pieces that act on them. */
#ifndef TCXCTL_H
#define TCXCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/bpf.h>
#include "args.h"
#include "ctx.h"

enum hook { HOOK_INGRESS, HOOK_EGRESS, HOOK_PRIMARY, HOOK_PEER, HOOK_COUNT };
extern const char *const hook_names[];		/* ingress egress primary peer */

enum prog_kind { PROG_NONE, PROG_OBJECT, PROG_PINNED, PROG_ID };
struct prog_spec {
	enum prog_kind kind;
	const char *path;	/* object FILE or pinned PATH */
	const char *section;
	const char *name;
	uint32_t id;
};

enum ref_kind { REF_NONE, REF_ID, REF_LINK, REF_PINNED, REF_NAME, REF_ALL };
struct ref {
	enum ref_kind kind;
	uint32_t id;
	const char *str;	/* pinned PATH or name */
};

enum pos_kind { POS_NONE, POS_FIRST, POS_LAST, POS_BEFORE, POS_AFTER };
enum mode { MODE_AUTO, MODE_TCX, MODE_TC };
extern const char *const mode_names[];		/* auto tcx tc */

struct tcx_req {
	const char *dev;
	int hook;		/* -1: not given */
	struct prog_spec prog;
	struct ref ref;		/* what detach/replace/move act on */
	enum pos_kind pos;
	struct ref anchor;	/* before/after REF */
	bool has_revision;
	uint64_t revision;
	const char *pin;
	enum mode mode;
	bool all_netns;
};

enum tcx_cmd { CMD_ATTACH, CMD_DETACH, CMD_REPLACE, CMD_MOVE, CMD_SHOW };
/* Parse the arguments of one command; 0 or NK_EXIT_USAGE. Pure. */
int tcx_parse(struct nk_ctx *ctx, enum tcx_cmd cmd, struct nk_args *a, struct tcx_req *r);

/* --- the hook: device, attach type, chain state ---------------------------- */
#define HOOK_MAX_PROGS 64

struct hook_target {
	char dev[IFNAMSIZ];
	int ifindex;
	int hook;
	enum bpf_attach_type type;
};

struct hook_entry {
	uint32_t prog_id, link_id;
	char name[BPF_OBJ_NAME_LEN];
	char tag[2 * BPF_TAG_SIZE + 1];
	char pin[256];		/* our pin of the link, "" if none */
};

struct hook_state {
	uint64_t revision;
	uint32_t count;
	struct hook_entry e[HOOK_MAX_PROGS];
};

/* A target from what is already known (no lookup). */
void hook_target_init(struct hook_target *t, const char *dev, int ifindex, int hook);
/* Resolve dev + hook; netkit hooks need the primary of a netkit pair. */
int hook_resolve(struct nk_ctx *ctx, const char *dev, int hook, struct hook_target *t);
/* The chain in execution order, with names, tags and our pins. -errno. */
int hook_query(const struct hook_target *t, struct hook_state *st);
/* Pure: the chain from a BPF_PROG_QUERY answer (arrays of len entries);
 * -ENOSPC if count does not fit. */
int hook_state_from_query(struct hook_state *st, uint64_t revision, uint32_t count,
			  const uint32_t *prog_ids, const uint32_t *link_ids, uint32_t len);
const char *hook_kind(int hook);	/* "tcx/ingress", "netkit/peer" */
bool tcx_supported(void);

/* --- programs and references ------------------------------------------------ */
struct loaded_prog {
	int fd;
	uint32_t id;
	char name[BPF_OBJ_NAME_LEN];
	struct bpf_object *obj;
};
int prog_load(struct nk_ctx *ctx, const struct prog_spec *s, struct loaded_prog *p);
void prog_close(struct loaded_prog *p);
/* Index of the entry that ref names in st; or an exit code (after saying why) as -code. */
int ref_find(struct nk_ctx *ctx, const struct ref *ref, const struct hook_target *t,
	     const struct hook_state *st);
const char *ref_str(const struct ref *ref, char *buf, size_t len);

/* --- pins in bpffs ------------------------------------------------------------ */
int bpffs_ensure(struct nk_ctx *ctx);
/* /sys/fs/bpf/nktools/NETNS_INODE/IFINDEX/HOOK */
int pin_dir(const struct hook_target *t, char *buf, size_t len, bool create);
/* Our pin for link_id on this hook ("" if none); follows a symlink to a
 * custom pin path. */
void pin_find(const struct hook_target *t, uint32_t link_id, char *buf, size_t len);
/* Remove our pin (and the custom pin it points to) for link_id. */
void pin_remove(const struct hook_target *t, uint32_t link_id);
/* Pin a new link; custom may be NULL. 0 or -errno. */
int pin_link(const struct hook_target *t, int link_fd, uint32_t link_id, const char *name,
	     const char *custom, char *out, size_t len);
/* Find (and with remove, unpin) our links in this namespace whose device is
 * gone; calls cb for each. Returns how many. */
int pin_sweep_defunct(bool remove, void (*cb)(const char *pin, uint32_t link_id, void *data),
		      void *data);

/* --- legacy tc (clsact + cls_bpf direct-action) ------------------------------- */
struct tc_filter {
	uint32_t prio, handle, prog_id;
	char name[256];
	char tag[2 * BPF_TAG_SIZE + 1];
	bool ours;
};
#define TC_MAX_FILTERS 128
struct tc_list {
	int count;
	struct tc_filter f[TC_MAX_FILTERS];
};
struct nl;
int tc_list(struct nl *nl, int ifindex, bool ingress, struct tc_list *l);
int tc_attach(struct nl *nl, int ifindex, bool ingress, int prog_fd, const char *name,
	      uint32_t prio);
int tc_detach(struct nl *nl, int ifindex, bool ingress, uint32_t prio, uint32_t handle);

/* --- commands ------------------------------------------------------------------ */
int tcx_cmd_attach(struct nk_ctx *ctx, struct nk_args *a);
int tcx_cmd_detach(struct nk_ctx *ctx, struct nk_args *a);
int tcx_cmd_replace(struct nk_ctx *ctx, struct nk_args *a);
int tcx_cmd_move(struct nk_ctx *ctx, struct nk_args *a);
int tcx_cmd_show(struct nk_ctx *ctx, struct nk_args *a);

#endif
