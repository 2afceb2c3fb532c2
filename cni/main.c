// SPDX-License-Identifier: GPL-2.0
/* cni/nktools: one process per call, netlink directly; the only other
 * process is the IPAM plugin the configuration delegates to. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "plugin.h"

#define CONF_MAX (1 << 22)

static int read_stdin(struct plugin *p)
{
	size_t cap = 8192;

	p->text = malloc(cap);
	while (p->text) {
		ssize_t n;

		if (p->len + 1 >= cap) {
			char *t = cap < CONF_MAX ? realloc(p->text, cap * 2) : NULL;

			if (!t)
				break;
			p->text = t;
			cap *= 2;
		}
		n = read(0, p->text + p->len, cap - p->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (n == 0) {
			p->text[p->len] = '\0';
			return 0;
		}
		p->len += n;
	}
	return cni_fail(&p->err, E_IO, NULL, "cannot read the network configuration");
}

static void version(void)
{
	printf("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[");
	for (int i = 0; cni_versions[i]; i++)
		printf("%s\"%s\"", i ? "," : "", cni_versions[i]);
	printf("]}\n");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct plugin *p);
	} cmds[] = {
		{ "ADD", cmd_add }, { "DEL", cmd_del }, { "CHECK", cmd_check },
		{ "GC", cmd_gc }, { "STATUS", cmd_status },
	};
	const char *command = getenv("CNI_COMMAND");
	struct plugin *p = calloc(1, sizeof(*p));
	int (*fn)(struct plugin *p) = NULL;
	int ret, err;

	if (!p)
		return 1;
	libbpf_set_print(nk_libbpf_log);
	p->ctx.prog = "nktools";
	p->lock_fd = p->att_fd = -1;
	p->c.version = "1.1.0";
	if (command && !strcmp(command, "VERSION")) {
		version();
		free(p);
		return 0;
	}
	for (size_t i = 0; command && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(command, cmds[i].name))
			fn = cmds[i].fn;
	p->id = getenv("CNI_CONTAINERID");
	p->netns = getenv("CNI_NETNS");
	p->ifname = getenv("CNI_IFNAME");
	p->args = getenv("CNI_ARGS");
	if (!fn) {
		ret = cni_fail(&p->err, E_ENV, NULL,
			       "CNI_COMMAND must be ADD, DEL, CHECK, GC, STATUS or VERSION, not \"%s\"",
			       command ? command : "");
	} else if (!(ret = read_stdin(p)) &&
		   !(ret = cni_conf_parse(p->text, p->len, p->args, &p->c, &p->err))) {
		if (!(p->nl = malloc(sizeof(*p->nl))) || (err = nl_open(p->nl, NETLINK_ROUTE))) {
			free(p->nl);
			p->nl = NULL;
			ret = cni_fail(&p->err, E_SYSTEM, NULL, "cannot open rtnetlink");
		} else {
			ret = fn(p);
		}
	}
	if (ret)
		cni_err_write(stdout, p->c.version, &p->err);
	fflush(stdout);
	if (p->nl) {
		nl_close(p->nl);
		free(p->nl);
	}
	free(p->err.raw);
	free(p->ipam_text);
	cni_conf_free(&p->c);
	free(p->text);
	free(p);
	(void)argc;
	(void)argv;
	return ret ? 1 : 0;
}
