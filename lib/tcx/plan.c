// SPDX-License-Identifier: GPL-2.0
/*
 * The planner: a parsed request and a snapshot of the hook in, the list of
 * operations out, or a refusal with its exit code and message. Pure: no
 * system calls, so every rule here is unit-tested offline.
 *
 * Rules that live here and nowhere else:
 * - placement: flags and relative id for first/last/before/after;
 * - revisions: checked against the snapshot before anything changes (the
 *   kernel checks again, atomically, where it can);
 * - retries: an attach whose program name is already ours on the hook is a
 *   no-op when it is the same program (tag) at a place that meets the asked
 *   position, and refused, naming replace or move, otherwise;
 * - classic tc priorities;
 * - switching mechanism: our attachment of the same program through the
 *   other mechanism goes after the new one is made, and the clsact qdisc
 *   tcxctl added goes with the last filter on it.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "exit.h"
#include "tcx/pins.h"
#include "tcx/tcx.h"

static void refuse(struct plan *p, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void refuse(struct plan *p, int code, const char *fmt, ...)
{
	va_list ap;

	p->exit = code;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
}

static void plan_init(struct plan *p)
{
	p->exit = 0;
	p->msg[0] = '\0';
	p->tc = p->noop = p->shadow = false;
	p->existing = -1;
	p->kept_foreign = 0;
	p->n = 0;
}

static struct op *add_op(struct plan *p, enum op_kind kind, int entry)
{
	struct op *op = &p->op[p->n < PLAN_MAX_OPS ? p->n++ : PLAN_MAX_OPS - 1];

	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->entry = entry;
	return op;
}

/* What the snapshot found out of place, put right first by a command that
 * changes the hook: a stale clsact mark, pins left where the device was
 * before it moved here. */
static void tidy(const struct hook_snap *s, struct plan *p)
{
	if (s->stale_mark)
		add_op(p, OP_UNMARK, -1);
	for (uint32_t i = 0; s->tcx && i < s->st.count; i++)
		if (s->st.e[i].moved && s->st.e[i].entry[0])
			add_op(p, OP_PIN_MOVE, i);
}

#define DEV_HOOK(s) (s)->t.dev, hook_names[(s)->t.hook]

/* --- references --------------------------------------------------------------- */
static bool tcx_match(const struct hook_entry *e, const struct ref *r)
{
	switch (r->kind) {
	case REF_ID: return e->prog_id == r->id;
	case REF_LINK: return e->link_id == r->id;
	case REF_NAME: return !strcmp(e->name, r->str);
	case REF_PINNED: return r->pin_link ? e->link_id == r->pin_link : e->prog_id == r->pin_prog;
	default: return false;
	}
}

static bool tc_match(const struct tc_filter *f, const struct ref *r)
{
	switch (r->kind) {
	case REF_ID: return f->prog_id == r->id;
	case REF_NAME: return !strcmp(f->name, r->str);
	case REF_PINNED: return !r->pin_link && f->prog_id == r->pin_prog;
	default: return false;
	}
}

/* Predicates on entry i of the chain (tcx) or of the filter list (tc). */
static bool tcx_ref(const struct hook_snap *s, int i, const void *r)
{
	return tcx_match(&s->st.e[i], r);
}

static bool tc_ref(const struct hook_snap *s, int i, const void *r)
{
	return tc_match(&s->tc.f[i], r);
}

static bool tcx_ours_named(const struct hook_snap *s, int i, const void *name)
{
	return s->st.e[i].entry[0] && !strcmp(s->st.e[i].name, name);
}

static bool tc_ours_named(const struct hook_snap *s, int i, const void *name)
{
	return s->tc.f[i].ours && !strcmp(s->tc.f[i].name, name);
}

enum { NOT_FOUND = -1, AMBIGUOUS = -2 };

/* The one i < n that match takes: its index, NOT_FOUND or AMBIGUOUS. */
static int unique(const struct hook_snap *s, int n,
		  bool (*match)(const struct hook_snap *, int, const void *), const void *what)
{
	int found = NOT_FOUND;

	for (int i = 0; i < n; i++) {
		if (!match(s, i, what))
			continue;
		if (found >= 0)
			return AMBIGUOUS;
		found = i;
	}
	return found;
}

