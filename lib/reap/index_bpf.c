// SPDX-License-Identifier: GPL-2.0
/* The socket index's system side: the BPF task_file walk that feeds it
 * (sockindex.bpf.c) and the kernel's socket counts it is checked against. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "reap/reap.h"
#include "sockindex.skel.h"

/* The loaded programs and their iterator links. */
struct loaded {
	struct sockindex_bpf *skel;
	struct bpf_link *tasks, *files;
};

static void unload(struct loaded *l)
{
	bpf_link__destroy(l->tasks);
	bpf_link__destroy(l->files);
	sockindex_bpf__destroy(l->skel);
}

static int load(struct loaded *l, const struct nk_filter *f)
{
	int err;

	memset(l, 0, sizeof(*l));
	l->skel = sockindex_bpf__open();
	if (!l->skel)
		return -errno;
	memcpy((void *)&l->skel->rodata->filter, f, sizeof(*f));
	if ((err = sockindex_bpf__load(l->skel)))
		return err;
	l->tasks = bpf_program__attach_iter(l->skel->progs.nk_index_tasks, NULL);
	if (!l->tasks)
		return -errno;
	l->files = bpf_program__attach_iter(l->skel->progs.nk_index, NULL);
	return l->files ? 0 : -errno;
}

int reap_index_probe(void)
{
	struct nk_filter f = { 0 };
	struct loaded l;
	int err = load(&l, &f);

	unload(&l);
	return err;
}

static int add(void *r, void *ix)
{
	return reap_index_add(ix, r);
}

int reap_index_build(struct reap_index **out, const struct nk_filter *f)
{
	struct reap_index *ix = reap_index_new();
	struct loaded l;
	int err;

	if (!ix)
		return -ENOMEM;
	err = load(&l, f);
	if (!err)
		err = reap_iter_read(l.tasks, sizeof(struct nk_index_rec), add, ix);
	if (!err)
		err = reap_iter_read(l.files, sizeof(struct nk_index_rec), add, ix);
	unload(&l);
	reap_index_done(ix);
	if (err) {
		reap_index_free(ix);
		return err;
	}
	*out = ix;
	return 0;
}
