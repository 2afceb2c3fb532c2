/* SPDX-License-Identifier: GPL-2.0 */
/* sockreap: its words (filters, batch files) for lib/reap. */
#ifndef SOCKREAP_WORDS_H
#define SOCKREAP_WORDS_H

#include <stdbool.h>
#include <stdio.h>
#include "args.h"
#include "ctx.h"
#include "reap/reap.h"

extern const char *const backend_names[];

/* The options: --backend */
struct reap {
	enum backend backend;	/* as asked */
};

/* One command's printing state. */
struct run {
	struct nk_ctx *ctx;
	bool kill;
	bool opened;			/* the namespace's report has begun */
	const struct reap_batch *batch;	/* -batch: its lines, else NULL */
	unsigned int lines[64];		/* the lines the current socket matched */
	size_t nlines;
	bool line_kills;		/* and one of them kills */
};


/* The walk's callbacks (print.c) */
void print_report(const char *label, const struct nk_sock *s, void *data);
void print_ns_done(const struct reap_ns_result *ns, void *data);
/* The commands (cmd.c) */
int reap_cmd_list(struct nk_ctx *ctx, struct nk_args *a);
int reap_cmd_kill(struct nk_ctx *ctx, struct nk_args *a);
int reap_cmd_batch(struct nk_ctx *ctx, FILE *f);
void reap_cmd_features(struct nk_ctx *ctx);
bool reap_filter_empty(const struct nk_filter *f);
const char *reap_state_name(unsigned int state);


/* Parse FILTER words into f; all is set by the word "all". 0 or NK_EXIT_USAGE. Pure. */
int reap_parse_filter(struct nk_ctx *ctx, struct nk_args *a, struct nk_filter *f, bool *all);
/* sockreap -batch: one filter a line, all of them in one walk. */
struct reap_line {
	unsigned int line;	/* in the batch file */
	bool kill;
	struct nk_filter f;
};
struct reap_batch {
	struct reap_line *v;
	size_t n, cap;
	bool kill;		/* a line kills */
};
/* Read every line ("kill FILTER" or "list FILTER") of f. 0 or an exit code
 * after saying which line is wrong. */
int reap_batch_read(struct nk_ctx *ctx, FILE *f, struct reap_batch *b);
/* Pure: the filter every line's sockets pass (what a dump may ask the
 * kernel for: protocols, families, states). */
void reap_batch_union(const struct reap_batch *b, struct nk_filter *u);
/* Pure: the lines that select s, in lines[] (up to max); returns how many
 * there are, *kill if one of them kills. */
size_t reap_batch_match(const struct reap_batch *b, const struct nk_sock *s, unsigned int *lines,
			size_t max, bool *kill);
void reap_batch_free(struct reap_batch *b);
/* A filter line's default states, and the refusal of an empty "kill" */
int reap_filter_finish(struct nk_ctx *ctx, struct nk_filter *f, bool kill, bool all);

#endif
