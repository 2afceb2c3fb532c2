// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "grow.h"
#include "compat.h"
#include "netns.h"
#include "set.h"

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int check_netns(int fd)
{
	int type = ioctl(fd, NS_GET_NSTYPE);

	if (type < 0)
		return errno == ENOTTY ? -EINVAL : -errno;
	return type == CLONE_NEWNET ? 0 : -EINVAL;
}

int netns_open(const char *spec)
{
	char path[PATH_MAX];
	int fd, err;

	if (!*spec)
		return -EINVAL;
	if (strchr(spec, '/'))
		snprintf(path, sizeof(path), "%s", spec);
	else if (all_digits(spec))
		snprintf(path, sizeof(path), "/proc/%s/ns/net", spec);
	else
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, spec);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = check_netns(fd);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int netns_enter(int fd, int *saved)
{
	if (saved) {
		*saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (*saved < 0)
			return -errno;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		int err = -errno;

		if (saved) {
			close(*saved);
			*saved = -1;
		}
		return err;
	}
	return 0;
}

int netns_restore(int saved)
{
	int err = 0;

	if (saved < 0)
		return 0;
	if (setns(saved, CLONE_NEWNET) < 0)
		err = -errno;
	close(saved);
	return err;
}

int netns_ino(int fd, ino_t *ino)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	*ino = st.st_ino;
	return 0;
}

int netns_named_foreach(int (*cb)(const char *name, const char *path, void *data), void *data)
{
	DIR *d = opendir(NETNS_RUN_DIR);
	struct dirent *de;
	int ret = 0;

	while (d && !ret && (de = readdir(d))) {
		char path[PATH_MAX];

		if (de->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, de->d_name) >= (int)sizeof(path))
			continue;
		ret = cb(de->d_name, path, data);
	}
	if (d)
		closedir(d);
	return ret;
}

struct name_of {
	ino_t ino;
	char *buf;
	size_t len;
};

static int name_of_cb(const char *name, const char *path, void *data)
{
	struct name_of *n = data;
	struct stat st;

	if (stat(path, &st) < 0 || st.st_ino != n->ino)
		return 0;
	snprintf(n->buf, n->len, "%s", name);
	return 1;
}

bool netns_name_of(ino_t ino, char *buf, size_t len)
{
	struct name_of n = { ino, buf, len };

	return netns_named_foreach(name_of_cb, &n) == 1;
}

struct walk {
	struct nk_set seen;	/* the namespace inodes visited */
	bool unnamed;		/* no names looked for */
	dev_t nsfs_dev;		/* the nsfs filesystem's device */
	netns_cb cb;
	netns_fail_cb failed;
	void *data;
	int stop;
};

/* A candidate that cannot be opened: reported, unless it went away (its
 * /run/netns entry is gone: deleted while we walk) or is expected to
 * (quiet: a process's task or fd). */
static void cannot(struct walk *w, const char *path, const char *label, bool quiet, int err)
{
	struct stat st;

	if (quiet || !w->failed || (err == -ENOENT && lstat(path, &st) < 0 && errno == ENOENT))
		return;
	w->failed(label, err, w->data);
}

/* Visit the namespace of fd (ours: closed here) unless it was seen. */
static void visit_fd(struct walk *w, int fd, const char *label, bool current, bool is_net)
{
	struct netns_ent ent = { .current = current, .fd = fd };
	int added;

	if (w->stop || netns_ino(fd, &ent.ino) < 0 || nk_set_has(&w->seen, ent.ino) ||
	    (!is_net && check_netns(fd) < 0) || (added = nk_set_add(&w->seen, ent.ino)) == 0) {
		close(fd);
		return;
	}
	if (added < 0) {	/* not a word lost: say which one was skipped */
		close(fd);
		if (w->failed)
			w->failed(label, added, w->data);
		return;
	}
	/* a namespace with a name was visited by it already, but the current */
	if (!current || w->unnamed || !netns_name_of(ent.ino, ent.label, sizeof(ent.label)))
		snprintf(ent.label, sizeof(ent.label), "%s", label);
	w->stop = w->cb(&ent, w->data);
	close(fd);
}

