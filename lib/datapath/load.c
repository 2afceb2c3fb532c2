// SPDX-License-Identifier: GPL-2.0
/*
 * The data path's programs: loaded from the embedded skeleton once per host
 * namespace and nktools build, and pinned there as
 * datapath/PROG-BUILD (BUILD: a hash of the BPF object), so that an ADD
 * attaches what is pinned instead of loading and verifying the programs
 * again; a new build loads its own, moves every link of ours in the
 * namespace to them, and removes the older pins; a map pinned with an
 * older layout is replaced, its entries carried. The namespace's lock (a
 * file in /run/nktools) is held from load to free: two ADDs never pin the
 * same map or attach the same uplink twice.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "datapath/dp.h"
#include "lock.h"
#include "tcx/pins.h"
#include "tcx/tcx.h"
#include "datapath.skel.h"

#define LOCK_DIR "/run/nktools"

enum { P_FROM_POD, P_TO_POD, P_FROM_WIRE, P_PACE_OUT, P_PACE_IN, P_N };
static const char *const prog_names[P_N] = {
	"nk_dp_from_pod", "nk_dp_to_pod", NK_DP_WIRE_PROG, NK_DP_PACE_OUT_PROG, NK_DP_PACE_IN_PROG,
};

struct nk_dp {
	int lock_fd;
	int prog_fd[P_N];
	uint32_t prog_id[P_N];
	int uplinks_fd;
};

int nk_dp_dir(char *buf, size_t len)
{
	char ns[PATH_MAX];
	int err = tcx_pin_ns_dir(ns, sizeof(ns));

	if (err)
		return err;
	return snprintf(buf, len, "%s/" NK_DP_PIN_DIR, ns) >= (int)len ? -ENAMETOOLONG : 0;
}

/* FNV-1a of the BPF object: which build the pinned programs are of */
static uint32_t build_hash(void)
{
	size_t sz;
	const unsigned char *b = datapath_bpf__elf_bytes(&sz);
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < sz; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static int lock_ns(const char *dir)
{
	struct stat st;
	char path[PATH_MAX];

	if (stat(dir, &st))
		return -errno;
	if (mkdir(LOCK_DIR, 0700) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), LOCK_DIR "/datapath-%lu.lock", (unsigned long)st.st_ino);
	return nk_lock_open(path, LOCK_EX);
}

/* the pinned programs of this build: 0, or -ENOENT (none kept open) when
 * one is missing */
static int get_pinned(struct nk_dp *dp, const char *dir, uint32_t build)
{
	char path[PATH_MAX + 64];

	for (int i = 0; i < P_N; i++) {
		snprintf(path, sizeof(path), "%s/%s-%08x", dir, prog_names[i], build);
		dp->prog_fd[i] = bpf_obj_get(path);
		if (dp->prog_fd[i] < 0) {
			int err = -errno;

			while (i-- > 0) {
				close(dp->prog_fd[i]);
				dp->prog_fd[i] = -1;
			}
			return err;
		}
	}
	return 0;
}

/* pins of programs of other builds go (their links keep them alive) */
static void unpin_others(const char *dir, uint32_t build)
{
	char keep[16], path[PATH_MAX + 256];
	struct dirent *de;
	DIR *d = opendir(dir);

	snprintf(keep, sizeof(keep), "-%08x", build);
	while (d && (de = readdir(d))) {
		const char *dash = strrchr(de->d_name, '-');

		if (strncmp(de->d_name, "nk_dp_", 6) || !dash || strlen(dash) != 9 || !strcmp(dash, keep))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) < (int)sizeof(path))
			unlink(path);
	}
	if (d)
		closedir(d);
}

/* A pinned map of another layout (an older build's), set aside for load_skel
 * to carry its entries into the new one */
struct aside {
	int fd;
	struct bpf_map *map;
};

