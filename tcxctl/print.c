// SPDX-License-Identifier: GPL-2.0
/* Output from a snapshot and a plan's results only: no system calls. The
 * entries' JSON keys are bpftool's where it has them (devname, ifindex,
 * kind, name, prog_id, tag, link_id). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "tcxctl.h"

static const char *mode_of(int hook)
{
	return hook == HOOK_PRIMARY || hook == HOOK_PEER ? "netkit" : "tcx";
}

static void head(struct out *o, const struct hook_snap *s, const char *netns, const char *kind)
{
	if (netns)
		out_str(o, "netns", NULL, netns);
	out_str(o, "devname", NULL, s->t.dev);
	out_uint(o, "ifindex", NULL, s->t.ifindex);
	out_str(o, "kind", NULL, kind);
}

static void header_line(struct out *o, const struct hook_snap *s, const char *netns,
			const char *kind)
{
	out_text(o, "%s%s%s(%d) %s", netns ? netns : "", netns ? ": " : "", s->t.dev,
		 s->t.ifindex, kind);
}

/* The keys every entry has, tcx or classic tc; the object is left open. */
static void entry_open(struct out *o, const struct hook_snap *s, const char *netns, const char *kind,
		       int i, const char *name, uint32_t prog_id, const char *tag)
{
	out_open(o, NULL);
	head(o, s, netns, kind);
	out_uint(o, "position", "    %" PRIu64 ":", i);
	out_str(o, "name", " %s", name);
	out_uint(o, "prog_id", " prog %" PRIu64, prog_id);
	out_str(o, "tag", " tag %s", tag);
}

static void tcx_entry(struct out *o, const struct hook_snap *s, const char *netns, uint32_t i)
{
	const struct hook_entry *e = &s->st.e[i];

	entry_open(o, s, netns, hook_kind(s->t.hook), i, e->name, e->prog_id, e->tag);
	if (e->link_id)
		out_uint(o, "link_id", " link %" PRIu64, e->link_id);
	else
		out_null(o, "link_id", " (no link)");
	if (e->pin[0])
		out_str(o, "pin", " pin %s", e->pin);
	else
		out_null(o, "pin", NULL);
	out_uint(o, "revision", NULL, s->st.revision);
	out_str(o, "mode", NULL, mode_of(s->t.hook));
	out_text(o, "\n");
	out_close(o);
}

static void tc_entry(struct out *o, const struct hook_snap *s, const char *netns, int i)
{
	const struct tc_filter *f = &s->tc.f[i];

	entry_open(o, s, netns, tc_kind(s->t.hook), i, f->name, f->prog_id, f->tag);
	out_uint(o, "prio", " prio %" PRIu64, f->prio);
	out_uint(o, "handle", " handle %" PRIu64, f->handle);
	out_bool(o, "ours", f->ours ? "" : " (not ours)", f->ours);
	out_str(o, "mode", NULL, "tc");
	out_text(o, "\n");
	out_close(o);
}

void print_hook(struct out *o, const struct hook_snap *s, const char *netns)
{
	if (s->tcx && s->st.count) {
		header_line(o, s, netns, hook_kind(s->t.hook));
		out_text(o, " revision %" PRIu64 "\n", s->st.revision);
		for (uint32_t i = 0; i < s->st.count; i++)
			tcx_entry(o, s, netns, i);
	}
	if (s->tc_hook && s->tc.count) {
		header_line(o, s, netns, tc_kind(s->t.hook));
		out_text(o, "\n");
		for (int i = 0; i < s->tc.count; i++)
			tc_entry(o, s, netns, i);
	}
}

