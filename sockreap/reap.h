/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SOCKREAP_REAP_H
#define SOCKREAP_REAP_H

#include <stdbool.h>
#include "args.h"
#include "ctx.h"
#include "sockreap.h"	/* bpf/sockreap.h: struct nk_filter, struct nk_sock */

enum backend { BACKEND_AUTO, BACKEND_BPF, BACKEND_DIAG };
extern const char *const backend_names[];

/* Parse FILTER words into f; all is set by the word "all". 0 or NK_EXIT_USAGE. Pure. */
int reap_parse_filter(struct nk_ctx *ctx, struct nk_args *a, struct nk_filter *f, bool *all);
bool reap_filter_empty(const struct nk_filter *f);
const char *reap_state_name(unsigned int state);

/* What one pass over one namespace found; each backend fills it. */
struct pass {
	struct nk_sock *v;
	int n, cap;
	int err;		/* the pass itself failed: -errno */
};
int pass_add(struct pass *p, const struct nk_sock *s);

/* The BPF iterator backend. open: load once (fails without the kfunc);
 * run: one pass in the current namespace. */
struct reap_bpf;
int reap_bpf_open(struct reap_bpf **rb, const struct nk_filter *f);
int reap_bpf_run(struct reap_bpf *rb, struct pass *p);
void reap_bpf_close(struct reap_bpf *rb);
/* Does this kernel's socket iterator visit every socket exactly once, even
 * while sockets are destroyed under it (6.17)? Then one pass is enough. */
bool reap_bpf_exactly_once(void);

/* The sock_diag backend: dump, match with nk_sock_match, SOCK_DESTROY. */
int reap_diag_run(const struct nk_filter *f, struct pass *p);

#endif
