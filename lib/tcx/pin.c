// SPDX-License-Identifier: GPL-2.0
/*
 * Our pins: /sys/fs/bpf/nktools/NETNS_INODE/IFINDEX/HOOK/link<ID>-<PROG>.
 * The namespace inode and ifindex key them, so same-named devices in
 * different namespaces never collide. A link pinned at a custom path gets a
 * bpffs symlink there instead, so that detach and show still find it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <bpf/bpf.h>
#include "compat.h"
#include "err.h"
#include "exit.h"
#include "netns.h"
#include "tcx/tcx.h"
#include "tcx/pins.h"


int bpffs_ensure(struct nk_ctx *ctx)
{
	int err = tcx_bpffs_ensure();

	if (err)
		return nk_fail(ctx, NULL, err, "bpffs is not mounted at " BPFFS " and cannot be mounted");
	return 0;
}

int pin_dir(const struct hook_target *t, char *buf, size_t len, bool create)
{
	return tcx_pin_dir(t->ifindex, hook_names[t->hook], buf, len, create);
}

/* Remove dir and its parents up to PIN_ROOT as long as they are empty. */
static void prune(const char *dir)
{
	char path[PATH_MAX], *slash;

	snprintf(path, sizeof(path), "%s", dir);
	while (strlen(path) > strlen(PIN_ROOT) && !strncmp(path, PIN_ROOT "/", strlen(PIN_ROOT) + 1)) {
		if (rmdir(path) < 0)
			return;
		slash = strrchr(path, '/');
		*slash = '\0';
	}
}

/* The entry of link_id in dir, at depth levels below it (0: in dir). */
static bool search(const char *dir, const char *prefix, int depth, char *path, size_t len)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(dir);

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char sub[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		if (depth == 0 && !strncmp(de->d_name, prefix, strlen(prefix))) {
			snprintf(path, len, "%s", sub);
			found = true;
		} else if (depth > 0) {
			found = search(sub, prefix, depth - 1, path, len);
		}
	}
	closedir(d);
	return found;
}

/* The directory entry for link_id, if any. Link ids are unique on the
 * host: an entry elsewhere under PIN_ROOT is the pin of a device that moved
 * to another namespace since (*moved); a command that changes the hook
 * brings it here (pin_move). */
static bool find_entry(const struct hook_target *t, uint32_t link_id, char *path, size_t len,
		       bool *moved)
{
	char dir[PATH_MAX], prefix[32];

	*moved = false;
	if (pin_dir(t, dir, sizeof(dir), false))
		return false;
	snprintf(prefix, sizeof(prefix), "link%u-", link_id);
	if (search(dir, prefix, 0, path, len))
		return true;
	*moved = search(PIN_ROOT, prefix, 3, path, len);
	return *moved;
}

int pin_move(const struct hook_target *t, const char *entry, char *path, size_t len)
{
	char dir[PATH_MAX], old[PATH_MAX], *slash;
	const char *name = strrchr(entry, '/');
	int err;

	if (!name)
		return -EINVAL;
	if ((err = pin_dir(t, dir, sizeof(dir), true)))
		return err;
	if (snprintf(path, len, "%s%s", dir, name) >= (int)len)
		return -ENAMETOOLONG;
	if (rename(entry, path))
		return -errno;
	snprintf(old, sizeof(old), "%s", entry);
	if ((slash = strrchr(old, '/'))) {
		*slash = '\0';
		prune(old);
	}
	return 0;
}


/* What show prints for an entry: the custom pin a symlink points to, or the
 * entry itself. */
static void shown_pin(const char *entry, char *buf, size_t len)
{
	char target[PATH_MAX];
	ssize_t n = readlink(entry, target, sizeof(target) - 1);

	/* a target longer than buf (tcxctl makes none): the entry itself */
	if (n > 0) {
		target[n] = '\0';
		if (snprintf(buf, len, "%s", target) < (int)len)
			return;
	}
	snprintf(buf, len, "%s", entry);
}

static struct hook_entry *by_link(struct hook_state *st, uint32_t link_id)
{
	for (uint32_t i = 0; link_id && i < st->count; i++)
		if (st->e[i].link_id == link_id)
			return &st->e[i];
	return NULL;
}

