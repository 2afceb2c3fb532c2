// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "compat.h"
#include "link.h"
#include "netkit/netkit.h"
#include "netns.h"
#include "nl.h"
#include "netkit/probe.h"

static int probe_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nk_features *f = data;
	struct nk_attrs na;
	struct link l;

	if (link_parse(nlh, &l) < 0)
		return 0;
	nk_parse_attrs(l.info_data, &na);
	memcpy(f->known, na.has, sizeof(f->known));
	f->gro_max_size = l.has_size[LINK_GRO_MAX_SIZE];
	f->ipv4_max_size = l.has_size[LINK_GSO_IPV4_MAX_SIZE];
	return 0;
}

/* In a fresh namespace of our own: create, read back. The namespace and
 * the pair in it vanish when we leave. */
static void probe_here(struct nk_features *f)
{
	struct nk_conf c = { .name = "nkprobe0" };
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct nl nl;
	int err;

	c.peer.name = "nkprobe1";
	err = nl_open(&nl, NETLINK_ROUTE);
	if (err) {
		f->err = err;
		return;
	}
	nlh = nl_request(&nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, (void **)&ifi, sizeof(*ifi));
	nk_build_add(nlh, &c, -1, NULL);
	err = nl_talk(&nl, nlh, NULL, NULL);
	if (err == -EOPNOTSUPP) {
		f->netkit = false;
	} else if (err) {
		f->err = err;
	} else {
		f->netkit = true;
		err = link_get(&nl, "nkprobe0", 0, -1, probe_cb, f);
		if (err)
			f->err = err;
	}
	nl_close(&nl);
}

const struct nk_features *nk_probe(struct nk_features *f)
{
	int saved;

	if (f->probed)
		return f;
	f->probed = true;
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		f->err = -errno;
		return f;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		f->err = -errno;
		close(saved);
		return f;
	}
	probe_here(f);
	if (netns_restore(saved) < 0 && !f->err)
		f->err = -EIO;
	return f;
}

const struct nk_attr *nk_attr_missing(const struct nk_features *f, uint64_t seen)
{
	for (size_t i = 0; i < nk_attr_count; i++) {
		const struct nk_attr *a = &nk_attr_table[i];

		if (a->kw >= 0 && a->since && (seen & (1ULL << a->kw)) && !f->known[a->type])
			return a;
	}
	return NULL;
}

/* The cache file: this boot's id, what was asked, the answer. */
struct probe_cache {
	char magic[32];		/* the answer's size and what was asked (probe_hash) */
	char boot_id[40];
	struct nk_features f;
};

/* FNV-1a of what the probe asks about: the table's probed attributes and
 * their versions. A build that probes something else does not read an
 * older build's answer. */
static uint32_t probe_hash(void)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < nk_attr_count; i++) {
		const struct nk_attr *a = &nk_attr_table[i];

		if (!a->since)
			continue;
		for (const char *s = a->word; *s; s++)
			h = (h ^ (unsigned char)*s) * 16777619u;
		for (const char *s = a->since; *s; s++)
			h = (h ^ (unsigned char)*s) * 16777619u;
		h = (h ^ (uint32_t)a->type) * 16777619u;
	}
	return h;
}

static void cache_key(struct probe_cache *c)
{
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);

	memset(c, 0, sizeof(*c));
	if (fd >= 0) {
		if (read(fd, c->boot_id, sizeof(c->boot_id) - 1) <= 0)
			c->boot_id[0] = '\0';
		close(fd);
	}
	snprintf(c->magic, sizeof(c->magic), "nkprobe %zu %08x", sizeof(struct nk_features),
		 probe_hash());
}

/* this boot's answer from path, if it is there and asked what we ask */
static bool cache_read(const char *path, const struct probe_cache *want, struct nk_features *f)
{
	struct probe_cache have;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = read(fd, &have, sizeof(have)) == sizeof(have) &&
	     !memcmp(have.magic, want->magic, sizeof(have.magic)) &&
	     !memcmp(have.boot_id, want->boot_id, sizeof(have.boot_id)) && have.f.probed && !have.f.err;
	close(fd);
	if (ok)
		*f = have.f;
	return ok;
}

/* written whole under another name, then renamed: a reader sees the old
 * file or the new one; where it cannot be written, there is no cache */
static void cache_write(const char *path, const struct probe_cache *c)
{
	char tmp[PATH_MAX], dir[PATH_MAX], *slash;
	bool ok;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	ok = write(fd, c, sizeof(*c)) == sizeof(*c);
	if (close(fd) || !ok || rename(tmp, path))
		unlink(tmp);
}

const struct nk_features *nk_probe_boot(struct nk_features *f, const char *path)
{
	struct probe_cache c;

	if (f->probed)
		return f;
	cache_key(&c);
	if (c.boot_id[0] && cache_read(path, &c, f))
		return f;
	nk_probe(f);
	if (!f->err && c.boot_id[0]) {	/* a failed probe is not kept */
		c.f = *f;
		cache_write(path, &c);
	}
	return f;
}