static int lookup(const struct hook_snap *s, const struct ref *r)
{
	return unique(s, s->st.count, tcx_ref, r);
}

static int lookup_tc(const struct hook_snap *s, const struct ref *r)
{
	return unique(s, s->tc.count, tc_ref, r);
}

/* lookup()'s answer, refused unless it is one entry. */
static int need_one(const struct hook_snap *s, const struct ref *r, int idx, const char *what,
		    struct plan *p)
{
	char buf[300];

	if (idx == AMBIGUOUS)
		refuse(p, NK_EXIT_USAGE, "\"%s\" matches more than one program on %s %s: use id or link",
		       ref_str(r, buf, sizeof(buf)), DEV_HOOK(s));
	else if (idx == NOT_FOUND)
		refuse(p, NK_EXIT_NONE, "%s is not attached to %s %s%s", ref_str(r, buf, sizeof(buf)),
		       DEV_HOOK(s), what);
	return idx;
}

/* --- revisions and positions ---------------------------------------------------- */
static bool stale(const struct tcx_req *r, const struct hook_snap *s, struct plan *p)
{
	if (!r->has_revision || s->st.revision == r->revision)
		return false;
	refuse(p, NK_EXIT_FAIL, "%s %s changed since revision %" PRIu64 " (it is at revision %" PRIu64 " now); nothing was changed",
	       DEV_HOOK(s), r->revision, s->st.revision);
	return true;
}

/* Flags and relative id that put a program at r->pos; skip is the entry
 * being moved. false after a refusal. */
static bool place(const struct tcx_req *r, const struct hook_snap *s, int skip, uint32_t *flags,
		  uint32_t *relative, struct plan *p)
{
	const struct hook_entry *e;
	int idx;

	*flags = *relative = 0;
	switch (r->pos) {
	case POS_FIRST:
		*flags = BPF_F_BEFORE;
		return true;
	case POS_LAST:
		*flags = BPF_F_AFTER;
		return true;
	case POS_NONE:
		return true;
	default:
		break;
	}
	idx = need_one(s, &r->anchor, lookup(s, &r->anchor), "", p);
	if (idx < 0)
		return false;
	if (idx == skip) {
		refuse(p, NK_EXIT_USAGE, "a program cannot be placed relative to itself");
		return false;
	}
	e = &s->st.e[idx];
	*flags = (r->pos == POS_BEFORE ? BPF_F_BEFORE : BPF_F_AFTER) | BPF_F_ID;
	if (e->link_id) {
		*flags |= BPF_F_LINK;
		*relative = e->link_id;
	} else {
		*relative = e->prog_id;
	}
	return true;
}

/* Where entry i stands in the order the kernel runs them: its index on
 * the chain, or with classic tc its priority. */
static uint32_t order_key(const struct hook_snap *s, bool tc, int i)
{
	return tc ? s->tc.f[i].prio : (uint32_t)i;
}

/* Is entry k (of the chain, or of the filters with tc) where r->pos asks?
 * 1 or 0; -1 after a refusal. A position is met by any place that keeps
 * it: before REF is anywhere ahead of REF. */
static int placed(const struct tcx_req *r, const struct hook_snap *s, bool tc, int k,
		  struct plan *p)
{
	int n = tc ? s->tc.count : (int)s->st.count, a;
	uint32_t at = order_key(s, tc, k), lo = at, hi = at;

	for (int i = 0; i < n; i++) {
		lo = order_key(s, tc, i) < lo ? order_key(s, tc, i) : lo;
		hi = order_key(s, tc, i) > hi ? order_key(s, tc, i) : hi;
	}
	switch (r->pos) {
	case POS_NONE:
		return 1;
	case POS_FIRST:
		return at == lo;
	case POS_LAST:
		return at == hi;
	default:
		break;
	}
	a = need_one(s, &r->anchor, tc ? lookup_tc(s, &r->anchor) : lookup(s, &r->anchor),
		     tc ? " as a classic tc filter" : "", p);
	if (a < 0)
		return -1;
	if (a == k) {
		refuse(p, NK_EXIT_USAGE, "a program cannot be placed relative to itself");
		return -1;
	}
	return r->pos == POS_BEFORE ? at < order_key(s, tc, a) : at > order_key(s, tc, a);
}

