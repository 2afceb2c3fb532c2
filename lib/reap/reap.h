/* SPDX-License-Identifier: GPL-2.0 */
/* Socket reaping: filters, the iterator, sock_diag and index backends, the
 * passes over a namespace and the walk over every namespace (walk.c). Words
 * and printing are the tools'. */
#ifndef NK_REAP_H
#define NK_REAP_H

#include <stdbool.h>
#include <stdio.h>
#include "set.h"
#include "sockreap.h"	/* bpf/sockreap.h: struct nk_filter, struct nk_sock */

enum backend { BACKEND_AUTO, BACKEND_BPF, BACKEND_DIAG };

/* Sockets connected to a peer: what ss selects without a state filter (not
 * listen, syn-recv, time-wait or close). The default of list and kill. */
#define REAP_STATES_CONNECTED						\
	((1u << 1) | (1u << 2) | (1u << 4) | (1u << 5) | (1u << 8) |	\
	 (1u << 9) | (1u << 11))
#define REAP_STATES_ALL		0x1ffeu	/* every TCP_* state, 1..12 */

/* Why a socket was not destroyed, beyond errno: sock_diag's lookup kept
 * resolving to another member of the socket's SO_REUSEPORT group. */
#define REAP_EHIDDEN		4096
const char *reap_strerror(int result);

/* The passes over one namespace, fed one socket at a time by a backend. */
struct pass {
	/* set by the caller */
	bool dry_run;
	bool dedup;		/* several passes: drop sockets seen before */
	/* a socket the backend could not destroy (-EOPNOTSUPP): try another
	 * way, return the new result */
	int (*fallback)(struct nk_sock *s, void *data);
	void (*report)(const struct nk_sock *s, void *data);
	/* several filters at once: which of them take s. 0: none (s is not
	 * counted), 1: only lists, 2: one kills; may destroy s itself (setting
	 * s->result); < 0: an error. NULL: the pass's dry_run decides. */
	int (*select)(struct nk_sock *s, void *data);
	void *data;
	/* this namespace so far */
	struct {
		unsigned int matched, destroyed, failed, unsupported;
		unsigned int progress;	/* destroyed in the current pass */
	} ns;
	struct nk_set seen;
};
void pass_begin_ns(struct pass *p);
/* One socket found: may change s->result (fallback). 0 or -ENOMEM. */
int pass_emit(struct pass *p, struct nk_sock *s);
void pass_free(struct pass *p);

/* The BPF iterator backend. open: load once (fails without the kfunc);
 * run: one pass in the current namespace. */
struct reap_bpf;
int reap_bpf_open(struct reap_bpf **rb, const struct nk_filter *f, bool destroy);
int reap_bpf_run(struct reap_bpf *rb, struct pass *p);
void reap_bpf_close(struct reap_bpf *rb);
/* Create an iterator of link in the current namespace and hand each record
 * (of size bytes) it writes to fn, as soon as it is read. 0, fn's error,
 * or -errno. */
struct bpf_link;
int reap_iter_read(struct bpf_link *link, size_t size, int (*fn)(void *rec, void *data),
		   void *data);
/* Does this kernel's socket iterator visit every socket exactly once, even
 * while sockets are destroyed under it (6.17)? Then one pass is enough. */
bool reap_bpf_exactly_once(void);

/* The index of the sockets that processes hold as files, in every
 * namespace, from one walk (see index.c). build: fails where the kernel has
 * no task_file iterator or bpf_sock_from_file (5.11). here: the matches in
 * the current namespace, whose inode is ino, or -ENOENT when the index
 * cannot be trusted there (a socket that is not a file: not yet accepted,
 * orphaned, or a time-wait or request socket the filter asks for). */