/* Visit the namespace at path unless it was seen. */
static void visit(struct walk *w, const char *path, const char *label, bool quiet, bool current)
{
	struct stat st;
	int fd;

	if (w->stop)
		return;
	/* cheap dedup before opening: nsfs inodes are the namespace ids */
	if (stat(path, &st) < 0) {
		cannot(w, path, label, quiet, -errno);
		return;
	}
	if (nk_set_has(&w->seen, st.st_ino))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cannot(w, path, label, quiet, -errno);
		return;
	}
	visit_fd(w, fd, label, current, false);
}

static int walk_named_cb(const char *name, const char *path, void *data)
{
	struct walk *w = data;

	visit(w, path, name, false, false);
	return w->stop != 0;	/* the caller's callback asked to stop */
}

static void walk_named(struct walk *w)
{
	netns_named_foreach(walk_named_cb, w);
}

/* nsfs bind mounts anywhere (docker, CNI, systemd). */
static void walk_mounts(struct walk *w)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return;
	while (getline(&line, &cap, f) >= 0) {
		char root[PATH_MAX], mnt[PATH_MAX], *sep;

		/* id parent maj:min root mountpoint opts... - fstype source ... */
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2)
			continue;
		sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "nsfs ", 5) || strncmp(root, "net:[", 5))
			continue;
		visit(w, mnt, mnt, false, false);
	}
	free(line);
	fclose(f);
}

/* Namespaces held only by processes: their threads and open fds. */
static void walk_procs(struct walk *w)
{
	DIR *proc = opendir("/proc");
	struct dirent *pe;

	if (!proc)
		return;
	while (!w->stop && (pe = readdir(proc))) {
		char path[PATH_MAX], label[300];
		DIR *d;
		struct dirent *de;

		if (!all_digits(pe->d_name))
			continue;
		snprintf(label, sizeof(label), "pid %s", pe->d_name);
		snprintf(path, sizeof(path), "/proc/%s/task", pe->d_name);
		d = opendir(path);
		if (d) {
			while ((de = readdir(d))) {
				if (!all_digits(de->d_name))
					continue;
				snprintf(path, sizeof(path), "/proc/%s/task/%s/ns/net",
					 pe->d_name, de->d_name);
				visit(w, path, label, true, false);
			}
			closedir(d);
		}
		snprintf(path, sizeof(path), "/proc/%s/fd", pe->d_name);
		d = opendir(path);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			char target[64];
			struct stat st;
			ssize_t n;

			/* relative to the open directory: no path walk per fd */
			n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			/* "net:[INO]", or the path of an nsfs bind mount it was
			 * opened by (just "/" once that is unmounted) */
			if (strncmp(target, "net:[", 5) &&
			    (target[0] != '/' || fstatat(dirfd(d), de->d_name, &st, 0) < 0 ||
			     st.st_dev != w->nsfs_dev))
				continue;
			snprintf(path, sizeof(path), "/proc/%s/fd/%s", pe->d_name, de->d_name);
			visit(w, path, label, true, false);
		}
		closedir(d);
	}
	closedir(proc);
}

/* listns(2): every active network namespace by id, each opened by its nsfs
 * file handle: no /proc walk. Returns -ENOSYS before 6.19. */
static long listns_page(__u64 last, __u64 *ids, size_t nr)
{
	struct nk_ns_id_req req = {
		.size = NK_NS_ID_REQ_SIZE_VER0,
		.ns_id = last,
		.ns_type = CLONE_NEWNET,
	};

	return syscall(NK_NR_listns, &req, ids, nr, 0);
}

static int open_ns_id(__u64 id)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + sizeof(struct nk_nsfs_file_handle)];
	} h;
	struct nk_nsfs_file_handle nfh = { .ns_id = id };

	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = sizeof(nfh);
	h.fh.handle_type = NK_FILEID_NSFS;
	memcpy(h.fh.f_handle, &nfh, sizeof(nfh));
	return open_by_handle_at(NK_FD_NSFS_ROOT, &h.fh, O_RDONLY | O_CLOEXEC);
}