/* Classic tc: the priority that puts a new filter where asked. Filters run
 * by priority; we leave gaps of TC_PRIO_GAP, and before/after take the
 * middle of the gap next to the anchor. 0 after a refusal. */
#define TC_PRIO_GAP 256
#define TC_PRIO_MAX 0xffff
#define TC_PRIO_START 0x8000

static uint32_t tc_prio(const struct tcx_req *r, const struct hook_snap *s, struct plan *p)
{
	const struct tc_list *l = &s->tc;
	uint32_t lo = TC_PRIO_MAX + 1, hi = 0, below = 0, above = TC_PRIO_MAX + 1, anchor, prio;
	int a;

	for (int i = 0; i < l->count; i++) {
		lo = l->f[i].prio < lo ? l->f[i].prio : lo;
		hi = l->f[i].prio > hi ? l->f[i].prio : hi;
	}
	switch (r->pos) {
	case POS_FIRST:
		prio = !l->count ? TC_PRIO_START : lo > TC_PRIO_GAP ? lo - TC_PRIO_GAP : lo / 2;
		break;
	case POS_NONE:
	case POS_LAST:
		prio = !l->count ? TC_PRIO_START : hi + TC_PRIO_GAP <= TC_PRIO_MAX ? hi + TC_PRIO_GAP :
		       (hi + TC_PRIO_MAX + 1) / 2;
		if (prio == hi || prio > TC_PRIO_MAX)
			prio = 0;
		break;
	default:
		a = need_one(s, &r->anchor, lookup_tc(s, &r->anchor),
			     " as a classic tc filter (classic tc takes id, name or a pinned program)", p);
		if (a < 0)
			return 0;
		anchor = l->f[a].prio;
		for (int i = 0; i < l->count; i++) {
			uint32_t q = l->f[i].prio;

			if (q < anchor && q > below)
				below = q;
			if (q > anchor && q < above)
				above = q;
		}
		prio = r->pos == POS_BEFORE ? (below + anchor) / 2 : (anchor + above) / 2;
		if (prio == below || prio == anchor || prio > TC_PRIO_MAX)
			prio = 0;
	}
	if (!prio)
		refuse(p, NK_EXIT_FAIL, "no classic tc priority is free at that position on %s", s->t.dev);
	return prio;
}

/* After removing `removed` of this direction's filters: is the clsact that
 * tcxctl added empty now? Then it goes too. */
static void drop_clsact(const struct hook_snap *s, int removed, struct plan *p)
{
	if (s->clsact_ours && s->tc.total - removed <= 0 && s->tc_other == 0)
		add_op(p, OP_CLSACT_DEL, -1)->cleanup = true;
}

/* --- attach ---------------------------------------------------------------------- */
void plan_mechanism(const struct tcx_req *r, bool tcx, struct plan *p)
{
	plan_init(p);
	if (r->mode == MODE_TC || (!tcx && r->mode == MODE_AUTO && is_tc_hook(r->hook) &&
				   !r->has_revision && !r->pin)) {
		p->tc = true;
		return;
	}
	if (tcx)
		return;
	if (!is_tc_hook(r->hook))
		refuse(p, NK_EXIT_UNSUPP, "netkit hooks are not supported by this kernel (they need Linux 6.7)");
	else if (r->mode == MODE_TCX)
		refuse(p, NK_EXIT_UNSUPP, "tcx is not supported by this kernel (it needs Linux 6.6); use mode tc or auto");
	else if (r->has_revision)
		refuse(p, NK_EXIT_UNSUPP, "revisions need tcx, which this kernel lacks (Linux 6.6)");
	else
		refuse(p, NK_EXIT_UNSUPP, "pins need tcx links, which this kernel lacks (Linux 6.6)");
}

/* Our entries named like the new program: the one, NOT_FOUND, or AMBIGUOUS. */
static int ours_named(const struct hook_snap *s, const char *name, bool tc)
{
	return tc ? unique(s, s->tc.count, tc_ours_named, name) :
		    unique(s, s->st.count, tcx_ours_named, name);
}

