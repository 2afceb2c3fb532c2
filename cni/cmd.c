// SPDX-License-Identifier: GPL-2.0
/* ADD, DEL, CHECK, GC and STATUS. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "datapath/dp.h"
#include "qdisc.h"
#include "link.h"
#include "netns.h"
#include "netkit/probe.h"
#include "plugin.h"
#include "tcx/pins.h"

static int need_env(struct plugin *p, bool netns)
{
	if (!p->id || !*p->id)
		return cni_fail(&p->err, E_ENV, NULL, "CNI_CONTAINERID is not set");
	if (!p->ifname || !*p->ifname)
		return cni_fail(&p->err, E_ENV, NULL, "CNI_IFNAME is not set");
	if (strlen(p->ifname) >= IFNAMSIZ || strchr(p->ifname, '/') || strchr(p->ifname, ' '))
		return cni_fail(&p->err, E_ENV, NULL, "CNI_IFNAME \"%s\" is not a device name", p->ifname);
	if (netns && (!p->netns || !*p->netns))
		return cni_fail(&p->err, E_ENV, NULL, "CNI_NETNS is not set");
	cni_host_dev(p->id, p->ifname, p->dev);
	return 0;
}

/* --- IPAM ------------------------------------------------------------------- */

int ipam_begin(struct plugin *p, const char *command, const char *id, const char *ifname,
	       const char *conf_text, struct ipam_job *job)
{
	char path[PATH_MAX];
	int err;

	if (ipam_find(p->c.ipam_type, path, sizeof(path)))
		return cni_fail(&p->err, E_CONFIG, getenv("CNI_PATH"),
				"IPAM plugin \"%s\" not found in CNI_PATH", p->c.ipam_type);
	if (!conf_text && p->ipam_text)
		conf_text = p->ipam_text;
	err = ipam_start(path, command, id, ifname, conf_text ? conf_text : p->text,
			 conf_text ? strlen(conf_text) : p->len, job);
	if (err)
		return cni_fail(&p->err, E_SYSTEM, strerror(-err), "cannot run the IPAM plugin %s", path);
	return 0;
}

int ipam_end(struct plugin *p, const char *command, struct ipam_job *job, struct json **res)
{
	char why[128];
	struct ipam_out out;
	int err;

	if (res)
		*res = NULL;
	err = ipam_wait(job, &out);
	if (err) {
		ipam_out_free(&out);
		return cni_fail(&p->err, E_SYSTEM, strerror(-err), "cannot read the IPAM plugin's answer");
	}
	if (out.status) {
		struct json *j = json_parse(out.text, out.len, NULL, 0);

		/* its error object, passed on as it is; else ours */
		if (j && j->type == JSON_OBJ && json_get(j, "code")) {
			p->err.code = E_SYSTEM;
			p->err.raw = out.text;
			json_free(j);
			return E_SYSTEM;
		}
		json_free(j);
		cni_fail(&p->err, E_SYSTEM, out.text, "the IPAM plugin %s %s failed (exit %d)",
			 p->c.ipam_type, command, out.status);
		ipam_out_free(&out);
		return E_SYSTEM;
	}
	if (res && !(*res = json_parse(out.text, out.len, why, sizeof(why)))) {
		cni_fail(&p->err, E_DECODE, why, "the IPAM plugin's result is not JSON");
		ipam_out_free(&out);
		return E_DECODE;
	}
	ipam_out_free(&out);
	return 0;
}

int ipam_call(struct plugin *p, const char *command, const char *id, const char *ifname,
	      const char *conf_text, struct json **res)
{
	struct ipam_job job;
	int ret = ipam_begin(p, command, id, ifname, conf_text, &job);

	if (res)
		*res = NULL;
	return ret ? ret : ipam_end(p, command, &job, res);
}

/* Does the IPAM plugin speak version v? Its VERSION says (asked once). */
static bool ipam_speaks(struct plugin *p, const char *v)
{
	struct json *res = NULL;
	int i;

	if (!p->ipam_asked) {
		p->ipam_asked = true;
		if (ipam_call(p, "VERSION", "", "", NULL, &res)) {
			free(p->err.raw);
			memset(&p->err, 0, sizeof(p->err));
		}
		json_for_each(x, json_get(res, "supportedVersions"))
			for (i = 0; cni_versions[i]; i++)
				if (json_str(x) && !strcmp(json_str(x), cni_versions[i]))
					p->ipam_speaks |= 1u << i;
		json_free(res);
	}
	for (i = 0; cni_versions[i]; i++)
		if (!strcmp(cni_versions[i], v))
			return p->ipam_speaks & (1u << i);
	return false;
}