static bool same_layout(const struct bpf_map_info *info, const struct bpf_map *map)
{
	return info->type == bpf_map__type(map) && info->key_size == bpf_map__key_size(map) &&
	       info->value_size == bpf_map__value_size(map) &&
	       info->max_entries == bpf_map__max_entries(map) &&
	       info->map_flags == bpf_map__map_flags(map);
}

/* Unpin the maps whose pins have another layout than this build's, so that
 * the load makes new ones; their fds go to aside[] (n of them). */
static int set_aside(struct bpf_object *obj, struct aside *aside, int max, int *n)
{
	struct bpf_map *map;

	*n = 0;
	bpf_object__for_each_map(map, obj) {
		struct bpf_map_info info = { 0 };
		__u32 len = sizeof(info);
		const char *path = bpf_map__pin_path(map);
		int fd;

		if (!path || (fd = bpf_obj_get(path)) < 0)
			continue;	/* not pinned, or not yet */
		if (!bpf_map_get_info_by_fd(fd, &info, &len) && same_layout(&info, map)) {
			close(fd);
			continue;
		}
		if (*n == max || unlink(path)) {
			int err = *n == max ? -E2BIG : -errno;

			close(fd);
			return err;
		}
		aside[(*n)++] = (struct aside){ fd, map };
	}
	return 0;
}

/* The entries of an older layout's map, carried into the new one: a key is
 * the same or nothing is carried, a value's fields are only ever appended
 * (the old value is the new one's start, the rest zero). Hash maps only
 * (the per-CPU scratch has nothing to carry). */
static int carry(const struct aside *a)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info), vsz = bpf_map__value_size(a->map);
	enum bpf_map_type type = bpf_map__type(a->map);
	unsigned char key[64], next[64], *val;
	int fd = bpf_map__fd(a->map), err = 0;
	void *prev = NULL;

	if (bpf_map_get_info_by_fd(a->fd, &info, &len))
		return -errno;
	if ((type != BPF_MAP_TYPE_HASH && type != BPF_MAP_TYPE_LRU_HASH) || info.type != type ||
	    info.key_size != bpf_map__key_size(a->map) || info.key_size > sizeof(key))
		return 0;
	if (!(val = malloc(vsz)))
		return -ENOMEM;
	while (!err && !bpf_map_get_next_key(a->fd, prev, next)) {
		memcpy(key, next, info.key_size);
		prev = key;
		if (nk_dp_value_get(a->fd, key, info.key_size, val, vsz))
			continue;	/* gone meanwhile */
		if (bpf_map_update_elem(fd, key, val, BPF_NOEXIST) && errno != EEXIST)
			err = -errno;
	}
	free(val);
	return err;
}

/* A pinned link of ours (link<ID>-<PROG>) to this build's program of its
 * name: the pods of an older build, and their maps, are this build's too.
 * A link whose device went is skipped. */
struct relink {
	const struct nk_dp *dp;
	int err;
};

static void relink_one(const char *path, const char *name, void *data)
{
	struct relink *r = data;
	struct bpf_link_info info = { 0 };
	__u32 len = sizeof(info);
	unsigned int id;
	int i = 0, end = 0, fd;

	if (r->err || sscanf(name, "link%u%n", &id, &end) != 1 || name[end] != '-')
		return;
	while (i < P_N && strcmp(name + end + 1, prog_names[i]))
		i++;
	if (i == P_N || (fd = bpf_obj_get(path)) < 0)
		return;
	if (!bpf_link_get_info_by_fd(fd, &info, &len) && info.prog_id != r->dp->prog_id[i] &&
	    bpf_link_update(fd, r->dp->prog_fd[i], NULL) && errno != ENOLINK)
		r->err = -errno;
	close(fd);
}

/* The programs' ids (dp->prog_fd[] open) */
static int prog_ids(struct nk_dp *dp)
{
	for (int i = 0; i < P_N; i++) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);

		if (bpf_prog_get_info_by_fd(dp->prog_fd[i], &info, &len))
			return -errno;
		dp->prog_id[i] = info.id;
	}
	return 0;
}