/* A retry of an attach that is already done: a no-op, or a refusal. */
static void retry(const struct tcx_req *r, const struct hook_snap *s, const struct prog_facts *pf,
		  int k, struct plan *p)
{
	const char *tag = p->tc ? s->tc.f[k].tag : s->st.e[k].tag;
	char pos[320];
	int ok;

	if (strcmp(tag, pf->tag)) {
		if (p->tc)
			refuse(p, NK_EXIT_FAIL, "%s is already attached to %s %s as a classic tc filter of another program (tag %s, not %s); nothing was changed: detach it first (classic tc has no replace)",
			       pf->name, DEV_HOOK(s), tag, pf->tag);
		else
			refuse(p, NK_EXIT_FAIL, "%s is already attached to %s %s as another program (tag %s, not %s); nothing was changed: \"tcxctl replace dev %s %s name %s PROG\" changes it",
			       pf->name, DEV_HOOK(s), tag, pf->tag, DEV_HOOK(s), pf->name);
		return;
	}
	if (!p->tc && r->pin && strcmp(r->pin, s->st.e[k].pin)) {
		refuse(p, NK_EXIT_FAIL, "%s is already attached to %s %s, pinned at %s; nothing was changed: detach it first to pin it at %s",
		       pf->name, DEV_HOOK(s), s->st.e[k].pin, r->pin);
		return;
	}
	ok = placed(r, s, p->tc, k, p);
	if (ok < 0)
		return;
	if (!ok) {
		pos_str(r->pos, &r->anchor, pos, sizeof(pos));
		if (p->tc)
			refuse(p, NK_EXIT_FAIL, "%s is already attached to %s %s, but not %s; nothing was changed: detach it and attach it again (classic tc has no move)",
			       pf->name, DEV_HOOK(s), pos);
		else
			refuse(p, NK_EXIT_FAIL, "%s is already attached to %s %s at position %d, not %s; nothing was changed: \"tcxctl move dev %s %s name %s %s\" moves it",
			       pf->name, DEV_HOOK(s), k, pos, DEV_HOOK(s), pf->name, pos);
		return;
	}
	p->noop = true;
	p->existing = k;
}

/* Is the attach a retry (our entry of that name is there)? Then it is
 * planned as one: a no-op or a refusal. */
static bool retried(const struct tcx_req *r, const struct hook_snap *s,
		    const struct prog_facts *pf, struct plan *p)
{
	int k = ours_named(s, pf->name, p->tc);

	if (k == AMBIGUOUS)
		refuse(p, NK_EXIT_FAIL, "%s is attached more than once to %s %s: detach the extra ones%s first",
		       pf->name, DEV_HOOK(s), p->tc ? "" : " by id or link");
	else if (k >= 0)
		retry(r, s, pf, k, p);
	return k != NOT_FOUND;
}

static void attach_tcx(const struct tcx_req *r, const struct hook_snap *s,
		       const struct prog_facts *pf, struct plan *p)
{
	const struct hook_state *st = &s->st;
	uint32_t flags, relative;
	int removed = 0;
	struct op *op;

	if (retried(r, s, pf, p)) {
		if (p->exit)
			return;
	} else {
		if (stale(r, s, p))
			return;
		for (uint32_t i = 0; i < st->count; i++) {
			if (st->e[i].prog_id == pf->id) {
				refuse(p, NK_EXIT_FAIL, "program %s (id %u) is already attached to %s %s: a program can be on a hook only once",
				       pf->name, pf->id, DEV_HOOK(s));
				return;
			}
		}
		if (st->count >= MPROG_LIMIT) {
			refuse(p, NK_EXIT_FAIL, "%s %s is full: it holds %d programs, the kernel's limit",
			       DEV_HOOK(s), MPROG_LIMIT);
			return;
		}
		if (!place(r, s, -1, &flags, &relative, p))
			return;
		op = add_op(p, OP_LINK_CREATE, -1);
		op->flags = flags;
		op->relative_id = relative;
		op->revision = r->has_revision ? r->revision : 0;
		snprintf(op->pin, sizeof(op->pin), "%s", r->pin ? r->pin : "");
	}
	/* upgrade: our classic tc filter of the same program goes, after */
	for (int i = 0; s->tc_hook && i < s->tc.count; i++) {
		if (s->tc.f[i].ours && !strcmp(s->tc.f[i].name, pf->name)) {
			add_op(p, OP_TC_DEL, i)->cleanup = true;
			removed++;
		}
	}
	if (removed)
		drop_clsact(s, removed, p);
	p->shadow = s->tc_hook && s->tc.total - removed > 0;
}

