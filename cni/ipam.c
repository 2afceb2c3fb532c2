// SPDX-License-Identifier: GPL-2.0
/* The delegated IPAM plugin: found on CNI_PATH, run with the same
 * configuration on stdin and the command in CNI_COMMAND, its stdout read. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
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

/* Our environment for the plugin, with CNI_COMMAND, CNI_CONTAINERID and
 * CNI_IFNAME as given (NULL: ours). The strings set are in own[] to free. */
static char **child_env(const char *const val[3], char *own[3])
{
	static const char *const key[3] = { "CNI_COMMAND=", "CNI_CONTAINERID=", "CNI_IFNAME=" };
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	if (!(env = calloc(n + 4, sizeof(*env))))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		bool set = false;

		for (int j = 0; j < 3; j++)
			set |= val[j] && !strncmp(environ[i], key[j], strlen(key[j]));
		if (!set)
			env[k++] = environ[i];
	}
	for (int j = 0; j < 3; j++) {
		own[j] = NULL;
		if (val[j] && asprintf(&own[j], "%s%s", key[j], val[j]) < 0) {
			while (j--)
				free(own[j]);
			free(env);
			return NULL;
		}
		if (own[j])
			env[k++] = own[j];
	}
	return env;
}

/* posix_spawn: the child shares our memory until it execs (vfork), where
 * fork would copy the page tables of a process with libbpf mapped, and the
 * child can be started while another thread runs. */
static int spawn(const char *plugin, int in, int out, char **env, pid_t *pid)
{
	char *argv[] = { (char *)plugin, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t dfl;
	int err;

	if ((err = posix_spawn_file_actions_init(&fa)))
		return -err;
	if ((err = posix_spawnattr_init(&attr))) {
		posix_spawn_file_actions_destroy(&fa);
		return -err;
	}
	/* we ignore SIGPIPE to write its stdin: it does not */
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	if (!(err = posix_spawn_file_actions_adddup2(&fa, in, 0)) &&
	    !(err = posix_spawn_file_actions_adddup2(&fa, out, 1)) &&
	    !(err = posix_spawnattr_setsigdefault(&attr, &dfl)) &&
	    !(err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF)))
		err = posix_spawn(pid, plugin, &fa, &attr, argv, env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return -err;
}

int ipam_start(const char *plugin, const char *command, const char *id, const char *ifname,
	       const char *conf, size_t len, struct ipam_job *job)
{
	/* GC releases other attachments' leases: as them */
	const char *const val[3] = { command, id, ifname };
	char *own[3], **env;
	int in[2], res[2], err = 0;
	pid_t pid;

	job->pid = -1;
	job->fd = -1;
	if (!(env = child_env(val, own)))
		return -ENOMEM;
	if (pipe2(in, O_CLOEXEC)) {
		err = -errno;
	} else if (pipe2(res, O_CLOEXEC)) {
		err = -errno;
		close(in[0]);
		close(in[1]);
	} else {
		err = spawn(plugin, in[0], res[1], env, &pid);
		close(in[0]);
		close(res[1]);
		if (err) {
			close(in[1]);
			close(res[0]);
		}
	}
	for (int j = 0; j < 3; j++)
		free(own[j]);
	free(env);
	if (err)
		return err;
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
