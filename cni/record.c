// SPDX-License-Identifier: GPL-2.0
/* The attachment records (STATE_DIR/NETWORK/DEV.json), written atomically,
 * and the locks: the network's (shared by ADD, DEL and CHECK, exclusive for
 * GC, so that GC never removes what an ADD in flight is making) and the
 * attachment's (one call at a time for one container and ifname). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "lock.h"
#include "plugin.h"
#include "tcx/pins.h"

static int net_dir(const struct plugin *p, char *buf, size_t len)
{
	if (snprintf(buf, len, "%s/%s", p->c.state_dir, p->c.name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

int record_path(const struct plugin *p, const char *dev, const char *ext, char *buf, size_t len)
{
	char dir[PATH_MAX];
	int err = net_dir(p, dir, sizeof(dir));

	if (!err && snprintf(buf, len, "%s/%s%s", dir, dev, ext) >= (int)len)
		err = -ENAMETOOLONG;
	return err;
}

int lock_take(struct plugin *p, bool exclusive, const char *dev)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	int err = net_dir(p, dir, sizeof(dir));

	if (!err)
		err = tcx_mkdirs(dir);
	if (err)
		return cni_fail(&p->err, E_IO, strerror(-err), "cannot make the state directory %s/%s",
				p->c.state_dir, p->c.name);
	snprintf(path, sizeof(path), "%s/lock", dir);
	p->lock_fd = nk_lock_open(path, exclusive ? LOCK_EX : LOCK_SH);
	if (p->lock_fd < 0)
		return cni_fail(&p->err, E_IO, strerror(-p->lock_fd), "cannot lock %s", path);
	if (!dev)
		return 0;
	snprintf(path, sizeof(path), "%s/%s.lock", dir, dev);
	p->att_fd = nk_lock_open(path, LOCK_EX);
	if (p->att_fd < 0) {
		err = p->att_fd;
		lock_drop(p);
		return cni_fail(&p->err, E_IO, strerror(-err), "cannot lock %s", path);
	}
	return 0;
}

void lock_drop(struct plugin *p)
{
	if (p->att_fd >= 0)
		close(p->att_fd);
	if (p->lock_fd >= 0)
		close(p->lock_fd);
	p->att_fd = p->lock_fd = -1;
}

static int put_str(struct json *o, const char *key, const char *v)
{
	return json_set(o, key, json_new_str(v));
}

int record_write(struct plugin *p, const struct record *r)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16], a[64];
	struct json *o = json_new(JSON_OBJ), *ips = json_new(JSON_ARR), *done, *idx = NULL;
	int err = o && ips ? 0 : -ENOMEM;
	FILE *f = NULL;

	for (size_t i = 0; !err && i < r->nip; i++) {
		nk_ip_format(&r->ip[i], true, a, sizeof(a));
		err = json_push(ips, json_new_str(a));
	}
	if (!err && (done = json_new(JSON_BOOL)))
		done->b = r->complete;
	if (!err && (idx = json_new(JSON_NUM)) && asprintf(&idx->str, "%d", r->ifindex) > 0)
		idx->len = strlen(idx->str);
	if (!err && !((err = put_str(o, "containerID", r->id)) || (err = put_str(o, "ifname", r->ifname)) ||
		      (err = put_str(o, "device", r->dev)) || (err = put_str(o, "netns", r->netns)) ||
		      (err = json_set(o, "ips", ips)) || (err = json_set(o, "ifindex", idx)) ||
		      (err = json_set(o, "complete", done))))
		ips = NULL;
	if (!err)
		err = record_path(p, r->dev, ".json", path, sizeof(path));
	if (!err) {
		snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
		f = fopen(tmp, "we");
		err = f ? 0 : -errno;
	}
	if (!err) {
		json_write(f, o);
		fputc('\n', f);
		err = fflush(f) || fsync(fileno(f)) ? -errno : 0;
		if (fclose(f) && !err)
			err = -errno;
		if (!err && rename(tmp, path))
			err = -errno;
		if (err)
			unlink(tmp);
	}
	json_free(o);
	json_free(ips);
	if (err)
		return cni_fail(&p->err, E_IO, strerror(-err), "cannot write the record of %s", r->dev);
	return 0;
}

int record_read(const struct plugin *p, const char *dev, struct record *r)
{
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;
	struct json *j;
	FILE *f, *m;
	long long idx;
	int c, err = record_path(p, dev, ".json", path, sizeof(path));

	memset(r, 0, sizeof(*r));
	if (err)
		return err;
	if (!(f = fopen(path, "re")))
		return -errno;
	m = open_memstream(&text, &len);
	while (m && (c = getc(f)) != EOF && len < (1 << 20))
		putc(c, m);
	fclose(f);
	if (!m)
		return -ENOMEM;
	fclose(m);
	j = json_parse(text, len, NULL, 0);
	free(text);
	if (!j || j->type != JSON_OBJ) {
		json_free(j);
		return -EINVAL;
	}
#define COPY(field, key) snprintf(r->field, sizeof(r->field), "%s", \
				  json_str(json_get(j, key)) ? json_str(json_get(j, key)) : "")
	COPY(id, "containerID");
	COPY(ifname, "ifname");
	COPY(dev, "device");
	COPY(netns, "netns");
#undef COPY
	r->complete = json_get(j, "complete") && json_get(j, "complete")->b;
	if (!json_int(json_get(j, "ifindex"), &idx) && idx > 0 && idx < INT_MAX)
		r->ifindex = idx;
	json_for_each(x, json_get(j, "ips"))
		if (r->nip < REC_MAX_IPS && json_str(x) && !nk_ip_parse(json_str(x), &r->ip[r->nip]))
			r->nip++;
	json_free(j);
	return r->id[0] && r->dev[0] ? 0 : -EINVAL;
}

/* The record goes; its lock file stays: unlinked while held, a second
 * caller would lock a new file of the same name while a third still waits
 * on the old one, and two would hold "the" lock. GC removes lock files of
 * attachments without a record, under the network's lock taken alone. */
