// SPDX-License-Identifier: GPL-2.0
/*
 * GC: every attachment of this network that is not in the runtime's valid
 * list goes, as DEL would remove it. Those with a record first; then what
 * no record says is ours (a record lost with a crash, a kill between
 * steps): pairs by the alias ADD gives their host end, host-local's leases
 * by the attachment they name, and pins of devices that are gone; then
 * the data path's entries whose device is gone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/stat.h>
#include "addr.h"
#include "link.h"
#include "plugin.h"
#include "tcx/pins.h"

static bool valid_id(const struct plugin *p, const char *id, const char *ifname)
{
	json_for_each(x, p->c.valid) {
		const char *vid = json_str(json_get(x, "containerID"));
		const char *vif = json_str(json_get(x, "ifname"));

		if (vid && vif && !strcmp(vid, id) && !strcmp(vif, ifname))
			return true;
	}
	return false;
}

static bool valid(const struct plugin *p, const struct record *r)
{
	return valid_id(p, r->id, r->ifname);
}

/* An attachment without a record goes as DEL would remove it; 0 or its
 * error code (said on stderr) */
static int gc_one(struct plugin *p, struct record *r, const char *what)
{
	int ret = teardown(p, r, false);

	if (ret)
		fprintf(stderr, "nktools: GC of %s (%s), %s: %s\n", r->id, r->ifname, what, p->err.msg);
	return ret;
}

#define GC_MAX_PAIRS 4096
struct pairs {
	const struct plugin *p;
	struct record *r;
	size_t n;
};

static int pair_cb(const struct nlmsghdr *nlh, void *data)
{
	struct pairs *v = data;
	struct record *r;
	struct link l;

	if (link_parse(nlh, &l) < 0 || strcmp(l.kind, "netkit") || v->n == GC_MAX_PAIRS)
		return 0;
	r = &v->r[v->n];
	memset(r, 0, sizeof(*r));
	if (!cni_alias_parse(l.ifalias, v->p->c.name, r->id, sizeof(r->id), r->ifname))
		return 0;
	snprintf(r->dev, sizeof(r->dev), "%s", l.ifname);
	r->ifindex = l.ifindex;
	v->n++;
	return 0;
}

/* Pairs of this network (by their alias) without a record, not valid */
int gc_pairs(struct plugin *p)
{
	struct pairs v = { .p = p, .r = calloc(GC_MAX_PAIRS, sizeof(struct record)) };
	int err, first = 0;

	if (!v.r)
		return cni_fail(&p->err, E_SYSTEM, NULL, "out of memory");
	err = link_dump(p->nl, "netkit", pair_cb, &v);
	if (err) {
		free(v.r);
		return cni_fail(&p->err, E_SYSTEM, strerror(-err), "cannot list the netkit devices");
	}
	for (size_t i = 0; i < v.n; i++) {
		struct record rec, *r = &v.r[i];
		int ret;

		if (!record_read(p, r->dev, &rec) || valid(p, r))
			continue;	/* its record's (gone already, or valid) */
		/* the addresses: the host routes to its pair */
		route_list_hosts(p->nl, r->ifindex, record_collect_ip, r);
		ret = gc_one(p, r, "a pair without its record");
		first = first ?: ret;
	}
	free(v.r);
	return first;
}

/* host-local's leases (DATADIR/NETWORK/ADDRESS: "ID\r\nIFNAME") of no valid
 * attachment and no record: an IPAM DEL each */