struct reap_index;
int reap_index_build(struct reap_index **ix, const struct nk_filter *f);
struct reap_index *reap_index_new(void);	/* empty; records by reap_index_add */
void reap_index_done(struct reap_index *ix);	/* all records added */
int reap_index_probe(void);
int reap_index_add(struct reap_index *ix, const struct nk_index_rec *r);
void reap_index_free(struct reap_index *ix);
/* Where processes hold namespaces, for netns_foreach_in_hinted(). */
struct netns_hint;
size_t reap_index_hints(const struct reap_index *ix, const struct netns_hint **hints);
/* The kernel's count of a namespace's sockets in use (/proc/net/sockstat). */
struct reap_sockstat {
	unsigned int tcp, udp;	/* hashed, both families */
	unsigned int tw;	/* time-wait */
};
/* The current namespace's counts. 0 or -errno. */
int reap_sockstat_read(struct reap_sockstat *st);
/* Pure: does the index hold every socket of namespace ino the filter can
 * select, given the kernel's counts? Then its matches. */
bool reap_index_covers(const struct reap_index *ix, __u32 ino, const struct nk_filter *f,
		       const struct reap_sockstat *st, const struct nk_sock **match, size_t *n);

/* The sock_diag backend: a NETLINK_SOCK_DIAG socket of the current
 * namespace. run: dump, match with nk_sock_match, SOCK_DESTROY each match;
 * destroy: one socket found by the other backend. */
struct reap_diag;
int reap_diag_open(struct reap_diag **rd);
void reap_diag_close(struct reap_diag *rd);
int reap_diag_run(struct reap_diag *rd, const struct nk_filter *f, struct pass *p);
int reap_diag_destroy(struct reap_diag *rd, const struct nk_sock *s);
/* Pure: one message of a SOCK_DIAG_BY_FAMILY answer as a record; -EINVAL
 * if it is not one. */
struct nlmsghdr;
int reap_diag_parse(const struct nlmsghdr *nlh, __u8 proto, struct nk_sock *s);
/* The cookie of a connected socket that has none yet (asking makes one). */
int reap_diag_cookie(struct reap_diag *rd, struct nk_sock *s);
/* Can this kernel destroy sockets with SOCK_DESTROY at all? Tried on a
 * socket of our own. 0, -EOPNOTSUPP, or another -errno. */
int reap_diag_probe(void);

/* One walk: the sockets the filter selects in every namespace (or in the
 * current one only), destroyed by kill, each one handed to sock() as it is
 * found and each namespace to ns_done() when it is over. */
struct reap_ns_result {
	const char *label;	/* the namespace, as netns_ent has it */
	const char *backend;	/* "index", "bpf" or "diag" */
	int err;		/* -errno: the namespace could not be searched
				 * (opened: its backend failed; else it could
				 * not be entered) */
	bool opened;		/* entered, a backend ran */
	unsigned int matched, destroyed, failed;
};
struct reap_walk {
	/* set by the caller */
	enum backend backend;
	bool kill;
	struct nk_filter f;	/* the sockets any line may select */
	const char *here;	/* non-NULL: the current namespace only, so named */
	bool unnamed;		/* the namespaces' names are not needed */
	bool no_index;		/* no socket index (it costs a BPF load and the
				 * kernel's BTF parsed: worth it for many sockets
				 * in many namespaces, not for a few) */
	/* several filters: which take s (as pass.select); 2: destroy it */
	int (*select)(struct nk_sock *s, void *data);
	void (*sock)(const char *label, const struct nk_sock *s, void *data);
	void (*ns_done)(const struct reap_ns_result *r, void *data);
	void *data;
	/* the answer */
	enum backend used;	/* bpf or diag */
	int bpf_err;		/* why bpf could not be loaded */
	unsigned int matched, destroyed, failed, unsupported, ns_failed;
	bool cannot_destroy;	/* the kernel has no way to destroy sockets */
};
/* 0 when the walk ran (the counts say what it found), -EOPNOTSUPP when
 * backend bpf was asked for and cannot load (bpf_err says why), -EIO when
 * the original namespace could not be entered again. */
int reap_walk(struct reap_walk *w);
/* The exit code of a walk that ran: NK_EXIT_OK, _NONE, _PARTIAL, _UNSUPP. */
int reap_walk_exit(const struct reap_walk *w);

#endif