/* This build's programs, loaded with the namespace's maps (an older
 * layout's carried into new ones), every link of ours moved to them, then
 * pinned (an interrupted upgrade is done again by the next load) */
static int load_skel(struct nk_dp *dp, const char *dir, uint32_t build, const char **step)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = dir);
	struct datapath_bpf *skel;
	struct bpf_program *progs[P_N];
	struct aside aside[16];
	char path[PATH_MAX + 64];
	int err = 0, n = 0;

	*step = "open the BPF object";
	skel = datapath_bpf__open_opts(&opts);
	if (!skel)
		return -errno;
	*step = "set aside the maps of an older layout";
	err = set_aside(skel->obj, aside, 16, &n);
	if (!err) {
		*step = "load the programs (with the maps pinned in " NK_DP_PIN_DIR "/)";
		err = datapath_bpf__load(skel);
	}
	for (int i = 0; i < n; i++) {
		if (err)	/* as they were */
			bpf_obj_pin(aside[i].fd, bpf_map__pin_path(aside[i].map));
		else if ((err = carry(&aside[i])))
			*step = "carry the entries of an older layout's map";
		close(aside[i].fd);
	}
	progs[P_FROM_POD] = skel->progs.nk_dp_from_pod;
	progs[P_TO_POD] = skel->progs.nk_dp_to_pod;
	progs[P_FROM_WIRE] = skel->progs.nk_dp_from_wire;
	progs[P_PACE_OUT] = skel->progs.nk_dp_pace_out;
	progs[P_PACE_IN] = skel->progs.nk_dp_pace_in;
	for (int i = 0; !err && i < P_N; i++)
		if ((dp->prog_fd[i] = dup(bpf_program__fd(progs[i]))) < 0)
			err = -errno;
	if (!err) {
		*step = "read the programs' ids";
		err = prog_ids(dp);
	}
	if (!err) {
		struct relink r = { dp, 0 };

		*step = "move the links of an older build to this one's programs";
		pin_walk(relink_one, &r);
		err = r.err;
	}
	if (!err)
		*step = "pin the programs";
	for (int i = 0; !err && i < P_N; i++) {
		snprintf(path, sizeof(path), "%s/%s-%08x", dir, prog_names[i], build);
		unlink(path);	/* a half-made set of an earlier, interrupted load */
		if (bpf_obj_pin(dp->prog_fd[i], path))
			err = -errno;
	}
	datapath_bpf__destroy(skel);
	if (!err)
		unpin_others(dir, build);
	return err;
}

int nk_dp_load(struct nk_dp **out, const char **step)
{
	struct nk_dp *dp = calloc(1, sizeof(*dp));
	char dir[PATH_MAX], path[PATH_MAX + 32];
	uint32_t build = build_hash();
	int err;

	if (!dp)
		return -ENOMEM;
	dp->lock_fd = dp->uplinks_fd = -1;
	for (int i = 0; i < P_N; i++)
		dp->prog_fd[i] = -1;
	*step = "mount bpffs";
	err = tcx_bpffs_ensure();
	*step = "make the data path's pin directory";
	if (!err && !(err = nk_dp_dir(dir, sizeof(dir))))
		err = tcx_mkdirs(dir);
	*step = "lock the data path (" LOCK_DIR ")";
	if (!err && (dp->lock_fd = lock_ns(dir)) < 0)
		err = dp->lock_fd;
	if (!err && get_pinned(dp, dir, build)) {
		err = load_skel(dp, dir, build, step);
	} else if (!err) {
		*step = "read the programs' ids";
		err = prog_ids(dp);
	}
	if (!err) {
		*step = "open the uplink map";
		snprintf(path, sizeof(path), "%s/" NK_DP_UPLINKS, dir);
		if ((dp->uplinks_fd = bpf_obj_get(path)) < 0)
			err = -errno;
	}
	if (err) {
		nk_dp_free(dp);
		return err;
	}
	*out = dp;
	return 0;
}