int record_collect_ip(const struct nk_ip *ip, void *data)
{
	struct record *r = data;

	if (r->nip < REC_MAX_IPS)
		r->ip[r->nip++] = *ip;
	return 0;
}

void record_remove(const struct plugin *p, const char *dev)
{
	char path[PATH_MAX];

	if (!record_path(p, dev, ".json", path, sizeof(path)))
		unlink(path);
	if (!record_path(p, dev, ".ipam", path, sizeof(path)))
		unlink(path);
}

int record_lease_write(struct plugin *p, const char *dev, const struct json *res)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16];
	int err = record_path(p, dev, ".ipam", path, sizeof(path));
	FILE *f = NULL;

	if (!err) {
		snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
		err = (f = fopen(tmp, "we")) ? 0 : -errno;
	}
	if (!err) {
		json_write(f, res);
		err = fflush(f) || fsync(fileno(f)) ? -errno : 0;
		if (fclose(f) && !err)
			err = -errno;
		if (!err && rename(tmp, path))
			err = -errno;
		if (err)
			unlink(tmp);
	}
	return err ? cni_fail(&p->err, E_IO, strerror(-err), "cannot keep the lease of %s", dev) : 0;
}

struct json *record_lease_read(const struct plugin *p, const struct record *r)
{
	char path[PATH_MAX], text[65536];
	struct cni_ipam ipam;
	struct json *j = NULL;
	size_t len = 0;
	bool same;
	FILE *f;

	if (!r->nip || record_path(p, r->dev, ".ipam", path, sizeof(path)) || !(f = fopen(path, "re")))
		return NULL;
	len = fread(text, 1, sizeof(text), f);
	fclose(f);
	if (len < sizeof(text))
		j = json_parse(text, len, NULL, 0);
	if (!j || cni_ipam_parse(j, &ipam)) {
		json_free(j);
		return NULL;
	}
	/* the lease is the record's: the same addresses */
	same = ipam.nip == r->nip;
	for (size_t i = 0; same && i < r->nip; i++)
		same = ipam.ip[i].addr.family == r->ip[i].family &&
		       !memcmp(ipam.ip[i].addr.addr, r->ip[i].addr, 16);
	cni_ipam_free(&ipam);
	if (!same) {
		json_free(j);
		return NULL;
	}
	return j;
}

/* A DEL's mark on an address whose sockets it is destroying: a file
 * STATE_DIR/NETWORK/ADDR.reap, locked while it works. */
static int mark_path(const struct plugin *p, const struct nk_ip *ip, char *buf, size_t len)
{
	char a[64], name[80];

	nk_ip_format(ip, false, a, sizeof(a));
	snprintf(name, sizeof(name), "%s", a);
	return record_path(p, name, ".reap", buf, len);
}

void reap_mark(struct plugin *p, const struct nk_ip *ip, size_t n, int *fds)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < n; i++) {
		fds[i] = -1;
		if (!mark_path(p, &ip[i], path, sizeof(path)))
			fds[i] = nk_lock_open(path, LOCK_EX);
	}
}

void reap_unmark(struct plugin *p, const struct nk_ip *ip, size_t n, int *fds)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < n; i++) {
		if (fds[i] < 0)
			continue;
		/* gone first: who opens it after this finds none */
		if (!mark_path(p, &ip[i], path, sizeof(path)))
			unlink(path);
		close(fds[i]);
	}
}

void reap_wait(struct plugin *p, const struct nk_ip *ip)
{
	char path[PATH_MAX];
	int fd;

	if (mark_path(p, ip, path, sizeof(path)) || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	while (flock(fd, LOCK_SH) < 0 && errno == EINTR)
		;
	close(fd);
}