bool ipam_speaks_1_1(struct plugin *p)
{
	return ipam_speaks(p, "1.1.0");
}

/* A 1.1 configuration for an IPAM plugin that speaks up to 1.0 (as Debian's
 * host-local 1.1.1): given as 1.0.0, which reads the same */
void ipam_prepare(struct plugin *p)
{
	struct json *root;
	size_t len;
	FILE *f;

	if (strcmp(p->c.version, "1.1.0") || ipam_speaks(p, "1.1.0") || !ipam_speaks(p, "1.0.0"))
		return;
	root = json_dup(p->c.root);
	if (!root || json_set(root, "cniVersion", json_new_str("1.0.0"))) {
		json_free(root);
		return;
	}
	if ((f = open_memstream(&p->ipam_text, &len))) {
		json_write(f, root);
		fclose(f);
		p->ipam_version = "1.0.0";
	}
	json_free(root);
}

/* Our configuration, asking the IPAM plugin for these addresses
 * (args.cni.ips, as host-local reads it); NULL when out of memory. */
static char *conf_asking(const struct plugin *p, const struct nk_ip *ip, size_t n)
{
	struct json *root = json_dup(p->c.root), *args, *cni, *ips;
	char *text = NULL, a[64];
	size_t len;
	FILE *f;

	if (!root || (p->ipam_version && json_set(root, "cniVersion", json_new_str(p->ipam_version)))) {
		json_free(root);
		return NULL;
	}
	args = json_get(root, "args");
	if (!args || args->type != JSON_OBJ) {
		if (json_set(root, "args", json_new(JSON_OBJ)))
			goto out;
		args = json_get(root, "args");
	}
	cni = json_get(args, "cni");
	if (!cni || cni->type != JSON_OBJ) {
		if (json_set(args, "cni", json_new(JSON_OBJ)))
			goto out;
		cni = json_get(args, "cni");
	}
	if (json_set(cni, "ips", json_new(JSON_ARR)))
		goto out;
	ips = json_get(cni, "ips");
	for (size_t i = 0; i < n; i++) {
		nk_ip_format(&ip[i], false, a, sizeof(a));
		if (json_push(ips, json_new_str(a)))
			goto out;
	}
	if ((f = open_memstream(&text, &len))) {
		json_write(f, root);
		fclose(f);
	}
out:
	json_free(root);
	return text;
}

/* --- teardown: DEL, GC, and a retried ADD ------------------------------------ */

/* The addresses of an attachment without a record: prevResult's, else the
 * host routes to its device */
static void find_ips(struct plugin *p, struct record *r)
{
	int ifindex;

	json_for_each(x, json_get(p->c.prev, "ips")) {
		struct nk_ip ip;

		if (json_str(json_get(x, "address")) && !nk_ip_parse(json_str(json_get(x, "address")), &ip))
			record_collect_ip(&ip, r);
	}
	if (r->nip)
		return;
	if ((ifindex = net_ifindex(p, r->dev)))
		route_list_hosts(p->nl, ifindex, record_collect_ip, r);
}

/* The pair's deletion, in a thread of its own: the kernel's unregistering
 * waits for RCU, and the sockets can be destroyed meanwhile */
struct deletion {
	struct plugin *p;
	const struct record *r;
	struct cni_err err;
	int ret;
};

static void *delete_pair(void *data)
{
	struct deletion *d = data;
	struct plugin p = *d->p;	/* its own error; the same rtnetlink socket */

	memset(&p.err, 0, sizeof(p.err));
	d->ret = net_delete(&p, d->r->dev, d->r->ifindex);
	d->err = p.err;
	return NULL;
}

