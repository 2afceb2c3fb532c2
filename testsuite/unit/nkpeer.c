// SPDX-License-Identifier: GPL-2.0
/*
 * nkpeer: the sockets sockreap's tests destroy.
 *   nkpeer serve tcp|udp ADDR PORT     echo server; prints "reset" lines when a peer resets
 *   nkpeer connect tcp|udp ADDR PORT   connects, exchanges one message, prints
 *                                      "ready COOKIE"; on SIGUSR1 sends again and
 *                                      prints "send ok" or "send ERRNO-NAME", then exits
 * Addresses may be IPv4 or IPv6.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

static volatile sig_atomic_t poked;

static void on_usr1(int sig)
{
	(void)sig;
	poked = 1;
}

static const char *errname(int e)
{
	switch (e) {
	case ECONNABORTED: return "ECONNABORTED";
	case ECONNRESET: return "ECONNRESET";
	case EPIPE: return "EPIPE";
	case EDESTADDRREQ: return "EDESTADDRREQ";
	case ENOTCONN: return "ENOTCONN";
	case ECONNREFUSED: return "ECONNREFUSED";
	default: return strerror(e);
	}
}

static int sockaddr_of(const char *addr, const char *port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (void *)ss;
	struct sockaddr_in6 *in6 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(atoi(port));
		*len = sizeof(*in);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(atoi(port));
		*len = sizeof(*in6);
		return AF_INET6;
	}
	fprintf(stderr, "nkpeer: bad address %s\n", addr);
	exit(2);
}

static int serve(int tcp, int family, struct sockaddr_storage *ss, socklen_t len)
{
	struct pollfd fds[256];
	int n = 1, one = 1;
	char buf[2048];

	fds[0].fd = socket(family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	setsockopt(fds[0].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fds[0].fd, (void *)ss, len) < 0 || (tcp && listen(fds[0].fd, 64) < 0)) {
		perror("nkpeer: bind");
		return 1;
	}
	fds[0].events = POLLIN;
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		if (poll(fds, n, -1) < 0)
			continue;
		for (int i = 0; i < n; i++) {
			if (!(fds[i].revents & (POLLIN | POLLERR | POLLHUP)))
				continue;
			if (i == 0 && tcp) {
				int c = accept(fds[0].fd, NULL, NULL);

				if (c >= 0 && n < 256) {
					fds[n].fd = c;
					fds[n++].events = POLLIN;
				}
			} else if (i == 0) {
				struct sockaddr_storage from;
				socklen_t fl = sizeof(from);
				ssize_t r = recvfrom(fds[0].fd, buf, sizeof(buf), 0, (void *)&from, &fl);

				if (r > 0)
					sendto(fds[0].fd, buf, r, 0, (void *)&from, fl);
			} else {
				ssize_t r = recv(fds[i].fd, buf, sizeof(buf), 0);

				if (r > 0) {
					send(fds[i].fd, buf, r, MSG_NOSIGNAL);
					continue;
				}
				if (r < 0) {
					printf("reset %s\n", errname(errno));
					fflush(stdout);
				}
				close(fds[i].fd);
				fds[i--] = fds[--n];
			}
		}
	}
}

static int connect_and_wait(int tcp, int family, struct sockaddr_storage *ss, socklen_t len)
{
	int fd = socket(family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	unsigned long long cookie = 0;
	socklen_t cl = sizeof(cookie);
	char buf[64];

	signal(SIGUSR1, on_usr1);
	signal(SIGPIPE, SIG_IGN);
	if (connect(fd, (void *)ss, len) < 0) {
		perror("nkpeer: connect");
		return 1;
	}
	if (send(fd, "hello", 5, 0) != 5 || recv(fd, buf, sizeof(buf), 0) <= 0) {
		perror("nkpeer: first exchange");
		return 1;
	}
	getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &cl);
	printf("ready %llu\n", cookie);
	fflush(stdout);
	while (!poked)
		pause();
	if (send(fd, "again", 5, MSG_NOSIGNAL) == 5) {
		/* a UDP socket may take the send and fail the receive */
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 2000) == 1 && recv(fd, buf, sizeof(buf), 0) < 0)
			printf("recv %s\n", errname(errno));
		else
			printf("send ok\n");
	} else {
		printf("send %s\n", errname(errno));
	}
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int family, tcp;

	if (argc != 5 || (strcmp(argv[2], "tcp") && strcmp(argv[2], "udp"))) {
		fprintf(stderr, "usage: nkpeer { serve | connect } { tcp | udp } ADDR PORT\n");
		return 2;
	}
	tcp = !strcmp(argv[2], "tcp");
	family = sockaddr_of(argv[3], argv[4], &ss, &len);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "serve"))
		return serve(tcp, family, &ss, len);
	return connect_and_wait(tcp, family, &ss, len);
}
