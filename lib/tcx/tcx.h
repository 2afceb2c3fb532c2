/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcx, netkit and classic tc hooks, as a pipeline:
 *   snap.c   a hook as it is now -> struct hook_snap       (reads the kernel)
 *   plan.c   request + snapshot -> struct plan, a list of operations (pure)
 *   apply.c  runs the operations                          (changes the kernel)
 * and the system-call helpers under them: hook.c (devices, BPF_PROG_QUERY,
 * the tcx probe), prog.c and ref.c (programs and pinned objects), pin.c and
 * pins.c (our pins in bpffs), legacy.c (classic tc over rtnetlink). The
 * words of a command line and the printing are tcxctl's.
 *
 * Return convention: a function that takes a ctx says why through the
 * context's diagnostics and returns an exit code (0 or NK_EXIT_*); one that
 * only makes system calls returns 0 or -errno; the pure stages return what
 * they compute, and a plan carries its own refusal (exit code and message).
 */
#ifndef NK_TCX_H
#define NK_TCX_H

#include <stdbool.h>
#include <stdint.h>
#include <limits.h>
#include <net/if.h>
#include <linux/bpf.h>
#include "ctx.h"
#include "tcx/prog.h"

struct nl;

enum hook { HOOK_INGRESS, HOOK_EGRESS, HOOK_PRIMARY, HOOK_PEER, HOOK_COUNT };
extern const char *const hook_names[];		/* ingress egress primary peer */

/* A pin path we make or keep, with its NUL: a longer "pin PATH" is refused. */
#define PIN_MAX 256

enum ref_kind { REF_NONE, REF_ID, REF_LINK, REF_PINNED, REF_NAME, REF_ALL };
struct ref {
	enum ref_kind kind;
	uint32_t id;		/* REF_ID, REF_LINK */
	const char *str;	/* pinned PATH or name */
	/* REF_PINNED, filled by ref_resolve(): what the path holds */
	uint32_t pin_prog, pin_link;
};

enum pos_kind { POS_NONE, POS_FIRST, POS_LAST, POS_BEFORE, POS_AFTER };
enum mode { MODE_AUTO, MODE_TCX, MODE_TC };
extern const char *const mode_names[];		/* auto tcx tc */

struct tcx_req {
	const char *dev;
	int hook;		/* -1: not given */
	struct prog_spec prog;
	struct ref ref;		/* what detach/replace/move act on */
	bool ours;		/* detach ... all ours */
	enum pos_kind pos;
	struct ref anchor;	/* before/after REF */
	bool has_revision;
	uint64_t revision;
	const char *pin;
	enum mode mode;
	bool all_netns;
	bool hooks;		/* show ... hooks: one object per hook */
};

const char *pos_str(enum pos_kind pos, const struct ref *anchor, char *buf, size_t len);
const char *ref_str(const struct ref *ref, char *buf, size_t len);

/* --- a hook and what runs there ------------------------------------------------ */
#define HOOK_MAX_PROGS 64
#define MPROG_LIMIT 63	/* the kernel's limit of programs on one hook */

struct hook_target {
	char dev[IFNAMSIZ];
	int ifindex;
	int hook;
	enum bpf_attach_type type;
};

struct hook_entry {		/* a tcx or netkit entry */
	uint32_t prog_id, link_id;
	char name[BPF_OBJ_NAME_LEN];
	char tag[TAG_LEN];
	char pin[PIN_MAX];	/* our pin of the link as shown: custom path or entry; "" */
	char entry[PIN_MAX];	/* our directory entry for it (the pin, or a symlink) */
	bool moved;		/* entry is elsewhere: a pin of the device before it
				 * moved here from another namespace (OP_PIN_MOVE) */
};

struct hook_state {
	uint64_t revision;
	uint32_t count;
	struct hook_entry e[HOOK_MAX_PROGS];
};

struct tc_filter {		/* a cls_bpf filter */
	uint32_t prio, handle, prog_id;
	char name[256];		/* without our "nktools:" prefix */
	char tag[TAG_LEN];
	bool ours;
};
#define TC_MAX_FILTERS 128
struct tc_list {
	int count;		/* cls_bpf filters in f */
	int total;		/* filters of any kind */
	struct tc_filter f[TC_MAX_FILTERS];
};