int teardown(struct plugin *p, const struct record *r, bool keep_lease)
{
	struct deletion d = { .p = p, .r = r };
	struct ipam_job job;
	int ret, first = 0, marks[REC_MAX_IPS];
	bool began = false, threaded;
	pthread_t t;

	int own = r->ifindex ? r->ifindex : net_ifindex(p, r->dev);
	struct nk_ip mine[REC_MAX_IPS];
	size_t nmine = 0;

	/* The sockets of an address that another pod has now (a stale record
	 * whose DEL half-failed, the lease given out again) are that pod's:
	 * they stay. */
	for (size_t i = 0; i < r->nip; i++)
		if (!net_other_pod(p, &r->ip[i], own))
			mine[nmine++] = r->ip[i];
	/* No packet goes to the pair by the data path from now on. */
	net_datapath_del(r->ip, r->nip, own);
	/* The lease goes while the pair is deleted and the sockets connected
	 * to the container are destroyed (the backend-deletion case: they fail
	 * at once). An ADD that gets one of these addresses meanwhile waits for
	 * that to end (reap_wait), so that it keeps its own connections, and
	 * its host route replaces ours. */
	reap_mark(p, r->ip, r->nip, marks);
	if (!keep_lease) {
		first = ipam_begin(p, "DEL", r->id, r->ifname, NULL, &job);
		began = !first;
	}
	threaded = !pthread_create(&t, NULL, delete_pair, &d);
	if (!threaded)
		delete_pair(&d);
	ret = net_reap(p, mine, nmine);
	if (threaded)
		pthread_join(t, NULL);
	if (d.ret && !first) {
		free(p->err.raw);
		p->err = d.err;
		first = d.ret;
	}
	first = first ?: ret;
	reap_unmark(p, r->ip, r->nip, marks);
	if (began) {
		struct cni_err seen = p->err;

		ret = ipam_end(p, "DEL", &job, NULL);
		if (first) {	/* the first error is the one told */
			if (p->err.raw != seen.raw)
				free(p->err.raw);
			p->err = seen;
		}
		first = first ?: ret;
	}
	return first;
}

void record_init(struct plugin *p, struct record *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", p->id);
	snprintf(r->ifname, sizeof(r->ifname), "%s", p->ifname);
	snprintf(r->dev, sizeof(r->dev), "%s", p->dev);
	snprintf(r->netns, sizeof(r->netns), "%s", p->netns ? p->netns : "");
}

/* --- ADD ------------------------------------------------------------------------ */

/* The IPAM plugin's answer to ADD (started with asking, a retried ADD's
 * addresses, or NULL); if those went, any; if it refused, once more after
 * a DEL of this attachment. 0 and r, or an error code. */
static int add_ipam_end(struct plugin *p, struct ipam_job *job, const char *asking,
			struct cni_ipam *r)
{
	struct json *res = NULL;
	int ret = ipam_end(p, "ADD", job, &res);

	if (ret && asking) {
		free(p->err.raw);
		memset(&p->err, 0, sizeof(p->err));
		ret = ipam_call(p, "ADD", p->id, p->ifname, NULL, &res);
	}
	if (ret) {
		/* a lease of this very attachment that nothing here knows of (its
		 * record lost with its pair: a node that crashed) makes host-local
		 * refuse the ADD: it goes, and the ADD is asked once more */
		free(p->err.raw);
		memset(&p->err, 0, sizeof(p->err));
		if (!(ret = ipam_call(p, "DEL", p->id, p->ifname, NULL, NULL)))
			ret = ipam_call(p, "ADD", p->id, p->ifname, NULL, &res);
	}
	if (ret)
		return ret;
	if (cni_ipam_parse(res, r)) {
		char *text = NULL;
		size_t len;
		FILE *f = open_memstream(&text, &len);

		if (f) {
			json_write(f, res);
			fclose(f);
		}
		cni_fail(&p->err, E_SYSTEM, text, "the IPAM plugin gave no usable address");
		free(text);
		json_free(res);
		ipam_call(p, "DEL", p->id, p->ifname, NULL, NULL);
		return E_SYSTEM;
	}
	/* kept for a retry of this ADD */
	ret = record_lease_write(p, p->dev, res);
	json_free(res);
	if (ret) {
		cni_ipam_free(r);
		ipam_call(p, "DEL", p->id, p->ifname, NULL, NULL);
	}
	return ret;
}

