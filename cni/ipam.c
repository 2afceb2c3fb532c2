// SPDX-License-Identifier: GPL-2.0
/* The delegated IPAM plugin: found on CNI_PATH, run with the same
 * configuration on stdin and the command in CNI_COMMAND, its stdout read. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ipam.h"

#define OUT_MAX (1 << 20)

int ipam_find(const char *type, char *path, size_t len)
{
	const char *dirs = getenv("CNI_PATH");

	if (!dirs || !*dirs)
		dirs = "/opt/cni/bin:/usr/lib/cni";
	for (const char *p = dirs; *p; ) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n && snprintf(path, len, "%.*s/%s", (int)n, p, type) < (int)len &&
		    access(path, X_OK) == 0)
			return 0;
		p += n + (end ? 1 : 0);
	}
	return -ENOENT;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		s += w;
		n -= w;
	}
	return 0;
}

int ipam_start(const char *plugin, const char *command, const char *id, const char *ifname,
	       const char *conf, size_t len, struct ipam_job *job)
{
	int in[2], res[2], err = 0;
	pid_t pid;

	job->pid = -1;
	job->fd = -1;
	if (pipe2(in, O_CLOEXEC))
		return -errno;
	if (pipe2(res, O_CLOEXEC)) {
		err = -errno;
		close(in[0]);
		close(in[1]);
		return err;
	}
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(in[0]);
		close(in[1]);
		close(res[0]);
		close(res[1]);
		return err;
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(res[1], 1);
		setenv("CNI_COMMAND", command, 1);
		/* GC releases other attachments' leases: as them */
		if (id)
			setenv("CNI_CONTAINERID", id, 1);
		if (ifname)
			setenv("CNI_IFNAME", ifname, 1);
		execl(plugin, plugin, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(res[1]);
	/* the configuration is small: the pipe holds it, or the plugin reads
	 * it before it answers */
	signal(SIGPIPE, SIG_IGN);
	err = write_all(in[1], conf, len);
	close(in[1]);
	job->pid = pid;
	job->fd = res[0];
	return err == -EPIPE ? 0 : err;
}

int ipam_wait(struct ipam_job *job, struct ipam_out *out)
{
	size_t cap = 4096;
	int status, err = 0;

	memset(out, 0, sizeof(*out));
	if (!(out->text = malloc(cap)))
		err = -ENOMEM;
	for (;;) {
		ssize_t n;

		if (err)
			break;
		if (out->len + 1 >= cap) {
			char *t = cap < OUT_MAX ? realloc(out->text, cap * 2) : NULL;

			if (!t) {
				err = -E2BIG;
				break;
			}
			out->text = t;
			cap *= 2;
		}
		n = read(job->fd, out->text + out->len, cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		out->len += n;
	}
	if (out->text)
		out->text[out->len] = '\0';
	close(job->fd);
	job->fd = -1;
	while (waitpid(job->pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	job->pid = -1;
	out->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return err;
}

void ipam_out_free(struct ipam_out *out)
{
	free(out->text);
	out->text = NULL;
}