/* Everything a command needs to know about one hook, read in one place. */
struct hook_snap {
	struct hook_target t;
	bool tcx;		/* the kernel has tcx: st was read */
	struct hook_state st;
	bool tc_hook;		/* ingress or egress: the classic tc fields were read */
	bool clsact;		/* the device has a clsact qdisc */
	bool clsact_ours;	/* ... that tcxctl added */
	bool stale_mark;	/* our mark of a clsact that is not there (or not ours) */
	struct tc_list tc;	/* this direction's filters */
	int tc_other;		/* filters of any kind in the other direction */
	char pin_dir[PATH_MAX];	/* our pins of this hook */
};

/* A target from what is already known (no lookup). */
void hook_target_init(struct hook_target *t, const char *dev, int ifindex, int hook);
/* Resolve dev + hook; netkit hooks need the primary of a netkit pair. */
int hook_resolve(struct nk_ctx *ctx, const char *dev, int hook, struct hook_target *t);
/* The chain in execution order, with names and tags. -errno. */
int hook_query(const struct hook_target *t, struct hook_state *st);
/* Pure: the chain from a BPF_PROG_QUERY answer (arrays of len entries);
 * -ENOSPC if count does not fit. */
int hook_state_from_query(struct hook_state *st, uint64_t revision, uint32_t count,
			  const uint32_t *prog_ids, const uint32_t *link_ids, uint32_t len);
const char *hook_kind(int hook);	/* "tcx/ingress", "netkit/peer" */
const char *tc_kind(int hook);		/* "tc/ingress", "tc/egress" */
static inline bool is_tc_hook(int hook)
{
	return hook == HOOK_INGRESS || hook == HOOK_EGRESS;
}
/* Does the kernel have tcx? Probed once per run. */
/* Does the kernel have tcx (6.6)? One query, asked once per run by the
 * caller (struct tcxctl caches it). */
bool tcx_probe(void);

/* Read the hook: the tcx chain, classic tc, our pins. -errno. */
int snap_read(struct nl *nl, const struct hook_target *t, bool tcx, struct hook_snap *s);

/* --- programs and references ------------------------------------------------ */
/* Fill a REF_PINNED ref (or anchor) with what its path holds. */
int ref_resolve(struct nk_ctx *ctx, struct ref *ref);

/* --- pins in bpffs ------------------------------------------------------------ */
int bpffs_ensure(struct nk_ctx *ctx);
/* /sys/fs/bpf/nktools/NETNS_INODE/IFINDEX/HOOK. -errno. */
int pin_dir(const struct hook_target *t, char *buf, size_t len, bool create);
/* Our pins of the chain's links, one directory read (and a pin of a device
 * that moved here from another namespace follows it). */
void pin_fill(const struct hook_target *t, const char *dir, struct hook_state *st);
/* A moved entry (see hook_entry.moved) into this hook's directory; the new
 * entry in path. 0 or -errno. */
int pin_move(const struct hook_target *t, const char *entry, char *path, size_t len);
/* Remove our entry (and the custom pin a symlink entry points to). */
void pin_remove(const char *entry);
/* Pin a new link at its entry, or at custom with a symlink entry. Fills
 * out with what show will print. 0 or -errno; nothing left on failure. */
int pin_link(const struct hook_target *t, int link_fd, uint32_t link_id, const char *name,
	     const char *custom, char *out, size_t len);
/* Each entry of our pins in this namespace (NETNS/IFINDEX/HOOK/ENTRY):
 * fn(its path, its name, data). */
typedef void (*pin_walk_fn)(const char *path, const char *name, void *data);
void pin_walk(pin_walk_fn fn, void *data);
/* Find (and with remove, unpin) our links in this namespace whose device is
 * gone; calls cb for each. Returns how many. */
int pin_sweep_defunct(bool remove, void (*cb)(const char *pin, uint32_t link_id, void *data),
		      void *data);

/* --- legacy tc (clsact + cls_bpf direct-action) ------------------------------- */
/* The filters of one direction (none without clsact). -errno. */
int tc_list(struct nl *nl, int ifindex, bool ingress, struct tc_list *l);
/* Is there a clsact qdisc? 1, 0 or -errno. */
int tc_has_clsact(struct nl *nl, int ifindex);
/* Did tcxctl add the device's clsact? Marks live in /run/nktools/clsact,
 * keyed by the namespace's cookie and the ifindex. */