static void attach_tc(const struct tcx_req *r, const struct hook_snap *s,
		      const struct prog_facts *pf, struct plan *p)
{
	int removed = 0;
	uint32_t prio;

	if (retried(r, s, pf, p)) {
		if (p->exit)
			return;
	} else {
		prio = tc_prio(r, s, p);
		if (!prio)
			return;
		add_op(p, OP_TC_ADD, -1)->prio = prio;
	}
	/* downgrade: our tcx link of the same program goes, after */
	for (uint32_t i = 0; s->tcx && i < s->st.count; i++) {
		if (s->st.e[i].entry[0] && !strcmp(s->st.e[i].name, pf->name)) {
			add_op(p, OP_LINK_DETACH, i)->cleanup = true;
			removed++;
		}
	}
	p->shadow = s->tcx && (int)s->st.count - removed > 0;
}

void plan_attach(const struct tcx_req *r, const struct hook_snap *s, const struct prog_facts *pf,
		 struct plan *p)
{
	plan_mechanism(r, s->tcx, p);
	if (p->exit)
		return;
	tidy(s, p);
	if (p->tc)
		attach_tc(r, s, pf, p);
	else
		attach_tcx(r, s, pf, p);
}

/* --- detach ---------------------------------------------------------------------- */
static struct op *detach_op(const struct hook_snap *s, int i, struct plan *p)
{
	return add_op(p, s->st.e[i].link_id ? OP_LINK_DETACH : OP_PROG_DETACH, i);
}

void plan_detach(const struct tcx_req *r, const struct hook_snap *s, struct plan *p)
{
	bool all = r->ref.kind == REF_ALL;
	uint64_t revision = s->st.revision;
	int removed = 0, idx = NOT_FOUND;
	struct op *op;

	plan_init(p);
	tidy(s, p);
	if (r->has_revision && !s->tcx) {
		refuse(p, NK_EXIT_UNSUPP, "revisions need tcx, which this kernel lacks (Linux 6.6)");
		return;
	}
	if (s->tcx && stale(r, s, p))
		return;
	if (s->tcx && !all) {
		idx = lookup(s, &r->ref);
		if (idx == AMBIGUOUS) {
			need_one(s, &r->ref, idx, "", p);
			return;
		}
	}
	/* classic tc: our filters only, ever */
	for (int i = 0; s->tc_hook && i < s->tc.count; i++) {
		const struct tc_filter *f = &s->tc.f[i];

		if (!f->ours) {
			p->kept_foreign += all;
			continue;
		}
		if (!all && !tc_match(f, &r->ref))
			continue;
		add_op(p, OP_TC_DEL, i)->report = all;
		removed++;
	}
	if (all) {
		/* from the last, each detach adding one to the revision */
		for (uint32_t i = s->tcx ? s->st.count : 0; i-- > 0;) {
			if (r->ours && !s->st.e[i].entry[0])
				continue;
			op = detach_op(s, i, p);
			op->revision = revision++;
			op->report = true;
		}
	} else if (idx >= 0) {
		detach_op(s, idx, p)->revision = revision;
	} else if (!removed) {
		need_one(s, &r->ref, NOT_FOUND, s->tcx ? "" : " as a classic tc filter of ours", p);
		return;
	}
	if (removed)
		drop_clsact(s, removed, p);
}

