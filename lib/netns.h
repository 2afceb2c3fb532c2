/* SPDX-License-Identifier: GPL-2.0 */
/* Network namespaces: open by NAME, PATH or PID, enter and restore, and
 * enumerate every namespace on the host. */
#ifndef NK_NETNS_H
#define NK_NETNS_H

#include <stdbool.h>
#include <sys/types.h>

#define NETNS_RUN_DIR "/run/netns"

/* NAME (in /run/netns), PATH (contains a '/') or PID (all digits). Returns
 * an O_CLOEXEC fd of a network namespace, or -errno (-EINVAL when the file
 * is not a network namespace). */
int netns_open(const char *spec);

/* setns() into fd; if saved is not NULL, *saved gets an fd of the namespace
 * we were in, for netns_restore(). Returns 0 or -errno. */
int netns_enter(int fd, int *saved);
/* Go back to saved and close it. */
int netns_restore(int saved);

/* Identity of a namespace (the nsfs inode). */
int netns_ino(int fd, ino_t *ino);

struct netns_ent {
	int fd;			/* open, valid during the callback */
	ino_t ino;
	char label[256];	/* "NAME" for /run/netns, a path, or "pid N" */
	bool current;		/* the namespace this process started in */
};

/* Called for each namespace, current one first, each one once. Return
 * non-zero to stop. failed() (may be NULL) hears of candidates that
 * could not be opened (they vanished, or no permission). */
typedef int (*netns_cb)(const struct netns_ent *ns, void *data);
typedef void (*netns_fail_cb)(const char *label, int err, void *data);
int netns_foreach(netns_cb cb, netns_fail_cb failed, void *data);

/* The same, but each callback runs inside its namespace (setns), and the
 * caller's namespace is restored after it; a namespace that cannot be
 * entered goes to failed(). */
int netns_foreach_in(netns_cb cb, netns_fail_cb failed, void *data);

/* netns_foreach_in(), told by the caller where processes hold namespaces
 * (a task's /proc/TID/ns/net, a /proc/PID/fd/FD), found in a cheaper way
 * than the /proc scan it replaces. listns, where there is one, goes first. */
struct netns_hint {
	char path[64];
	char label[32];
};
int netns_foreach_in_hinted(netns_cb cb, netns_fail_cb failed, void *data,
			    const struct netns_hint *hints, size_t n);
/* ... and unnamed: where listns lists every namespace, the names of
 * /run/netns and of bind mounts are not looked for (labels "netns id N"). */
int netns_foreach_in_opts(netns_cb cb, netns_fail_cb failed, void *data,
			  const struct netns_hint *hints, size_t n, bool unnamed);

/* How netns_foreach finds namespaces held only by processes: "listns"
 * (6.19, by namespace id) or "proc" (a scan of /proc/PID/task and fds). */
const char *netns_walk_method(void);

/* Each entry of /run/netns (its name and path), until cb returns non-zero,
 * which is then returned; 0 otherwise, also without /run/netns. */
int netns_named_foreach(int (*cb)(const char *name, const char *path, void *data), void *data);

/* Name under /run/netns of the namespace with this inode, if it has one. */
bool netns_name_of(ino_t ino, char *buf, size_t len);

#endif