int cmd_add(struct plugin *p)
{
	struct record old, rec;
	struct cni_ipam r = { 0 };
	struct cni_made m = { .ifname = p->ifname, .netns = p->netns };
	struct ipam_job job;
	struct json *kept = NULL;
	char path[PATH_MAX], *asking = NULL;
	int ret, fd = -1, ifindex = 0, oif[CNI_MAX_DEVICES], noif = 0;
	bool leased = false;

	if ((ret = need_env(p, true)))
		return ret;
	ipam_prepare(p);
	fd = netns_open(p->netns);
	if (fd < 0)
		return cni_fail(&p->err, E_ENV, strerror(-fd), "CNI_NETNS %s cannot be opened", p->netns);
	if (has(&p->c.nk.peer, KW_ADDRESS) && p->c.nk.mode != NK_NETKIT_L2)
		ret = cni_fail(&p->err, E_CONFIG, NULL, "a MAC address needs \"mode\": \"l2\"");
	else if (p->c.prog.object && access(p->c.prog.object, R_OK))
		ret = cni_fail(&p->err, E_CONFIG, strerror(errno), "program object \"%s\" cannot be read",
			       p->c.prog.object);
	else if (ipam_find(p->c.ipam_type, path, sizeof(path)))
		ret = cni_fail(&p->err, E_CONFIG, getenv("CNI_PATH"),
			       "IPAM plugin \"%s\" not found in CNI_PATH", p->c.ipam_type);
	else if (p->c.datapath == DATAPATH_BPF || p->c.bw.egress_rate)
		ret = net_uplinks(p, oif, &noif);
	if (ret || (ret = lock_take(p, false, p->dev)))
		goto out;
	/* A retried ADD: what the first attempt made goes, lease too (host-local
	 * refuses a second one), asking the IPAM plugin for its addresses again */
	if (record_read(p, p->dev, &old))
		record_init(p, &old);
	if (!old.nip)
		find_ips(p, &old);
	/* its lease, kept by the first attempt: the addresses stay reserved
	 * for it, with no IPAM DEL and ADD between which another pod could be
	 * given them */
	kept = record_lease_read(p, &old);
	if ((old.complete || old.nip || net_ifindex(p, p->dev)) &&
	    (ret = teardown(p, &old, kept != NULL)))
		goto out;
	record_init(p, &rec);
	if (kept) {
		memcpy(rec.ip, old.ip, sizeof(rec.ip));
		rec.nip = old.nip;
		leased = true;
	}
	if ((ret = record_write(p, &rec)))
		goto undo;
	/* the IPAM plugin works while the kernel makes the pair */
	asking = old.nip && !kept ? conf_asking(p, old.ip, old.nip) : NULL;
	if (!kept && (ret = ipam_begin(p, "ADD", p->id, p->ifname, asking, &job)))
		goto undo;
	if ((ret = net_create(p, fd, &ifindex))) {
		struct cni_err first = p->err;

		memset(&p->err, 0, sizeof(p->err));
		if (!kept)
			leased = !add_ipam_end(p, &job, asking, &r);	/* to release it */
		free(p->err.raw);
		p->err = first;
		goto undo;
	}
	rec.ifindex = ifindex;
	snprintf(m.host_dev, sizeof(m.host_dev), "%s", p->dev);
	if (kept)
		ret = cni_ipam_parse(kept, &r) ?
		      cni_fail(&p->err, E_SYSTEM, NULL, "the kept lease cannot be read") : 0;
	else
		ret = add_ipam_end(p, &job, asking, &r);
	if (ret)
		goto undo;
	leased = true;
	rec.nip = 0;
	for (size_t i = 0; i < r.nip; i++)
		reap_wait(p, &r.ip[i].addr);
	for (size_t i = 0; i < r.nip && i < REC_MAX_IPS; i++)
		rec.ip[rec.nip++] = r.ip[i].addr;
	/* the pod's own program first, the data path's forwarder after it */
	if ((ret = record_write(p, &rec)) || (ret = net_configure(p, fd, ifindex, &r, &m)) ||
	    (p->c.prog.object && (ret = net_attach(p, ifindex))) ||
	    (ret = net_datapath_add(p, ifindex, &m, &r, oif, noif)))
		goto undo;
	rec.complete = true;
	if ((ret = record_write(p, &rec)))
		goto undo;
	cni_result_write(stdout, p->c.version, &m, &r);
	goto out;
undo:
	/* what was made goes; the error stays the first one */
	{
		struct cni_err first = p->err;

		net_datapath_del(rec.ip, rec.nip, ifindex);
		net_delete(p, p->dev, ifindex);
		if (leased)
			ipam_call(p, "DEL", p->id, p->ifname, NULL, NULL);
		if (p->err.raw != first.raw)
			free(p->err.raw);
		p->err = first;
		record_remove(p, p->dev);
	}
out:
	free(asking);
	json_free(kept);
	cni_ipam_free(&r);
	if (fd >= 0)
		close(fd);
	lock_drop(p);
	return ret;
}