void print_hook_obj(struct out *o, const struct hook_snap *s, const char *netns)
{
	if (s->tcx) {
		out_open(o, NULL);
		head(o, s, netns, hook_kind(s->t.hook));
		out_str(o, "mode", NULL, mode_of(s->t.hook));
		header_line(o, s, netns, hook_kind(s->t.hook));
		out_uint(o, "revision", " revision %" PRIu64, s->st.revision);
		out_uint(o, "count", " programs %" PRIu64 "\n", s->st.count);
		out_open_array(o, "entries");
		for (uint32_t i = 0; i < s->st.count; i++)
			tcx_entry(o, s, netns, i);
		out_close_array(o);
		out_close(o);
	}
	if (s->tc_hook && s->clsact) {
		out_open(o, NULL);
		head(o, s, netns, tc_kind(s->t.hook));
		out_str(o, "mode", NULL, "tc");
		header_line(o, s, netns, tc_kind(s->t.hook));
		out_null(o, "revision", NULL);
		out_bool(o, "clsact_ours", s->clsact_ours ? " (clsact added by tcxctl)" : "",
			 s->clsact_ours);
		out_uint(o, "count", " filters %" PRIu64 "\n", s->tc.count);
		out_open_array(o, "entries");
		for (int i = 0; i < s->tc.count; i++)
			tc_entry(o, s, netns, i);
		out_close_array(o);
		out_close(o);
	}
}

/* The result of an attach: one of the plan's new entries, or the one that
 * was there already. */
void print_attached(struct out *o, const struct hook_snap *s, const struct plan *p,
		    const struct prog_facts *pf)
{
	const struct op *made = NULL;

	if (!o->json)
		return;
	for (int i = 0; i < p->n && !made; i++)
		if ((p->op[i].kind == OP_LINK_CREATE || p->op[i].kind == OP_TC_ADD) && p->op[i].done)
			made = &p->op[i];
	if (!made && !p->noop)
		return;
	out_open(o, NULL);
	head(o, s, NULL, p->tc ? tc_kind(s->t.hook) : hook_kind(s->t.hook));
	out_str(o, "name", NULL, pf->name);
	if (p->noop && !p->tc) {
		const struct hook_entry *e = &s->st.e[p->existing];

		out_uint(o, "prog_id", NULL, e->prog_id);
		out_uint(o, "link_id", NULL, e->link_id);
		out_str(o, "pin", NULL, e->pin);
	} else if (p->noop) {
		out_uint(o, "prog_id", NULL, s->tc.f[p->existing].prog_id);
		out_null(o, "link_id", NULL);
	} else {
		out_uint(o, "prog_id", NULL, pf->id);
		if (made->link_id)
			out_uint(o, "link_id", NULL, made->link_id);
		else
			out_null(o, "link_id", NULL);
		if (made->made_pin[0])
			out_str(o, "pin", NULL, made->made_pin);
	}
	out_bool(o, "existing", NULL, p->noop);
	out_close(o);
}

void print_detached(struct out *o, const struct hook_snap *s, const struct plan *p)
{
	for (int i = 0; o->json && i < p->n; i++) {
		const struct op *op = &p->op[i];
		bool tc = op->kind == OP_TC_DEL;

		if (!op->done || op->cleanup ||
		    (op->kind != OP_LINK_DETACH && op->kind != OP_PROG_DETACH && !tc))
			continue;
		out_open(o, NULL);
		head(o, s, NULL, tc ? tc_kind(s->t.hook) : hook_kind(s->t.hook));
		if (tc) {
			out_str(o, "name", NULL, s->tc.f[op->entry].name);
			out_uint(o, "prog_id", NULL, s->tc.f[op->entry].prog_id);
			out_null(o, "link_id", NULL);
			out_bool(o, "ours", NULL, true);
		} else {
			const struct hook_entry *e = &s->st.e[op->entry];

			out_str(o, "name", NULL, e->name);
			out_uint(o, "prog_id", NULL, e->prog_id);
			if (e->link_id)
				out_uint(o, "link_id", NULL, e->link_id);
			else
				out_null(o, "link_id", NULL);
			out_bool(o, "ours", NULL, e->entry[0]);
		}
		out_bool(o, "detached", NULL, true);
		out_close(o);
	}
}

void print_defunct(struct out *o, const char *netns, const char *pin, uint32_t link_id)
{
	out_open(o, NULL);
	if (netns)
		out_str(o, "netns", NULL, netns);
	out_text(o, "defunct link");
	out_uint(o, "link_id", " %" PRIu64, link_id);
	out_str(o, "pin", " pin %s (its device is gone; detach removes it)\n", pin);
	out_bool(o, "defunct", NULL, true);
	out_close(o);
}