void pin_fill(const struct hook_target *t, const char *dir, struct hook_state *st)
{
	struct hook_entry *e;
	struct dirent *de;
	unsigned int id;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d))) {
		int end = 0;

		if (sscanf(de->d_name, "link%u%n", &id, &end) != 1 || de->d_name[end] != '-' ||
		    !(e = by_link(st, id)))
			continue;
		/* longer than an entry can be: not one of ours */
		if (snprintf(e->entry, sizeof(e->entry), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(e->entry)) {
			e->entry[0] = '\0';
			continue;
		}
		shown_pin(e->entry, e->pin, sizeof(e->pin));
	}
	if (d)
		closedir(d);
	/* not here: maybe the pin of a device that came from another namespace */
	for (uint32_t i = 0; i < st->count; i++) {
		char path[PATH_MAX];

		e = &st->e[i];
		if (!e->link_id || e->entry[0] ||
		    !find_entry(t, e->link_id, path, sizeof(path), &e->moved))
			continue;
		if (strlen(path) >= sizeof(e->entry))
			continue;
		memcpy(e->entry, path, strlen(path) + 1);
		shown_pin(e->entry, e->pin, sizeof(e->pin));
	}
}

static void remove_entry(const char *path)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n > 0) {
		target[n] = '\0';
		unlink(target);
	}
	unlink(path);
}

void pin_remove(const char *entry)
{
	char dir[PATH_MAX], *slash;

	if (!entry[0])
		return;
	remove_entry(entry);
	snprintf(dir, sizeof(dir), "%s", entry);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		prune(dir);
	}
}

int pin_link(const struct hook_target *t, int link_fd, uint32_t link_id, const char *name,
	     const char *custom, char *out, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX + 64];
	int err = pin_dir(t, dir, sizeof(dir), true);

	if (err)
		return err;
	tcx_pin_name(dir, link_id, name, path, sizeof(path));
	if (!custom) {
		if (bpf_obj_pin(link_fd, path))
			goto fail;
		snprintf(out, len, "%s", path);
		return 0;
	}
	if (bpf_obj_pin(link_fd, custom))
		goto fail;
	if (symlink(custom, path) < 0) {
		err = -errno;
		unlink(custom);
		prune(dir);
		return err;
	}
	snprintf(out, len, "%s", custom);
	return 0;
fail:
	err = -errno;
	prune(dir);	/* the directories made for it, if they stayed empty */
	return err;
}

/* Is the link pinned at path defunct (its device gone)? */
static bool defunct(const char *path, uint32_t *link_id)
{
	struct bpf_link_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);
	bool dead;

	*link_id = 0;
	if (fd < 0)
		return errno == ENOENT;	/* a symlink whose custom pin is gone */
	if (bpf_link_get_info_by_fd(fd, &info, &len)) {
		close(fd);
		return false;
	}
	*link_id = info.id;
	dead = info.type == BPF_LINK_TYPE_TCX ? info.tcx.ifindex == 0 :
	       info.type == BPF_LINK_TYPE_NETKIT ? info.netkit.ifindex == 0 : false;
	close(fd);
	return dead;
}

/* Each entry at depth 0 below path (directories NETNS/IFINDEX/HOOK above
 * it): fn(entry, its name, data); with prune, each directory walked is
 * removed after, if it was emptied (rmdir fails on the others). */
static void walk(const char *path, int depth, pin_walk_fn fn, void *data, bool prune_dirs)
{
	struct dirent *de;
	DIR *d;

	if (depth == 0) {
		fn(path, strrchr(path, '/') + 1, data);
		return;
	}
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char sub[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		walk(sub, depth - 1, fn, data, prune_dirs);
	}
	closedir(d);
	if (prune_dirs)
		rmdir(path);
}

void pin_walk(pin_walk_fn fn, void *data)
{
	char ns[PATH_MAX];

	if (!tcx_pin_ns_dir(ns, sizeof(ns)))
		walk(ns, 3, fn, data, false);
}

struct sweep {
	bool remove;
	void (*cb)(const char *pin, uint32_t link_id, void *data);
	void *data;
	int n;
};

static void sweep_one(const char *path, const char *name, void *data)
{
	struct sweep *sw = data;
	char shown[PATH_MAX];
	uint32_t id;
	ssize_t len;

	(void)name;
	if (!defunct(path, &id))
		return;
	len = readlink(path, shown, sizeof(shown) - 1);
	if (len > 0)
		shown[len] = '\0';
	else
		snprintf(shown, sizeof(shown), "%s", path);
	if (sw->cb)
		sw->cb(shown, id, sw->data);
	if (sw->remove)
		remove_entry(path);
	sw->n++;
}

int pin_sweep_defunct(bool remove, void (*cb)(const char *pin, uint32_t link_id, void *data),
		      void *data)
{
	struct sweep sw = { remove, cb, data, 0 };
	char ns[PATH_MAX];

	if (tcx_pin_ns_dir(ns, sizeof(ns)))
		return 0;
	walk(ns, 3, sweep_one, &sw, remove);
	return sw.n;
}
