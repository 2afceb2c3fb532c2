// SPDX-License-Identifier: GPL-2.0
/* tcxctl command lines -> struct tcx_req. Pure. */
#include <stdio.h>
#include <string.h>
#include "err.h"
#include "exit.h"
#include "tcxctl.h"

static const char *const cmd_names[] = { "attach", "detach", "replace", "move", "show" };

/* PROG := { object FILE [ section SEC | program NAME ] | pinned PATH | id PROG_ID } */
static int parse_prog(struct nk_ctx *ctx, const char *w, struct nk_args *a, struct prog_spec *p)
{
	const char *v;
	uint64_t id;
	int ret;

	if ((ret = args_value(ctx, a, w, &v)))
		return ret;
	if (!strcmp(w, "object")) {
		p->kind = PROG_OBJECT;
		p->path = v;
		w = args_peek(a);
		if (w && (!strcmp(w, "section") || !strcmp(w, "program"))) {
			args_next(a);
			if ((ret = args_value(ctx, a, w, &v)))
				return ret;
			if (!strcmp(w, "section"))
				p->section = v;
			else
				p->name = v;
		}
	} else if (!strcmp(w, "pinned")) {
		p->kind = PROG_PINNED;
		p->path = v;
	} else {
		if ((ret = parse_uint(ctx, "program id", v, 1, UINT32_MAX, &id)))
			return ret;
		p->kind = PROG_ID;
		p->id = id;
	}
	return 0;
}

/* REF := { id PROG_ID | link LINK_ID | pinned PATH | name PROG_NAME } */
static int parse_ref(struct nk_ctx *ctx, const char *w, struct nk_args *a, struct ref *r)
{
	const char *v;
	uint64_t id;
	int ret;

	if (!strcmp(w, "all")) {
		r->kind = REF_ALL;
		return 0;
	}
	if ((ret = args_value(ctx, a, w, &v)))
		return ret;
	if (!strcmp(w, "id") || !strcmp(w, "link")) {
		if ((ret = parse_uint(ctx, w, v, 1, UINT32_MAX, &id)))
			return ret;
		r->kind = !strcmp(w, "id") ? REF_ID : REF_LINK;
		r->id = id;
	} else {
		r->kind = !strcmp(w, "pinned") ? REF_PINNED : REF_NAME;
		r->str = v;
	}
	return 0;
}

static bool is_ref_word(const char *w, bool all)
{
	return !strcmp(w, "id") || !strcmp(w, "link") || !strcmp(w, "pinned") ||
	       !strcmp(w, "name") || (all && !strcmp(w, "all"));
}

static bool is_prog_word(const char *w)
{
	return !strcmp(w, "object") || !strcmp(w, "pinned") || !strcmp(w, "id");
}

static bool is_pos_word(const char *w)
{
	return !strcmp(w, "first") || !strcmp(w, "last") || !strcmp(w, "before") ||
	       !strcmp(w, "after");
}

static int parse_pos(struct nk_ctx *ctx, const char *w, struct nk_args *a, struct tcx_req *r)
{
	const char *v;

	if (!strcmp(w, "first") || !strcmp(w, "last")) {
		r->pos = w[0] == 'f' ? POS_FIRST : POS_LAST;
		return 0;
	}
	r->pos = !strcmp(w, "before") ? POS_BEFORE : POS_AFTER;
	v = args_next(a);
	if (!v || !is_ref_word(v, false))
		return nk_usage(ctx, "\"%s\" needs a reference: id PROG_ID | link LINK_ID | pinned PATH | name PROG_NAME", w);
	return parse_ref(ctx, v, a, &r->anchor);
}

enum { S_DEV, S_HOOK, S_PROG, S_REF, S_POS, S_REV, S_PIN, S_MODE, S_ALLNS, S_HOOKS };

static bool hook_word(const char *w, enum tcx_cmd cmd, uint64_t seen)
{
	return nk_lookup(w, hook_names, false) >= 0;
}

static bool pos_word(const char *w, enum tcx_cmd cmd, uint64_t seen)
{
	return is_pos_word(w);
}

/* detach also takes "all"; replace's first reference is what it replaces,
 * and its program may be named the same ways */
static bool ref_word(const char *w, enum tcx_cmd cmd, uint64_t seen)
{
	if (cmd == CMD_REPLACE && (seen & (1 << S_REF)))
		return false;
	return is_ref_word(w, cmd == CMD_DETACH);
}

static bool prog_word(const char *w, enum tcx_cmd cmd, uint64_t seen)
{
	return is_prog_word(w);
}

#define CMD(c) (1u << CMD_##c)
#define CHANGES (CMD(ATTACH) | CMD(DETACH) | CMD(REPLACE) | CMD(MOVE))

/* Each command's words, as data: in this order, the first that takes a
 * word (its keyword, or match) and is allowed in the command wins. */