/* --- DEL ------------------------------------------------------------------------ */

int cmd_del(struct plugin *p)
{
	struct record rec;
	int ret;

	if ((ret = need_env(p, false)) || (ret = lock_take(p, false, p->dev)))
		return ret;
	ipam_prepare(p);
	if (record_read(p, p->dev, &rec))
		record_init(p, &rec);
	if (!rec.nip)
		find_ips(p, &rec);
	ret = teardown(p, &rec, false);
	if (!ret)
		record_remove(p, p->dev);
	lock_drop(p);
	return ret;
}

/* --- CHECK ------------------------------------------------------------------------ */

struct has_ip {
	const struct nk_ip *want;
	bool found;
};

static int has_ip_cb(const struct nk_ip *ip, void *data)
{
	struct has_ip *h = data;

	h->found |= nk_ip_equal(ip, h->want);
	return 0;
}

static bool pinned(int ifindex, const char *hook, const char *name)
{
	char dir[PATH_MAX];
	struct dirent *de;
	bool found = false;
	DIR *d;

	if (tcx_pin_dir(ifindex, hook, dir, sizeof(dir), false) || !(d = opendir(dir)))
		return false;
	while (!found && (de = readdir(d))) {
		const char *dash = strchr(de->d_name, '-');

		/* no name: any program but the data path's */
		found = !strncmp(de->d_name, "link", 4) && dash &&
			(name ? !strcmp(dash + 1, name) : strncmp(dash + 1, "nk_dp_", 6));
	}
	closedir(d);
	return found;
}

static int check_pod(struct plugin *p, int ifindex)
{
	struct nl pnl;
	struct link_buf b;
	int fd = netns_open(p->netns), err, ret = 0;

	if (fd < 0)
		return cni_fail(&p->err, E_CHECK, NULL, "CNI_NETNS %s cannot be opened", p->netns);
	err = nl_open_in(&pnl, NETLINK_ROUTE, fd);
	close(fd);
	if (err)
		return cni_fail(&p->err, E_SYSTEM, strerror(-err), "cannot enter %s", p->netns);
	if (net_link(&pnl, p->ifname, 0, &b)) {
		ret = cni_fail(&p->err, E_CHECK, NULL, "%s does not exist in %s", p->ifname, p->netns);
		goto out;
	}
	json_for_each(x, json_get(p->c.prev, "ips")) {
		struct nk_ip ip;
		struct has_ip h = { &ip, false };
		char a[64];

		if (!json_str(json_get(x, "address")) || nk_ip_parse(json_str(json_get(x, "address")), &ip))
			continue;
		nk_ip_format(&ip, false, a, sizeof(a));
		addr_list(&pnl, b.l.ifindex, has_ip_cb, &h);
		if (!h.found) {
			ret = cni_fail(&p->err, E_CHECK, NULL, "%s lacks %s", p->ifname, a);
			goto out;
		}
		if (route_oif(p->nl, &ip) != ifindex) {
			ret = cni_fail(&p->err, E_CHECK, NULL, "the host has no route to %s via %s", a, p->dev);
			goto out;
		}
	}
out:
	nl_close(&pnl);
	return ret;
}

/* The data path as the configuration has it: with "bpf", its programs on
 * the pair and prevResult's addresses in the endpoint map, pointing at it;
 * with "stack", none of that. */