static int walk_listns(struct walk *w)
{
	__u64 ids[256], last = 0;
	long n;

	do {
		n = listns_page(last, ids, sizeof(ids) / sizeof(ids[0]));
		if (n < 0)
			return -errno;
		for (long i = 0; i < n && !w->stop; i++) {
			char label[64];
			int fd = open_ns_id(ids[i]);

			last = ids[i];
			if (fd < 0)
				continue;	/* it went away since the list */
			snprintf(label, sizeof(label), "netns id %llu", (unsigned long long)ids[i]);
			visit_fd(w, fd, label, false, true);	/* listns: network ones */
		}
	} while (n == (long)(sizeof(ids) / sizeof(ids[0])) && !w->stop);
	return 0;
}

const char *netns_walk_method(void)
{
	__u64 id;

	return listns_page(0, &id, 1) >= 0 ? "listns" : "proc";
}

static int foreach(netns_cb cb, netns_fail_cb failed, void *data,
		   const struct netns_hint *hints, size_t n, bool unnamed)
{
	struct walk w = { .cb = cb, .failed = failed, .data = data, .unnamed = unnamed };
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) == 0)
		w.nsfs_dev = st.st_dev;
	visit(&w, "/proc/thread-self/ns/net", "current", false, true);
	/* unnamed, with listns: the names (and the bind mounts that hold them)
	 * are not looked for */
	if (!unnamed || strcmp(netns_walk_method(), "listns")) {
		walk_named(&w);
		walk_mounts(&w);
	}
	if (walk_listns(&w) < 0) {
		if (hints)
			for (size_t i = 0; i < n; i++)	/* may have gone since */
				visit(&w, hints[i].path, hints[i].label, true, false);
		else
			walk_procs(&w);
	}
	nk_set_free(&w.seen);
	return w.stop;
}

int netns_foreach(netns_cb cb, netns_fail_cb failed, void *data)
{
	return foreach(cb, failed, data, NULL, 0, false);
}

struct inside {
	netns_cb cb;
	netns_fail_cb failed;
	void *data;
	int saved;		/* the caller's namespace, once we left it */
};

/* Into each namespace in turn, straight from the one before: the caller's
 * is restored once, at the end (foreach's own work does not depend on the
 * network namespace: paths, nsfs fds, /proc). */
static int enter_and_call(const struct netns_ent *ns, void *data)
{
	struct inside *in = data;
	int err = 0;

	if (in->saved < 0 && (in->saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		err = -errno;
	if (!err && setns(ns->fd, CLONE_NEWNET) < 0)
		err = -errno;
	if (err) {
		if (in->failed)
			in->failed(ns->label, err, in->data);
		return 0;
	}
	return in->cb(ns, in->data);
}

/* netns_foreach() hands its own data to failed(): give the caller's */
static void failed_inside(const char *label, int err, void *data)
{
	struct inside *in = data;

	if (in->failed)
		in->failed(label, err, in->data);
}

int netns_foreach_in(netns_cb cb, netns_fail_cb failed, void *data)
{
	return netns_foreach_in_hinted(cb, failed, data, NULL, 0);
}

int netns_foreach_in_hinted(netns_cb cb, netns_fail_cb failed, void *data,
			    const struct netns_hint *hints, size_t n)
{
	return netns_foreach_in_opts(cb, failed, data, hints, n, false);
}

int netns_foreach_in_opts(netns_cb cb, netns_fail_cb failed, void *data,
			  const struct netns_hint *hints, size_t n, bool unnamed)
{
	struct inside in = { cb, failed, data, -1 };
	int ret = foreach(enter_and_call, failed_inside, &in, hints, n, unnamed);

	if (in.saved >= 0 && netns_restore(in.saved) < 0)
		return 1;	/* cannot go back: as a stop, the caller says so */
	return ret;
}
