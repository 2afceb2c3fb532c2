// SPDX-License-Identifier: GPL-2.0
/* The data path's pinned maps, read and written without its programs: the
 * endpoint map for the CNI plugin's ADD, DEL and GC and for show. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include "datapath/dp.h"
#include "grow.h"

int nk_dp_map(const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX + 64];
	int err = nk_dp_dir(dir, sizeof(dir)), fd;

	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

/* The value size of map fd, whose keys must be key_size bytes: another
 * build's layout may have longer or shorter values than this one's (fields
 * are only ever appended: datapath.h). -EPROTO where the key differs. */
static int value_size(int fd, size_t key_size)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_map_get_info_by_fd(fd, &info, &len))
		return -errno;
	return info.key_size == key_size && info.value_size ? (int)info.value_size : -EPROTO;
}

int nk_dp_value_get(int fd, const void *key, size_t key_size, void *v, size_t size)
{
	int vs = value_size(fd, key_size), err;
	unsigned char *buf;

	if (vs < 0)
		return vs;
	if (!(buf = calloc(1, (size_t)vs > size ? (size_t)vs : size)))
		return -ENOMEM;
	err = bpf_map_lookup_elem(fd, key, buf) ? -errno : 0;
	if (!err)
		memcpy(v, buf, size);
	free(buf);
	return err;
}

int nk_dp_value_put(int fd, const void *key, size_t key_size, const void *v, size_t size)
{
	int vs = value_size(fd, key_size), err;
	unsigned char *buf;

	if (vs < 0)
		return vs;
	if (!(buf = calloc(1, vs)))
		return -ENOMEM;
	memcpy(buf, v, (size_t)vs < size ? (size_t)vs : size);
	err = bpf_map_update_elem(fd, key, buf, BPF_ANY) ? -errno : 0;
	free(buf);
	return err;
}

void nk_dp_key(const struct nk_ip *ip, struct nk_dp_addr *key)
{
	memset(key, 0, sizeof(*key));
	if (ip->family == AF_INET) {
		key->addr[10] = key->addr[11] = 0xff;
		memcpy(key->addr + 12, ip->addr, 4);
	} else {
		memcpy(key->addr, ip->addr, 16);
	}
}

void nk_dp_key_ip(const struct nk_dp_addr *key, struct nk_ip *ip)
{
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };

	memset(ip, 0, sizeof(*ip));
	ip->plen = -1;
	if (!memcmp(key->addr, mapped, sizeof(mapped))) {
		ip->family = AF_INET;
		memcpy(ip->addr, key->addr + 12, 4);
	} else {
		ip->family = AF_INET6;
		memcpy(ip->addr, key->addr, 16);
	}
}

int nk_dp_endpoint_put(int fd, const struct nk_ip *ip, const struct nk_dp_endpoint *ep)
{
	struct nk_dp_addr key;

	nk_dp_key(ip, &key);
	return nk_dp_value_put(fd, &key, sizeof(key), ep, sizeof(*ep));
}

int nk_dp_endpoint_get(int fd, const struct nk_ip *ip, struct nk_dp_endpoint *ep)
{
	struct nk_dp_addr key;

	nk_dp_key(ip, &key);
	return nk_dp_value_get(fd, &key, sizeof(key), ep, sizeof(*ep));
}

int nk_dp_endpoint_del(int fd, const struct nk_ip *ip, int ifindex)
{
	struct nk_dp_endpoint ep;
	struct nk_dp_addr key;
	char name[IF_NAMESIZE];
	int err = nk_dp_endpoint_get(fd, ip, &ep);

	if (err)
		return err == -ENOENT ? 0 : err;
	nk_dp_key(ip, &key);
	if (ifindex ? ep.ifindex != (__u32)ifindex : !!if_indextoname(ep.ifindex, name))
		return 0;	/* another pod's now, or its device is there */
	return bpf_map_delete_elem(fd, &key) && errno != ENOENT ? -errno : 0;
}

int nk_dp_endpoints_read(int fd, struct nk_dp_entry **out, size_t *n)
{
	struct nk_dp_entry *v = NULL;
	struct nk_dp_addr key, next;
	size_t cap = 0;
	void *prev = NULL;

	*n = 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		struct nk_dp_entry e;

		key = next;
		prev = &key;
		if (nk_dp_value_get(fd, &key, sizeof(key), &e.ep, sizeof(e.ep)))
			continue;	/* gone meanwhile */
		nk_dp_key_ip(&key, &e.ip);
		if (NK_GROW(v, *n, cap)) {
			free(v);
			return -ENOMEM;
		}
		v[(*n)++] = e;
	}
	if (errno != ENOENT) {
		free(v);
		return -errno;
	}
	*out = v;
	return 0;
}

int nk_dp_uplinks_prune(int fd)
{
	char name[IF_NAMESIZE];
	__u32 key, next;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		if (!if_indextoname(key, name)) {
			if (bpf_map_delete_elem(fd, &key) && errno != ENOENT)
				return -errno;
			prev = NULL;	/* the walk again, without it */
			continue;
		}
		prev = &key;
	}
	return errno == ENOENT ? 0 : -errno;
}