/* Is the device's clsact marked ours? A mark without its qdisc or of a
 * namespace that had this inode before is stale. Reads only. */
enum { MARK_NONE, MARK_OURS, MARK_STALE };
int tc_clsact_mark(struct nl *nl, int ifindex);
void tc_clsact_unmark(struct nl *nl, int ifindex);
/* Add a filter (and clsact, marked as ours, if there is none). -errno. */
int tc_attach(struct nl *nl, int ifindex, bool ingress, int prog_fd, const char *name,
	      uint32_t prio);
int tc_detach(struct nl *nl, int ifindex, bool ingress, uint32_t prio, uint32_t handle);
/* Delete the clsact qdisc and its mark. -errno. */
int tc_del_clsact(struct nl *nl, int ifindex);

/* --- the plan: what a command will do ------------------------------------------ */
enum op_kind {
	OP_LINK_CREATE,		/* the program as a new link at flags/relative, pinned */
	OP_PROG_ATTACH,		/* an entry's program again without a link (move) */
	OP_LINK_DETACH,		/* entry: BPF_LINK_DETACH, then remove our pin */
	OP_PROG_DETACH,		/* entry: BPF_PROG_DETACH at revision */
	OP_LINK_UPDATE,		/* entry: the program into its link; rename our entry */
	OP_PROG_REPLACE,	/* entry: BPF_F_REPLACE at revision */
	OP_TC_ADD,		/* the program as a cls_bpf filter at prio */
	OP_TC_DEL,		/* entry: our tc filter */
	OP_CLSACT_DEL,		/* the clsact qdisc tcxctl added */
	/* housekeeping of what the snapshot found, by commands that change the
	 * hook (show changes nothing); a failure is ignored */
	OP_UNMARK,		/* a stale clsact mark goes (first) */
	OP_PIN_MOVE,		/* entry: its pin moves into this hook's directory (last) */
};

struct op {
	enum op_kind kind;
	int entry;		/* index into the snapshot's chain or filter list */
	uint32_t flags, relative_id;	/* placement */
	uint64_t revision;	/* expected revision, 0: none */
	uint32_t prio;
	bool has_back;		/* move: where to put the program back on refusal */
	uint32_t back_flags, back_relative;
	bool cleanup;		/* the other mechanism's leftover: failure is a warning */
	bool report;		/* detach all: said on stderr and printed */
	char pin[PIN_MAX];	/* LINK_CREATE: custom pin or ""; LINK_UPDATE: new entry */
	/* results, filled by apply() */
	bool done;
	uint32_t link_id;
	char made_pin[PIN_MAX];
};

#define PLAN_MAX_OPS (HOOK_MAX_PROGS + TC_MAX_FILTERS + 2)
struct plan {
	int exit;		/* a refusal: its exit code (nothing is done), and why */
	char msg[512];
	bool tc;		/* attach: classic tc rather than tcx */
	bool noop;		/* attach: already there as asked */
	int existing;		/* noop: its index in the chain (or filter list with tc) */
	bool shadow;		/* afterwards the hook has tcx programs and tc filters */
	int kept_foreign;	/* detach all: tc filters of others, left alone */
	int n;
	struct op op[PLAN_MAX_OPS];
};

/* What attach or replace brings: the loaded program. */
struct prog_facts {
	uint32_t id;
	const char *name;
	const char *tag;
};

/* Which mechanism an attach uses; a refusal for what the kernel lacks. */
void plan_mechanism(const struct tcx_req *r, bool tcx, struct plan *p);
void plan_attach(const struct tcx_req *r, const struct hook_snap *s, const struct prog_facts *pf,
		 struct plan *p);
void plan_detach(const struct tcx_req *r, const struct hook_snap *s, struct plan *p);
void plan_replace(const struct tcx_req *r, const struct hook_snap *s, const struct prog_facts *pf,
		  struct plan *p);
void plan_move(const struct tcx_req *r, const struct hook_snap *s, struct plan *p);

/* Run the plan's operations in order; prog_fd is the new program (-1). */
int apply(struct nk_ctx *ctx, struct hook_snap *s, struct plan *p, int prog_fd,
	  const char *prog_name);

/* What a plan's operation is, in words (for apply's messages) */
const char *op_str(const struct hook_snap *s, const struct op *op, char *buf, size_t len);

#endif