int gc_leases(struct plugin *p)
{
	const struct json *ipam = json_get(p->c.root, "ipam");
	const char *data = json_str(json_get(ipam, "dataDir"));
	char dir[PATH_MAX], path[PATH_MAX * 2], buf[512];
	struct dirent *de;
	int first = 0;
	DIR *d;

	if (strcmp(p->c.ipam_type, "host-local"))
		return 0;	/* other IPAM plugins: their own GC */
	snprintf(dir, sizeof(dir), "%s/%s", data ? data : "/var/lib/cni/networks", p->c.name);
	if (!(d = opendir(dir)))
		return 0;
	while ((de = readdir(d))) {
		struct record r = { 0 }, rec;
		struct nk_ip ip;
		char dev[16], *nl;
		ssize_t n;
		int fd, ret;

		if (nk_ip_parse(de->d_name, &ip) || snprintf(path, sizeof(path), "%s/%s", dir,
							     de->d_name) >= (int)sizeof(path))
			continue;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = 0;
		/* the container id, then (host-local since 0.9) the ifname */
		if (!(nl = strpbrk(buf, "\r\n")) || nl == buf)
			continue;
		*nl++ = 0;
		nl += strspn(nl, "\r\n");
		nl[strcspn(nl, "\r\n")] = 0;
		if (!*nl || strlen(buf) >= sizeof(r.id) || strlen(nl) >= sizeof(r.ifname))
			continue;
		snprintf(r.id, sizeof(r.id), "%s", buf);
		snprintf(r.ifname, sizeof(r.ifname), "%s", nl);
		cni_host_dev(r.id, r.ifname, dev);
		if (valid(p, &r) || !record_read(p, dev, &rec))
			continue;
		ret = ipam_call(p, "DEL", r.id, r.ifname, NULL, NULL);
		if (ret)
			fprintf(stderr, "nktools: GC of %s (%s), a lease without its record: %s\n", r.id,
				r.ifname, p->err.msg);
		first = first ?: ret;
	}
	closedir(d);
	return first;
}

/* Pins (PIN_ROOT/NETNS_INODE/IFINDEX/...) of devices that are gone */
void gc_pins(void)
{
	char ns[PATH_MAX], name[IF_NAMESIZE];
	struct dirent *de;
	DIR *d;

	if (tcx_pin_ns_dir(ns, sizeof(ns)) || !(d = opendir(ns)))
		return;
	while ((de = readdir(d))) {
		char *end;
		long ifindex = strtol(de->d_name, &end, 10);

		if (*end || ifindex <= 0 || end == de->d_name || if_indextoname(ifindex, name))
			continue;
		net_unpin(ifindex);
	}
	closedir(d);
}

int cmd_gc(struct plugin *p)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int ret, first = 0;
	DIR *d;

	if (!p->c.valid)	/* nothing is known to be valid: nothing goes */
		return 0;
	ipam_prepare(p);
	if ((ret = lock_take(p, true, NULL)))
		return ret;
	snprintf(dir, sizeof(dir), "%s/%s", p->c.state_dir, p->c.name);
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char dev[16];
		struct record r;

		if (n < 6 || n - 5 >= sizeof(dev) || strcmp(de->d_name + n - 5, ".json"))
			continue;
		snprintf(dev, sizeof(dev), "%.*s", (int)(n - 5), de->d_name);
		if (record_read(p, dev, &r) || valid(p, &r))
			continue;
		ret = teardown(p, &r, false);
		if (!ret)
			record_remove(p, dev);
		else
			fprintf(stderr, "nktools: GC of %s (%s): %s\n", r.id, r.ifname, p->err.msg);
		first = first ?: ret;
	}
	/* the lock files of attachments without a record: with the network's
	 * lock taken alone, nobody holds or waits on them */
	if (d)
		rewinddir(d);
	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char path[PATH_MAX * 2];
		struct stat st;

		if (n < 6 || strcmp(de->d_name + n - 5, ".lock"))
			continue;
		snprintf(path, sizeof(path), "%s/%.*s.json", dir, (int)(n - 5), de->d_name);
		if (stat(path, &st) && errno == ENOENT) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
	}
	if (d)
		closedir(d);
	/* what no record says is ours: pairs by their alias, host-local's
	 * leases, pins of devices that are gone */
	first = first ?: gc_pairs(p);
	first = first ?: gc_leases(p);
	gc_pins();
	/* the endpoints of pairs gone without a DEL (a killed ADD, a lost
	 * record), of any network */
	if ((ret = net_datapath_prune()))
		fprintf(stderr, "nktools: GC of the endpoint map: %s\n", strerror(-ret));
	first = first ?: (ret ? E_SYSTEM : 0);
	lock_drop(p);
	/* the IPAM plugin's own GC, where it speaks 1.1 (before, our DELs
	 * released its leases) */
	if (ipam_speaks_1_1(p)) {
		ret = ipam_call(p, "GC", p->id ? p->id : "", p->ifname ? p->ifname : "", NULL, NULL);
		first = first ?: ret;
	}
	if (first && !p->err.raw)
		return cni_fail(&p->err, E_SYSTEM, NULL, "some stale attachments could not be removed");
	return 0;
}
