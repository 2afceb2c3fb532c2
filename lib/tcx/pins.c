// SPDX-License-Identifier: GPL-2.0
/* Where our pinned links live; see pins.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include "compat.h"
#include "netns.h"
#include "tcx/pins.h"

int tcx_bpffs_ensure(void)
{
	struct statfs st;

	if (statfs(BPFFS, &st) == 0 && (unsigned long)st.f_type == NK_BPF_FS_MAGIC)
		return 0;
	return mount("bpf", BPFFS, "bpf", 0, "mode=0700") < 0 ? -errno : 0;
}

int tcx_mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int tcx_pin_ns_dir(char *buf, size_t len)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	ino_t ino;
	int err;

	if (fd < 0)
		return -errno;
	err = netns_ino(fd, &ino);
	close(fd);
	if (err)
		return err;
	snprintf(buf, len, PIN_ROOT "/%lu", (unsigned long)ino);
	return 0;
}

int tcx_pin_dir(int ifindex, const char *hook, char *buf, size_t len, bool create)
{
	char ns[PATH_MAX];
	int err = tcx_pin_ns_dir(ns, sizeof(ns));

	if (err)
		return err;
	if (snprintf(buf, len, "%s/%d/%s", ns, ifindex, hook) >= (int)len)
		return -ENAMETOOLONG;
	return create ? tcx_mkdirs(buf) : 0;
}
