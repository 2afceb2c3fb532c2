/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CNI_IPAM_H
#define CNI_IPAM_H

#include <stddef.h>

struct ipam_out {
	char *text;	/* its stdout, NUL-terminated */
	size_t len;
	int status;	/* its exit status (128 + signal) */
};

/* The plugin named type on CNI_PATH, into path. 0 or -ENOENT. */
int ipam_find(const char *type, char *path, size_t len);
/* Run it: CNI_COMMAND=command, CNI_ARGS=cni_args (if not NULL; else as
 * ours), the configuration on stdin. 0 (out filled) or -errno. */
int ipam_run(const char *plugin, const char *command, const char *cni_args,
	     const char *conf, size_t len, struct ipam_out *out);
void ipam_out_free(struct ipam_out *out);

#endif
