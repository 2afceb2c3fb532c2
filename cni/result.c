// SPDX-License-Identifier: GPL-2.0
/* The result and the error object, shaped for the configuration's version.
 * Pure: they write what they are given. */
#include <string.h>
#include "cni.h"
#include "out.h"

static void ip_key(struct out *o, const char *key, const struct nk_ip *ip, bool plen)
{
	char buf[64];

	nk_ip_format(ip, plen, buf, sizeof(buf));
	out_str(o, key, NULL, buf);
}

static void write_raw(FILE *f, const char *key, const struct json *j)
{
	out_json_string(f, key);
	fputc(':', f);
	/* json_write prints the key of a member: print a copy without it */
	struct json copy = *j;

	copy.key = NULL;
	json_write(f, &copy);
}

void cni_result_write(FILE *f, const char *version, const struct cni_made *m,
		      const struct cni_ipam *r)
{
	bool v1 = version[0] != '0';
	struct out o;

	out_init(&o, f, true, false);
	out_lines(&o);
	out_open(&o, NULL);
	out_str(&o, "cniVersion", NULL, version);
	out_open_array(&o, "interfaces");
	out_open(&o, NULL);
	out_str(&o, "name", NULL, m->host_dev);
	out_str(&o, "mac", NULL, m->host_mac);
	out_close(&o);
	out_open(&o, NULL);
	out_str(&o, "name", NULL, m->ifname);
	out_str(&o, "mac", NULL, m->pod_mac);
	out_str(&o, "sandbox", NULL, m->netns);
	out_close(&o);
	out_close_array(&o);
	out_open_array(&o, "ips");
	for (size_t i = 0; i < r->nip; i++) {
		out_open(&o, NULL);
		if (!v1)
			out_str(&o, "version", NULL, r->ip[i].addr.family == 2 ? "4" : "6");
		ip_key(&o, "address", &r->ip[i].addr, true);
		if (r->ip[i].gw.family)
			ip_key(&o, "gateway", &r->ip[i].gw, false);
		out_int(&o, "interface", NULL, 1);
		out_close(&o);
	}
	out_close_array(&o);
	out_open_array(&o, "routes");
	for (size_t i = 0; i < r->nroute; i++) {
		out_open(&o, NULL);
		ip_key(&o, "dst", &r->route[i].dst, true);
		if (r->route[i].gw.family)
			ip_key(&o, "gw", &r->route[i].gw, false);
		out_close(&o);
	}
	out_close_array(&o);
	if (r->dns) {
		fputc(',', f);
		write_raw(f, "dns", r->dns);
	} else {
		out_open(&o, "dns");
		out_close(&o);
	}
	out_close(&o);
	out_end(&o);
}

void cni_err_write(FILE *f, const char *version, const struct cni_err *e)
{
	struct out o;

	if (e->raw) {	/* a delegated plugin's error, as it gave it */
		fputs(e->raw, f);
		if (!strchr(e->raw, '\n'))
			fputc('\n', f);
		return;
	}
	out_init(&o, f, true, false);
	out_lines(&o);
	out_open(&o, NULL);
	out_str(&o, "cniVersion", NULL, version);
	out_uint(&o, "code", NULL, e->code);
	out_str(&o, "msg", NULL, e->msg);
	if (e->details[0])
		out_str(&o, "details", NULL, e->details);
	out_close(&o);
	out_end(&o);
}
