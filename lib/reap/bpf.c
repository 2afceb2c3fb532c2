// SPDX-License-Identifier: GPL-2.0
/* The BPF backend: iter/tcp and iter/udp with bpf_sock_destroy, loaded once
 * from the embedded skeleton; an iterator is created in each namespace,
 * because it walks the namespace of the thread that creates it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "reap/reap.h"
#include "sockreap.skel.h"

struct reap_bpf {
	struct sockreap_bpf *skel;
	struct bpf_link *tcp, *udp;
	const struct nk_filter *f;
};

int reap_bpf_open(struct reap_bpf **out, const struct nk_filter *f, bool destroy)
{
	struct reap_bpf *rb = calloc(1, sizeof(*rb));
	int err;

	if (!rb)
		return -ENOMEM;
	rb->f = f;
	rb->skel = sockreap_bpf__open();
	if (!rb->skel) {
		err = -errno;
		goto fail;
	}
	memcpy((void *)&rb->skel->rodata->filter, f, sizeof(*f));
	rb->skel->bss->destroy = destroy;
	err = sockreap_bpf__load(rb->skel);	/* fails without bpf_sock_destroy */
	if (err)
		goto fail;
	rb->tcp = bpf_program__attach_iter(rb->skel->progs.nk_reap_tcp, NULL);
	rb->udp = bpf_program__attach_iter(rb->skel->progs.nk_reap_udp, NULL);
	if (!rb->tcp || !rb->udp) {
		err = -errno;
		goto fail;
	}
	*out = rb;
	return 0;
fail:
	reap_bpf_close(rb);
	return err ? err : -EINVAL;
}

void reap_bpf_close(struct reap_bpf *rb)
{
	if (!rb)
		return;
	bpf_link__destroy(rb->tcp);
	bpf_link__destroy(rb->udp);
	sockreap_bpf__destroy(rb->skel);
	free(rb);
}

int reap_iter_read(struct bpf_link *link, size_t size, int (*fn)(void *rec, void *data),
		   void *data)
{
	_Alignas(8) char buf[512 * sizeof(struct nk_index_rec)];
	int fd = bpf_iter_create(bpf_link__fd(link)), err = 0;
	size_t have = 0;

	if (fd < 0)
		return -errno;
	while (!err) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - have);
		size_t whole;

		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		have += n;
		whole = have / size;
		for (size_t i = 0; i < whole && !err; i++)
			err = fn(buf + i * size, data);
		/* a record is written whole; keep a torn tail for safety */
		memmove(buf, buf + whole * size, have % size);
		have %= size;
	}
	close(fd);
	return err;
}

static int emit(void *s, void *pass)
{
	return pass_emit(pass, s);
}

/* One iterator in the current namespace; each record goes to the pass as
 * soon as it is read. */
static int walk(struct bpf_link *link, struct pass *p)
{
	return reap_iter_read(link, sizeof(struct nk_sock), emit, p);
}

int reap_bpf_run(struct reap_bpf *rb, struct pass *p)
{
	int err = 0;

	if (!rb->f->proto_mask || rb->f->proto_mask & NK_PROTO_TCP)
		err = walk(rb->tcp, p);
	if (!err && (!rb->f->proto_mask || rb->f->proto_mask & NK_PROTO_UDP))
		err = walk(rb->udp, p);
	return err;
}

bool reap_bpf_exactly_once(void)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;

	/* exactly-once iteration: UDP since 6.16, TCP since 6.17 */
	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 17);
}