/* --- replace and move -------------------------------------------------------------- */
static int target(const struct tcx_req *r, const struct hook_snap *s, const char *cmd,
		  struct plan *p)
{
	plan_init(p);
	tidy(s, p);
	if (!s->tcx) {
		refuse(p, NK_EXIT_UNSUPP, "%s needs tcx (Linux 6.6)%s", cmd,
		       strcmp(cmd, "replace") ? "" :
		       "; with classic tc, attach the new program and detach the old one");
		return -1;
	}
	if (stale(r, s, p))
		return -1;
	return need_one(s, &r->ref, lookup(s, &r->ref), "", p);
}

void plan_replace(const struct tcx_req *r, const struct hook_snap *s, const struct prog_facts *pf,
		  struct plan *p)
{
	const struct hook_entry *e;
	int idx = target(r, s, "replace", p);
	struct op *op;
	char dir[PATH_MAX], *slash;

	if (idx < 0)
		return;
	e = &s->st.e[idx];
	if (!strcmp(e->tag, pf->tag) && !strcmp(e->name, pf->name)) {
		p->noop = true;		/* that program is there already: a retry */
		p->existing = idx;
		return;
	}
	for (uint32_t i = 0; i < s->st.count; i++) {
		if ((int)i != idx && s->st.e[i].prog_id == pf->id) {
			refuse(p, NK_EXIT_FAIL, "program %s (id %u) is already attached to %s %s: a program can be on a hook only once",
			       pf->name, pf->id, DEV_HOOK(s));
			return;
		}
	}
	if (!e->link_id) {
		op = add_op(p, OP_PROG_REPLACE, idx);
		op->revision = s->st.revision;
		return;
	}
	op = add_op(p, OP_LINK_UPDATE, idx);
	/* our entry's name keeps telling which program is attached (in this
	 * hook's directory, where a moved entry is by then) */
	snprintf(dir, sizeof(dir), "%s", e->moved ? s->pin_dir : e->entry);
	slash = e->moved ? dir + strlen(dir) : strrchr(dir, '/');
	if (e->entry[0] && slash) {
		*slash = '\0';
		tcx_pin_name(dir, e->link_id, pf->name, op->pin, sizeof(op->pin));
	}
}

void plan_move(const struct tcx_req *r, const struct hook_snap *s, struct plan *p)
{
	const struct hook_entry *e, *prev;
	uint32_t flags, relative;
	int idx = target(r, s, "move", p), ok;
	struct op *op;

	if (idx < 0)
		return;
	ok = placed(r, s, false, idx, p);
	if (ok < 0)
		return;
	if (ok) {
		p->noop = true;
		p->existing = idx;
		return;
	}
	if (!place(r, s, idx, &flags, &relative, p))
		return;
	e = &s->st.e[idx];
	/* The kernel has no atomic move, and a program sits on a hook only once:
	 * detach, then attach at the new place expecting exactly our own change
	 * in between; on refusal, back where it was. */
	detach_op(s, idx, p)->revision = s->st.revision;
	op = add_op(p, e->link_id ? OP_LINK_CREATE : OP_PROG_ATTACH, idx);
	op->flags = flags;
	op->relative_id = relative;
	op->revision = s->st.revision + 1;
	op->has_back = true;
	if (idx == 0) {
		op->back_flags = BPF_F_BEFORE;
	} else {
		prev = &s->st.e[idx - 1];
		op->back_flags = BPF_F_AFTER | BPF_F_ID | (prev->link_id ? BPF_F_LINK : 0);
		op->back_relative = prev->link_id ? prev->link_id : prev->prog_id;
	}
	/* a custom pin is made again where it was */
	if (e->entry[0] && strcmp(e->pin, e->entry))
		snprintf(op->pin, sizeof(op->pin), "%s", e->pin);
}

/* A reference and a position in words, for refusals */
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

const char *pos_str(enum pos_kind pos, const struct ref *anchor, char *buf, size_t len)
{
	char ref[300];

	switch (pos) {
	case POS_FIRST: snprintf(buf, len, "first"); break;
	case POS_BEFORE: snprintf(buf, len, "before %s", ref_str(anchor, ref, sizeof(ref))); break;
	case POS_AFTER: snprintf(buf, len, "after %s", ref_str(anchor, ref, sizeof(ref))); break;
	default: snprintf(buf, len, "last"); break;
	}
	return buf;
}