void nk_dp_free(struct nk_dp *dp)
{
	if (!dp)
		return;
	for (int i = 0; i < P_N; i++)
		if (dp->prog_fd[i] >= 0)
			close(dp->prog_fd[i]);
	if (dp->uplinks_fd >= 0)
		close(dp->uplinks_fd);
	if (dp->lock_fd >= 0)
		close(dp->lock_fd);
	free(dp);
}

/* link prog to ifindex's hook, first or last, pinned in our layout (pin_link) */
static int attach(struct nk_dp *dp, int prog, int ifindex, enum hook hook, bool first)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = first ? BPF_F_BEFORE : 0);
	struct bpf_link_info info = { 0 };
	__u32 ilen = sizeof(info);
	struct hook_target t;
	char pin[PATH_MAX];
	int fd, err;

	hook_target_init(&t, "", ifindex, hook);
	fd = bpf_link_create(dp->prog_fd[prog], ifindex, t.type, &opts);
	if (fd < 0)
		return -errno;
	err = bpf_link_get_info_by_fd(fd, &info, &ilen) ? -errno : 0;
	if (!err)
		err = pin_link(&t, fd, info.id, prog_names[prog], NULL, pin, sizeof(pin));
	close(fd);	/* unpinned, the link goes with it */
	return err;
}

int nk_dp_attach_pod(struct nk_dp *dp, int ifindex)
{
	int err = attach(dp, P_FROM_POD, ifindex, HOOK_PEER, false);

	return err ? err : attach(dp, P_TO_POD, ifindex, HOOK_PRIMARY, true);
}

int nk_dp_attach_bw(struct nk_dp *dp, int ifindex, bool egress, bool ingress)
{
	int err = egress ? attach(dp, P_PACE_OUT, ifindex, HOOK_PEER, false) : 0;

	return err || !ingress ? err : attach(dp, P_PACE_IN, ifindex, HOOK_EGRESS, false);
}

/* Our wire link pinned for ifindex, if any: kept (same program), updated
 * (another build's), or its pin removed (defunct). 1 if it is there now. */
static int wire_link(struct nk_dp *dp, int ifindex)
{
	char dir[PATH_MAX], path[PATH_MAX + 300], suffix[64];
	struct dirent *de;
	int found = 0, err = 0;
	DIR *d;

	if (tcx_pin_dir(ifindex, "ingress", dir, sizeof(dir), false) || !(d = opendir(dir)))
		return 0;
	snprintf(suffix, sizeof(suffix), "-%s", NK_DP_WIRE_PROG);
	while (!found && !err && (de = readdir(d))) {
		struct bpf_link_info info = { 0 };
		__u32 ilen = sizeof(info);
		size_t n = strlen(de->d_name);
		int fd;

		if (strncmp(de->d_name, "link", 4) || n <= strlen(suffix) ||
		    strcmp(de->d_name + n - strlen(suffix), suffix))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((fd = bpf_obj_get(path)) < 0)
			continue;
		if (bpf_link_get_info_by_fd(fd, &info, &ilen) || info.tcx.ifindex != (__u32)ifindex ||
		    info.tcx.attach_type != BPF_TCX_INGRESS) {
			unlink(path);	/* defunct: its device went */
		} else if (info.prog_id == dp->prog_id[P_FROM_WIRE]) {
			found = 1;
		} else {
			/* another build's: the same link, the new program, no gap */
			err = bpf_link_update(fd, dp->prog_fd[P_FROM_WIRE], NULL) ? -errno : 0;
			found = !err;
		}
		close(fd);
	}
	closedir(d);
	return err ? err : found;
}

int nk_dp_attach_uplink(struct nk_dp *dp, int ifindex)
{
	__u32 key = ifindex, one = 1;
	int err = wire_link(dp, ifindex);

	if (err == 0)
		err = attach(dp, P_FROM_WIRE, ifindex, HOOK_INGRESS, false);
	else if (err > 0)
		err = 0;
	if (!err)
		err = nk_dp_value_put(dp->uplinks_fd, &key, sizeof(key), &one, sizeof(one));
	return err;
}
