/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CNI_IPAM_H
#define CNI_IPAM_H

#include <stddef.h>
#include <sys/types.h>

struct ipam_out {
	char *text;	/* its stdout, NUL-terminated */
	size_t len;
	int status;	/* its exit status (128 + signal) */
};

/* The plugin named type on CNI_PATH, into path. 0 or -ENOENT. */
int ipam_find(const char *type, char *path, size_t len);
/* Start it: CNI_COMMAND=command, CNI_CONTAINERID=id and CNI_IFNAME=ifname
 * (if not NULL; else as ours), the configuration on stdin; its answer is
 * read by ipam_wait, so that other work can go on meanwhile. 0 or -errno. */
struct ipam_job {
	pid_t pid;
	int fd;		/* its stdout */
};
int ipam_start(const char *plugin, const char *command, const char *id, const char *ifname,
	       const char *conf, size_t len, struct ipam_job *job);
/* Its answer, and its end. 0 (out filled) or -errno. */
int ipam_wait(struct ipam_job *job, struct ipam_out *out);
void ipam_out_free(struct ipam_out *out);

#endif
