// SPDX-License-Identifier: GPL-2.0
/* The index: every TCP and UDP socket that a process holds as a file, in
 * every namespace, from one BPF task_file iterator walk. The kernel keeps
 * one socket hash table for all namespaces that share it (the default), so
 * a socket iterator or a sock_diag dump in one namespace walks the sockets of
 * all of them: with the index, a namespace whose sockets are all files is
 * done with exact SOCK_DESTROY lookups and no walk at all. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "reap.h"
#include "sockindex.skel.h"

struct index_ns {
	__u32 ino;
	unsigned int tcp, udp;	/* distinct hashed sockets held as files */
	bool unsure;		/* a match it cannot name exactly: walk */
	struct cookie_set seen;
	struct nk_sock *match;
	size_t nmatch, cap;
};

struct reap_index {
	struct index_ns *ns;
	size_t n, cap;
	size_t last;		/* records come by process: mostly the same namespace */
};

static struct index_ns *ns_of(struct reap_index *ix, __u32 ino)
{
	if (ix->n && ix->ns[ix->last].ino == ino)
		return &ix->ns[ix->last];
	for (size_t i = 0; i < ix->n; i++)
		if (ix->ns[i].ino == ino) {
			ix->last = i;
			return &ix->ns[i];
		}
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 64;
		struct index_ns *v = realloc(ix->ns, cap * sizeof(*v));

		if (!v)
			return NULL;
		ix->ns = v;
		ix->cap = cap;
	}
	memset(&ix->ns[ix->n], 0, sizeof(ix->ns[0]));
	ix->ns[ix->n].ino = ino;
	ix->last = ix->n;
	return &ix->ns[ix->n++];
}

/* One record of the walk; the same socket comes once per fd that holds it. */
int reap_index_add(struct reap_index *ix, const struct nk_sock *s)
{
	struct index_ns *e = ns_of(ix, s->netns);
	int fresh;

	if (!e)
		return -ENOMEM;
	fresh = cookie_set_add(&e->seen, s->key);
	if (fresh <= 0)
		return fresh;
	if (s->proto == NK_PROTO_TCP)
		e->tcp++;
	else
		e->udp++;
	if (!s->result)
		return 0;
	/* Without a cookie, SOCK_DESTROY finds a socket by its addresses and
	 * ports alone: exact for a connected socket, not for one without a
	 * peer, which may share them with its SO_REUSEPORT group. */
	if (!s->cookie && !s->dport)
		e->unsure = true;
	if (e->nmatch == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct nk_sock *v = realloc(e->match, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->match = v;
		e->cap = cap;
	}
	e->match[e->nmatch] = *s;
	e->match[e->nmatch].result = 0;
	e->nmatch++;
	return 0;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return getenv("SOCKREAP_DEBUG") ? vfprintf(stderr, fmt, ap) : 0;
}

/* The loaded program and its iterator link. */
static int load(struct sockindex_bpf **skel, struct bpf_link **link, const struct nk_filter *f)
{
	int err;

	libbpf_set_print(quiet);
	*link = NULL;
	*skel = sockindex_bpf__open();
	if (!*skel)
		return -errno;
	(*skel)->bss->filter = *f;
	if ((err = sockindex_bpf__load(*skel)))
		return err;
	*link = bpf_program__attach_iter((*skel)->progs.nk_index, NULL);
	return *link ? 0 : -errno;
}

int reap_index_probe(void)
{
	struct nk_filter f = { 0 };
	struct sockindex_bpf *skel;
	struct bpf_link *link;
	int err = load(&skel, &link, &f);

	bpf_link__destroy(link);
	sockindex_bpf__destroy(skel);
	return err;
}

struct reap_index *reap_index_new(void)
{
	return calloc(1, sizeof(struct reap_index));
}

int reap_index_build(struct reap_index **out, const struct nk_filter *f)
{
	struct reap_index *ix = reap_index_new();
	struct sockindex_bpf *skel;
	struct bpf_link *link;
	struct nk_sock buf[512];
	size_t have = 0;
	int fd = -1, err;

	if (!ix)
		return -ENOMEM;
	err = load(&skel, &link, f);
	if (!err && (fd = bpf_iter_create(bpf_link__fd(link))) < 0)
		err = -errno;
	while (!err) {
		ssize_t n = read(fd, (char *)buf + have, sizeof(buf) - have);
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
		whole = have / sizeof(buf[0]);
		for (size_t i = 0; i < whole && !err; i++)
			err = reap_index_add(ix, &buf[i]);
		memmove(buf, &buf[whole], have % sizeof(buf[0]));
		have %= sizeof(buf[0]);
	}
	if (fd >= 0)
		close(fd);
	bpf_link__destroy(link);
	sockindex_bpf__destroy(skel);
	if (err) {
		reap_index_free(ix);
		return err;
	}
	*out = ix;
	return 0;
}

void reap_index_free(struct reap_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n; i++) {
		cookie_set_free(&ix->ns[i].seen);
		free(ix->ns[i].match);
	}
	free(ix->ns);
	free(ix);
}

/* "TCP: inuse N orphan N tw N ..." of the current namespace */
static int sockstat(const char *file, const char *proto, unsigned int *inuse, unsigned int *tw)
{
	char path[64], line[256];
	size_t len = strlen(proto);
	FILE *f;
	int err = -ENOENT;

	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", file);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *p;

		if (strncmp(line, proto, len) || line[len] != ':')
			continue;
		if ((p = strstr(line, " inuse ")))
			*inuse += strtoul(p + 7, NULL, 10);
		if (tw && (p = strstr(line, " tw ")))
			*tw += strtoul(p + 4, NULL, 10);
		err = 0;
	}
	fclose(f);
	return err;
}

bool reap_index_covers(const struct reap_index *ix, __u32 ino, const struct nk_filter *f,
		       const struct reap_sockstat *st, const struct nk_sock **match, size_t *n)
{
	static const struct index_ns none;
	const struct index_ns *e = &none;
	bool tcp = !f->proto_mask || f->proto_mask & NK_PROTO_TCP;
	bool udp = !f->proto_mask || f->proto_mask & NK_PROTO_UDP;

	for (size_t i = 0; i < ix->n; i++)
		if (ix->ns[i].ino == ino)
			e = &ix->ns[i];
	/* a socket the kernel counts that is not a file of ours; time-wait
	 * and request sockets are never files */
	if (e->unsure || (tcp && (st->tcp != e->tcp || (st->tw && f->state_mask & (1u << 6)) ||
		     f->state_mask & (1u << 3 | 1u << 12))) ||
	    (udp && st->udp != e->udp))
		return false;
	*match = e->match;
	*n = e->nmatch;
	return true;
}

int reap_index_here(struct reap_index *ix, __u32 ino, const struct nk_filter *f,
		    const struct nk_sock **match, size_t *n)
{
	struct reap_sockstat st = { 0 };

	if (sockstat("sockstat", "TCP", &st.tcp, &st.tw) || sockstat("sockstat6", "TCP6", &st.tcp, NULL) ||
	    sockstat("sockstat", "UDP", &st.udp, NULL) || sockstat("sockstat6", "UDP6", &st.udp, NULL))
		return -ENOENT;
	return reap_index_covers(ix, ino, f, &st, match, n) ? 0 : -ENOENT;
}