static const struct {
	int slot;
	unsigned int cmds;
	const char *word;
	bool (*match)(const char *w, enum tcx_cmd cmd, uint64_t seen);
} words[] = {
	{ S_DEV, CHANGES | CMD(SHOW), "dev", NULL },
	{ S_HOOK, CHANGES | CMD(SHOW), NULL, hook_word },
	{ S_ALLNS, CMD(SHOW), "all-netns", NULL },
	{ S_HOOKS, CMD(SHOW), "hooks", NULL },
	{ S_REV, CHANGES, "revision", NULL },
	{ S_PIN, CMD(ATTACH), "pin", NULL },
	{ S_MODE, CMD(ATTACH), "mode", NULL },
	{ S_POS, CMD(ATTACH) | CMD(MOVE), NULL, pos_word },
	{ S_REF, CMD(DETACH) | CMD(MOVE) | CMD(REPLACE), NULL, ref_word },
	{ S_PROG, CMD(ATTACH) | CMD(REPLACE), NULL, prog_word },
};

static int slot_of(const char *w, enum tcx_cmd cmd, uint64_t seen)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!(words[i].cmds & (1u << cmd)))
			continue;
		if (words[i].word ? !strcmp(w, words[i].word) : words[i].match(w, cmd, seen))
			return words[i].slot;
	}
	return -1;
}

int tcx_parse(struct nk_ctx *ctx, enum tcx_cmd cmd, struct nk_args *a, struct tcx_req *r)
{
	uint64_t seen = 0;
	const char *w, *v;
	int ret, idx;

	memset(r, 0, sizeof(*r));
	r->hook = -1;
	while ((w = args_next(a))) {
		int slot = slot_of(w, cmd, seen);

		if (slot < 0)
			return nk_usage(ctx, "unexpected \"%s\" in %s", w, cmd_names[cmd]);
		if ((ret = args_once(ctx, &seen, slot, w)))
			return ret;
		switch (slot) {
		case S_DEV:
			if ((ret = args_value(ctx, a, w, &r->dev)) ||
			    (ret = parse_ifname(ctx, "device name", r->dev)))
				return ret;
			break;
		case S_HOOK:
			r->hook = nk_lookup(w, hook_names, false);
			break;
		case S_PROG:
			if ((ret = parse_prog(ctx, w, a, &r->prog)))
				return ret;
			break;
		case S_REF:
			if ((ret = parse_ref(ctx, w, a, &r->ref)))
				return ret;
			if (r->ref.kind == REF_ALL && args_peek(a) && !strcmp(args_peek(a), "ours")) {
				args_next(a);
				r->ours = true;
			}
			break;
		case S_POS:
			if ((ret = parse_pos(ctx, w, a, r)))
				return ret;
			break;
		case S_REV:
			if ((ret = args_value(ctx, a, w, &v)) ||
			    (ret = parse_uint(ctx, "revision", v, 1, UINT64_MAX, &r->revision)))
				return ret;
			r->has_revision = true;
			break;
		case S_PIN:
			if ((ret = args_value(ctx, a, w, &r->pin)))
				return ret;
			if (strncmp(r->pin, "/", 1))
				return nk_usage(ctx, "pin needs an absolute path in bpffs");
			if (strlen(r->pin) >= PIN_MAX)
				return nk_usage(ctx, "pin PATH is %zu bytes long; tcxctl keeps pins of at most %d",
						strlen(r->pin), PIN_MAX - 1);
			break;
		case S_MODE:
			if ((ret = args_value(ctx, a, w, &v)) ||
			    (ret = parse_choice(ctx, "mode", v, mode_names, &idx)))
				return ret;
			r->mode = idx;
			break;
		case S_ALLNS:
			r->all_netns = true;
			break;
		case S_HOOKS:
			r->hooks = true;
			break;
		}
	}
	if (cmd == CMD_SHOW) {
		if (r->all_netns && r->dev)
			return nk_usage(ctx, "all-netns and dev exclude each other");
		return 0;
	}
	if (!r->dev)
		return nk_usage(ctx, "%s needs \"dev DEV\"", cmd_names[cmd]);
	if (r->hook < 0)
		return nk_usage(ctx, "%s needs a hook: ingress | egress | primary | peer", cmd_names[cmd]);
	if ((cmd == CMD_ATTACH || cmd == CMD_REPLACE) && r->prog.kind == PROG_NONE)
		return nk_usage(ctx, "%s needs a program: object FILE | pinned PATH | id PROG_ID",
				cmd_names[cmd]);
	if (cmd != CMD_ATTACH && r->ref.kind == REF_NONE)
		return nk_usage(ctx, "%s needs a reference: id PROG_ID | link LINK_ID | pinned PATH | name PROG_NAME%s",
				cmd_names[cmd], cmd == CMD_DETACH ? " | all" : "");
	if (cmd == CMD_MOVE && r->pos == POS_NONE)
		return nk_usage(ctx, "move needs a position: first | last | before REF | after REF");
	if (r->mode == MODE_TC && (r->hook == HOOK_PRIMARY || r->hook == HOOK_PEER))
		return nk_usage(ctx, "netkit hooks have no classic tc mode");
	if (r->mode == MODE_TC && r->has_revision)
		return nk_usage(ctx, "classic tc has no revisions: \"revision\" needs tcx");
	if (r->mode == MODE_TC && r->pin)
		return nk_usage(ctx, "classic tc filters are not links: \"pin\" needs tcx");
	return 0;
}
