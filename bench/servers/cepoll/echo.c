/*
 * cepoll: the benchmark's C echo server, the reference for the kernel's
 * floor. One thread, one epoll descriptor, edge-triggered: each connection is
 * registered once (EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET) and never modified.
 * On readable it reads until EAGAIN and writes each chunk straight back; what
 * the kernel does not take waits in a per-connection buffer, and reading
 * stops until EPOLLOUT has drained it (back-pressure, no unbounded memory).
 *
 * Usage: cepoll PORT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFSZ (64 * 1024)

struct conn {
	int fd;
	char *pend; /* bytes the kernel did not take yet, or NULL */
	size_t pendoff, pendlen;
};

static char buf[BUFSZ];

static void drop(struct conn *c)
{
	close(c->fd);
	free(c->pend);
	free(c);
}

/* flush writes what is pending; 1: all out, 0: would block, -1: error. */
static int flush(struct conn *c)
{
	while (c->pendoff < c->pendlen) {
		ssize_t n = send(c->fd, c->pend + c->pendoff, c->pendlen - c->pendoff, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -1;
		}
		c->pendoff += (size_t)n;
	}
	free(c->pend);
	c->pend = NULL;
	c->pendoff = c->pendlen = 0;
	return 1;
}

/* echo reads until EAGAIN, writing back; 0 keeps the connection, -1 drops it. */
static int echo(struct conn *c)
{
	for (;;) {
		if (c->pend)
			return 0; /* wait for EPOLLOUT */
		ssize_t n = recv(c->fd, buf, sizeof buf, 0);
		if (n == 0)
			return -1;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -1;
		}
		ssize_t w = 0;
		while (w < n) {
			ssize_t m = send(c->fd, buf + w, (size_t)(n - w), MSG_NOSIGNAL);
			if (m < 0) {
				if (errno == EINTR)
					continue;
				if (errno != EAGAIN)
					return -1;
				c->pendlen = (size_t)(n - w);
				c->pendoff = 0;
				c->pend = malloc(c->pendlen);
				if (!c->pend)
					return -1;
				memcpy(c->pend, buf + w, c->pendlen);
				break;
			}
			w += m;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: cepoll PORT\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	int ln = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(ln, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1]))};
	if (bind(ln, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(ln, 4096) < 0) {
		perror("listen");
		return 1;
	}
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.ptr = NULL};
	epoll_ctl(ep, EPOLL_CTL_ADD, ln, &ev);
	printf("cepoll echo listening on :%s\n", argv[1]);
	fflush(stdout);

	struct epoll_event evs[256];
	for (;;) {
		int n = epoll_wait(ep, evs, 256, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;
			if (!c) {
				for (;;) {
					int fd = accept4(ln, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
					if (fd < 0) {
						if (errno == EINTR || errno == ECONNABORTED)
							continue;
						break; /* EAGAIN, or EMFILE: edge stays armed by the backlog */
					}
					setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
					c = calloc(1, sizeof *c);
					c->fd = fd;
					struct epoll_event cev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = c};
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
				}
				continue;
			}
			uint32_t e = evs[i].events;
			int r = 0;
			if (e & EPOLLOUT && c->pend) {
				r = flush(c);
				if (r == 1)
					r = echo(c); /* resume the reading we stopped */
			} else if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
				r = echo(c);
			}
			if (r < 0)
				drop(c);
		}
	}
}
