// SPDX-License-Identifier: GPL-2.0
/* The kernel's count of the current namespace's sockets in use, from
 * /proc/net/sockstat and sockstat6 ("TCP: inuse N orphan N tw N ..."). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reap/reap.h"

static int read_file(const char *file, const char *tcp, const char *udp, struct reap_sockstat *st)
{
	char path[64], buf[1024], *line, *save;
	size_t t = strlen(tcp), u = strlen(udp);
	int fd, found = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);	/* a few short lines */
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ENOENT;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		bool is_tcp = !strncmp(line, tcp, t) && line[t] == ':';
		bool is_udp = !strncmp(line, udp, u) && line[u] == ':';
		char *p;

		if (!is_tcp && !is_udp)
			continue;
		found++;
		if ((p = strstr(line, " inuse ")))
			*(is_tcp ? &st->tcp : &st->udp) += strtoul(p + 7, NULL, 10);
		if (is_tcp && (p = strstr(line, " tw ")))
			st->tw += strtoul(p + 4, NULL, 10);
	}
	return found == 2 ? 0 : -ENOENT;
}

int reap_sockstat_read(struct reap_sockstat *st)
{
	memset(st, 0, sizeof(*st));
	return read_file("sockstat", "TCP", "UDP", st) ?: read_file("sockstat6", "TCP6", "UDP6", st);
}