static int check_datapath(struct plugin *p, int ifindex)
{
	bool bpf = p->c.datapath == DATAPATH_BPF;
	int fd = -1, ret = 0;

	if (pinned(ifindex, "peer", "nk_dp_from_pod") != bpf ||
	    pinned(ifindex, "primary", "nk_dp_to_pod") != bpf)
		return cni_fail(&p->err, E_CHECK, NULL, bpf ? "%s lacks the BPF data path's programs" :
			       "%s has the BPF data path's programs, though its datapath is \"stack\"", p->dev);
	if (bpf && (fd = nk_dp_map(NK_DP_ENDPOINTS)) < 0)
		return cni_fail(&p->err, E_CHECK, strerror(-fd), "the endpoint map cannot be opened");
	json_for_each(x, json_get(p->c.prev, "ips")) {
		struct nk_dp_endpoint ep;
		struct nk_ip ip;
		char a[64];

		if (!bpf || !json_str(json_get(x, "address")) ||
		    nk_ip_parse(json_str(json_get(x, "address")), &ip))
			continue;
		if (nk_dp_endpoint_get(fd, &ip, &ep) || ep.ifindex != (uint32_t)ifindex) {
			nk_ip_format(&ip, false, a, sizeof(a));
			ret = cni_fail(&p->err, E_CHECK, NULL, "the endpoint map does not send %s to %s", a,
				       p->dev);
			break;
		}
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* fq on ifindex, for departure times */
static bool has_fq(struct plugin *p, int ifindex)
{
	struct qdisc_list *l = malloc(sizeof(*l));
	struct link_buf b;
	bool ok = l && !net_link(p->nl, NULL, ifindex, &b) && !qdisc_read(p->nl, ifindex, l) &&
		  qdisc_fq_plan(l, b.l.num_tx_queues) == FQ_HAVE;

	free(l);
	return ok;
}

/* The rates as the configuration has them (runtimeConfig.bandwidth): the
 * rate map's entry, the pacers on the pair, fq where they need it; none of
 * it without a rate. */
static int check_bandwidth(struct plugin *p, int ifindex)
{
	const struct nk_dp_bw *bw = &p->c.bw;
	struct nk_dp_endpoint ep;
	struct nk_dp_rate r;
	int fd = nk_dp_map(NK_DP_RATES), err = fd < 0 ? fd : nk_dp_rate_get(fd, ifindex, &r);
	int oif[CNI_MAX_DEVICES], n = 0, ret = 0;

	if (fd >= 0)
		close(fd);
	if (err && err != -ENOENT)
		return cni_fail(&p->err, E_CHECK, strerror(-err), "the rate map cannot be read");
	if (!cni_has_bw(&p->c) ? !err :
	    err || r.egress_rate != bw->egress_rate || r.ingress_rate != bw->ingress_rate ||
	    r.egress_burst != bw->egress_burst || r.ingress_burst != bw->ingress_burst)
		return cni_fail(&p->err, E_CHECK, NULL, "%s's rates are not those of runtimeConfig.bandwidth",
				p->dev);
	if (pinned(ifindex, "peer", NK_DP_PACE_OUT_PROG) != !!bw->egress_rate ||
	    pinned(ifindex, "egress", NK_DP_PACE_IN_PROG) != !!bw->ingress_rate)
		return cni_fail(&p->err, E_CHECK, NULL, "%s's pacers are not those its rates need", p->dev);
	if (bw->ingress_rate && !has_fq(p, ifindex))
		return cni_fail(&p->err, E_CHECK, NULL, "%s has no fq qdisc to pace its ingress", p->dev);
	if (bw->egress_rate && (ret = net_uplinks(p, oif, &n))) {
		char why[sizeof(p->err.msg)];

		snprintf(why, sizeof(why), "%s", p->err.msg);
		return ret == E_CONFIG ? cni_fail(&p->err, E_CHECK, why, "an uplink is gone") : ret;
	}
	for (int i = 0; i < n; i++)
		if (!has_fq(p, oif[i]))
			return cni_fail(&p->err, E_CHECK, NULL,
					"the uplink with ifindex %d has no fq qdisc to pace %s's egress", oif[i], p->dev);
	if (p->c.datapath != DATAPATH_BPF || (fd = nk_dp_map(NK_DP_ENDPOINTS)) < 0)
		return 0;	/* check_datapath says what is missing */
	json_for_each(x, json_get(p->c.prev, "ips")) {
		struct nk_ip ip;

		if (json_str(json_get(x, "address")) && !nk_ip_parse(json_str(json_get(x, "address")), &ip) &&
		    !nk_dp_endpoint_get(fd, &ip, &ep) &&
		    !(ep.flags & NK_DP_EP_STACK) != !bw->ingress_rate) {
			ret = cni_fail(&p->err, E_CHECK, NULL, bw->ingress_rate ?
				       "%s has an ingress rate, and its endpoint is on the fast path" :
				       "%s's endpoint is kept off the fast path, though it has no ingress rate", p->dev);
			break;
		}
	}
	close(fd);
	return ret;
}

/* CHECK under the locks: never halfway through an ADD or DEL of the
 * same attachment, nor during a GC */
static int check_locked(struct plugin *p)
{
	const struct nk_attr *mode = nk_attr_of(KW_MODE);
	struct link_buf b;
	const struct link *l = &b.l;
	struct nk_attrs na;
	int ret;

	if (net_link(p->nl, p->dev, 0, &b))
		return cni_fail(&p->err, E_CHECK, NULL, "%s does not exist", p->dev);
	nk_parse_attrs(l->info_data, &na);
	if (strcmp(l->kind, "netkit"))
		ret = cni_fail(&p->err, E_CHECK, NULL, "%s is not a netkit device", p->dev);
	else if (na.val[NK_IFLA_NETKIT_MODE] != p->c.nk.mode)
		ret = cni_fail(&p->err, E_CHECK, NULL, "%s is in mode %s, not %s", p->dev,
			       nk_attr_name(mode, na.val[NK_IFLA_NETKIT_MODE]) ?: "unknown",
			       nk_attr_name(mode, p->c.nk.mode));
	else if (has(&p->c.nk.dev, KW_POLICY) && na.val[NK_IFLA_NETKIT_POLICY] != p->c.nk.dev.policy)
		ret = cni_fail(&p->err, E_CHECK, NULL, "%s does not have the policy of the configuration",
			       p->dev);
	else if (has(&p->c.nk.peer, KW_POLICY) &&
		 na.val[NK_IFLA_NETKIT_PEER_POLICY] != p->c.nk.peer.policy)
		ret = cni_fail(&p->err, E_CHECK, NULL, "%s does not have the peer policy of the configuration",
			       p->dev);
	else if (!(ret = check_pod(p, l->ifindex)) && p->c.prog.object &&
		 !pinned(l->ifindex, p->c.prog.hook == PROG_PEER ? "peer" : "primary", p->c.prog.name))
		ret = cni_fail(&p->err, E_CHECK, NULL, "%s is not attached to %s %s",
			       p->c.prog.name ? p->c.prog.name : "no program of ours", p->dev,
			       p->c.prog.hook == PROG_PEER ? "peer" : "primary");
	if (!ret)
		ret = check_datapath(p, l->ifindex);
	return ret ? ret : check_bandwidth(p, l->ifindex);
}

int cmd_check(struct plugin *p)
{
	int ret;

	if ((ret = need_env(p, true)))
		return ret;
	if (!p->c.prev || !json_get(p->c.prev, "ips"))
		return cni_fail(&p->err, E_CONFIG, NULL, "CHECK needs prevResult");
	if ((ret = lock_take(p, false, p->dev)))
		return ret;
	ret = check_locked(p);
	lock_drop(p);
	return ret;
}

/* --- STATUS ---------------------------------------------------------------------- */

int cmd_status(struct plugin *p)
{
	char path[PATH_MAX];
	int ret;

	/* what ADD would refuse with 100, from the probe kept for the boot:
	 * no netkit pair per call */
	if ((ret = net_features(p, E_UNAVAILABLE))) {
		snprintf(p->err.msg, sizeof(p->err.msg), "nktools cannot add containers of this network on this node");
		return ret;
	}
	if (ipam_find(p->c.ipam_type, path, sizeof(path)))
		return cni_fail(&p->err, E_UNAVAILABLE, getenv("CNI_PATH"),
				"IPAM plugin \"%s\" not found in CNI_PATH", p->c.ipam_type);
	/* a plugin older than 1.1 knows no STATUS */
	if (!ipam_speaks_1_1(p))
		return ipam_pool_status(p);
	return ipam_call(p, "STATUS", "", "", NULL, NULL);
}
