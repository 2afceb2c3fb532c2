// SPDX-License-Identifier: GPL-2.0
/* The network configuration (stdin) into struct cni_conf, every key checked
 * before anything is made; and the IPAM plugin's result. Pure. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cni.h"
#include "link.h"
#include "compat.h"

const char *const cni_versions[] = { "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0", NULL };

int cni_fail(struct cni_err *e, int code, const char *details, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	snprintf(e->details, sizeof(e->details), "%s", details ? details : "");
	return code;
}

static int version_index(const char *v)
{
	for (int i = 0; v && cni_versions[i]; i++)
		if (!strcmp(v, cni_versions[i]))
			return i;
	return -1;
}

/* cniVersion, or (1.1) the highest of cniVersions this plugin speaks */
static int pick_version(struct cni_conf *c, struct cni_err *e)
{
	const struct json *vs = json_get(c->root, "cniVersions");
	const struct json *v = json_get(c->root, "cniVersion");

	c->version_idx = -1;
	if (v) {
		c->version = json_str(v);
		c->version_idx = version_index(c->version);
	} else if (vs && vs->type == JSON_ARR) {
		json_for_each(x, vs) {
			int i = version_index(json_str(x));

			if (i > c->version_idx)
				c->version_idx = i;
		}
	} else {
		c->version_idx = version_index("1.0.0");	/* the spec's advice: assume 1.0 */
	}
	if (c->version_idx < 0) {
		c->version = "1.1.0";	/* the error itself: in our newest */
		return cni_fail(e, E_VERSION, "supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0",
				"CNI version %s is not supported", v && json_str(v) ? json_str(v) : "(none)");
	}
	c->version = cni_versions[c->version_idx];
	return 0;
}

/* key: absent, or one of the words of attribute a, whose value goes to its
 * field (on side for a per-side one) */
static int choice(const struct json *obj, const char *key, struct nk_conf *nk, struct nk_side *side,
		  const struct nk_attr *a, struct cni_err *e)
{
	const struct json *j = json_get(obj, key);
	const char *s = json_str(j);
	char usage[128];

	if (!j)
		return 0;
	for (int i = 0; s && a->names[i]; i++)
		if (!strcmp(s, a->names[i])) {
			*nk_attr_value(nk, side, a) = a->values[i];
			side->seen |= 1ULL << a->kw;
			return 0;
		}
	nk_attr_usage(a, usage, sizeof(usage));
	return cni_fail(e, E_CONFIG, NULL, "\"%s\" must be one of %s", key, usage);
}

static int number(const struct json *obj, const char *key, long long min, long long max,
		  uint32_t *field, struct nk_side *side, enum nk_kw kw, struct cni_err *e)
{
	const struct json *j = json_get(obj, key);
	long long n;

	if (!j)
		return 0;
	if (json_int(j, &n) || n < min || n > max)
		return cni_fail(e, E_CONFIG, NULL, "\"%s\" must be a number from %lld to %lld", key,
				min, max);
	*field = n;
	side->seen |= 1ULL << kw;
	return 0;
}

bool cni_netkit_attr(const struct nk_attr *a)
{
	return a->kw >= 0 && a->kw != KW_PAIRING;
}

void cni_netkit_key(const struct nk_attr *a, bool peer, char buf[32])
{
	if (peer)
		snprintf(buf, 32, "peer%c%s", a->word[0] - 'a' + 'A', a->word + 1);
	else
		snprintf(buf, 32, "%s", a->word);
}

/* Is key one of the netkit attributes' keys? */
static bool netkit_key(const char *key)
{
	char k[32];

	for (size_t i = 0; i < nk_attr_count; i++) {
		const struct nk_attr *a = &nk_attr_table[i];

		for (int peer = 0; cni_netkit_attr(a) && peer <= !!a->peer_type; peer++) {
			cni_netkit_key(a, peer, k);
			if (!strcmp(k, key))
				return true;
		}
	}
	return false;
}

bool cni_arg(const char *args, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);
	bool found = false;

	for (const char *p = args; p && *p; ) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(buf, len, "%.*s", (int)(n - klen - 1), p + klen + 1);
			found = true;	/* the last one wins */
		}
		p += n + (end ? 1 : 0);
	}
	return found;
}

static int netkit_keys(struct cni_conf *c, const char *cni_args, struct cni_err *e)
{
	struct nk_conf *nk = &c->nk;
	const struct json *rt = json_get(c->root, "runtimeConfig"), *root = c->root;
	char arg[32];
	const char *mac;
	int ret;

	nk->mode = NK_NETKIT_L3;
	/* the attribute table's keys: each attribute's word, and a per-side
	 * one's "peerWord" too */
	for (size_t i = 0; i < nk_attr_count; i++) {
		const struct nk_attr *a = &nk_attr_table[i];

		for (int peer = 0; cni_netkit_attr(a) && peer <= !!a->peer_type; peer++) {
			struct nk_side *side = peer ? &nk->peer : &nk->dev;
			char key[32];

			cni_netkit_key(a, peer, key);
			ret = a->names ? choice(root, key, nk, side, a, e) :
			      number(root, key, a->min, a->max, nk_attr_value(nk, side, a), side, a->kw, e);
			if (ret)
				return ret;
		}
	}
	if ((ret = number(root, "mtu", 68, 65535, &nk->dev.mtu, &nk->dev, KW_MTU, e)))
		return ret;
	nk->dev.seen |= 1ULL << KW_MODE | 1ULL << KW_UP;	/* l3 unless l2 is asked for */
	if (has(&nk->dev, KW_MTU)) {
		nk->peer.mtu = nk->dev.mtu;
		nk->peer.seen |= 1ULL << KW_MTU;
	}
	/* the MAC the runtime asks for: CNI_ARGS MAC=, else runtimeConfig.mac */
	mac = json_str(json_get(rt, "mac"));
	if (json_get(rt, "mac") && !mac)
		return cni_fail(e, E_CONFIG, NULL, "\"runtimeConfig.mac\" must be a string");
	if (cni_arg(cni_args, "MAC", arg, sizeof(arg)))
		mac = arg;
	if (mac) {
		if (link_parse_mac(mac, nk->peer.mac))
			return cni_fail(e, E_CONFIG, NULL, "\"%s\" is not a MAC address a device can have",
					mac);
		nk->peer.seen |= 1ULL << KW_ADDRESS;
	}
	return 0;
}

static int program_keys(struct cni_conf *c, struct cni_err *e)
{
	const struct json *p = json_get(c->root, "program"), *h;
	static const char usage[] =
		"\"program\" must be an object: {\"object\": FILE, \"name\": PROG, \"hook\": \"peer\" | \"primary\"}";

	if (!p || p->type == JSON_NULL)
		return 0;
	if (p->type != JSON_OBJ)
		return cni_fail(e, E_CONFIG, NULL, usage);
	c->prog.object = json_str(json_get(p, "object"));
	if (!c->prog.object || !c->prog.object[0])
		return cni_fail(e, E_CONFIG, NULL, "\"program\" needs \"object\", an ELF file");
	c->prog.name = json_str(json_get(p, "name"));
	c->prog.section = json_str(json_get(p, "section"));
	if ((json_get(p, "name") && !c->prog.name) || (json_get(p, "section") && !c->prog.section))
		return cni_fail(e, E_CONFIG, NULL, usage);
	h = json_get(p, "hook");
	if (!h || (json_str(h) && !strcmp(json_str(h), "peer")))
		c->prog.hook = PROG_PEER;
	else if (json_str(h) && !strcmp(json_str(h), "primary"))
		c->prog.hook = PROG_PRIMARY;
	else
		return cni_fail(e, E_CONFIG, NULL, "\"program.hook\" must be one of: peer, primary");
	return 0;
}

static int datapath_keys(struct cni_conf *c, struct cni_err *e)
{
	const struct json *dp = json_get(c->root, "datapath"), *devs = json_get(c->root, "devices");
	const char *s = json_str(dp);

	if (dp) {
		if (s && !strcmp(s, "bpf"))
			c->datapath = DATAPATH_BPF;
		else if (s && !strcmp(s, "stack"))
			c->datapath = DATAPATH_STACK;
		else
			return cni_fail(e, E_CONFIG, NULL, "\"datapath\" must be one of: bpf, stack");
	}
	if (!devs)
		return 0;
	if (devs->type != JSON_ARR || !devs->n || devs->n > CNI_MAX_DEVICES)
		return cni_fail(e, E_CONFIG, NULL,
				"\"devices\" must be a list of 1 to %d device names", CNI_MAX_DEVICES);
	json_for_each(x, devs) {
		s = json_str(x);
		if (!s || !s[0] || strlen(s) >= 16 || strchr(s, '/'))
			return cni_fail(e, E_CONFIG, NULL, "\"devices\": \"%s\" is not a device name",
					s ? s : "(not a string)");
		c->devices[c->ndevices++] = s;
	}
	return 0;
}

/* A rate or burst of runtimeConfig.bandwidth: a whole number, bits (per
 * second), at most 2^53 (the largest a JSON number holds exactly) */
static int bw_number(const struct json *bw, const char *key, uint64_t *v, struct cni_err *e)
{
	const struct json *j = json_get(bw, key);
	long long n;

	*v = 0;
	if (!j)
		return 0;
	if (json_int(j, &n) || n < 0 || n > (1LL << 53))
		return cni_fail(e, E_CONFIG, NULL,
				"\"runtimeConfig.bandwidth.%s\" must be a whole number of bits%s from 0 to 2^53",
				key, strstr(key, "Rate") ? " per second" : "");
	*v = n;
	return 0;
}

/* runtimeConfig.bandwidth, as the bandwidth capability passes it: rates in
 * bits per second, bursts in bits. Both ways are paced (EDT): a burst is
 * accepted, and not used (pacing sends none above the rate). */
static int bandwidth_keys(struct cni_conf *c, struct cni_err *e)
{
	const struct json *bw = json_get(json_get(c->root, "runtimeConfig"), "bandwidth");
	int ret;

	if (!bw)
		return 0;
	if (bw->type != JSON_OBJ)
		return cni_fail(e, E_CONFIG, NULL, "\"runtimeConfig.bandwidth\" must be an object");
	if ((ret = bw_number(bw, "ingressRate", &c->bw.ingress_rate, e)) ||
	    (ret = bw_number(bw, "ingressBurst", &c->bw.ingress_burst, e)) ||
	    (ret = bw_number(bw, "egressRate", &c->bw.egress_rate, e)) ||
	    (ret = bw_number(bw, "egressBurst", &c->bw.egress_burst, e)))
		return ret;
	if ((c->bw.ingress_burst && !c->bw.ingress_rate) || (c->bw.egress_burst && !c->bw.egress_rate))
		return cni_fail(e, E_CONFIG, NULL,
				"\"runtimeConfig.bandwidth\": a burst needs its rate");
	return 0;
}

/* The keys a configuration may have: the spec's, those runtimes add, ours.
 * Any other is a mistake said at once (a misspelt key would be ignored). */
static const char *const known_keys[] = {
	"cniVersion", "cniVersions", "name", "type", "disableCheck", "disableGC", "capabilities",
	"runtimeConfig", "args", "prevResult", "ipam", "dns", "cni.dev/valid-attachments",
	"cni.dev/attachments",
	/* and the netkit attribute table's (netkit_key) */
	"mtu", "program", "stateDir", "datapath", "devices", NULL
};

static int unknown_keys(const struct cni_conf *c, struct cni_err *e)
{
	json_for_each(x, c->root) {
		int i = 0;

		while (known_keys[i] && strcmp(known_keys[i], x->key))
			i++;
		if (!known_keys[i] && !netkit_key(x->key))
			return cni_fail(e, E_CONFIG, NULL, "unknown key \"%s\" in the configuration of %s",
					x->key, c->name);
	}
	return 0;
}

int cni_conf_parse(const char *text, size_t len, const char *cni_args, struct cni_conf *c,
		   struct cni_err *e)
{
	char why[128];
	const struct json *ipam;
	int ret;

	memset(c, 0, sizeof(*c));
	c->version = "1.0.0";
	c->root = json_parse(text, len, why, sizeof(why));
	if (!c->root)
		return cni_fail(e, E_DECODE, why, "the network configuration is not JSON");
	if (c->root->type != JSON_OBJ)
		return cni_fail(e, E_DECODE, NULL, "the network configuration is not a JSON object");
	if ((ret = pick_version(c, e)))
		return ret;
	c->name = json_str(json_get(c->root, "name"));
	if (!c->name || !c->name[0] || strchr(c->name, '/') || !strcmp(c->name, ".") ||
	    !strcmp(c->name, ".."))
		return cni_fail(e, E_CONFIG, NULL, "\"name\" must name the network (no \"/\")");
	if ((ret = unknown_keys(c, e)) || (ret = netkit_keys(c, cni_args, e)) ||
	    (ret = program_keys(c, e)) || (ret = datapath_keys(c, e)) ||
	    (ret = bandwidth_keys(c, e)))
		return ret;
	ipam = json_get(c->root, "ipam");
	c->ipam_type = json_str(json_get(ipam, "type"));
	if (!c->ipam_type || !c->ipam_type[0] || strchr(c->ipam_type, '/'))
		return cni_fail(e, E_CONFIG, NULL,
				"\"ipam\" with a \"type\" is needed: the addresses come from an IPAM plugin (e.g. host-local)");
	c->state_dir = CNI_STATE_DIR;
	if (json_get(c->root, "stateDir")) {
		c->state_dir = json_str(json_get(c->root, "stateDir"));
		if (!c->state_dir || c->state_dir[0] != '/')
			return cni_fail(e, E_CONFIG, NULL, "\"stateDir\" must be an absolute path");
	}
	c->prev = json_get(c->root, "prevResult");
	if (c->prev && c->prev->type != JSON_OBJ)
		c->prev = NULL;
	c->valid = json_get(c->root, "cni.dev/valid-attachments");
	if (!c->valid)
		c->valid = json_get(c->root, "cni.dev/attachments");
	if (c->valid && c->valid->type != JSON_ARR)
		return cni_fail(e, E_CONFIG, NULL, "\"cni.dev/valid-attachments\" must be an array");
	return 0;
}

void cni_conf_free(struct cni_conf *c)
{
	json_free(c->root);
	c->root = NULL;
}

static int ip_of(const struct json *j, const char *key, struct nk_ip *ip, bool plen)
{
	const char *s = json_str(json_get(j, key));

	if (!s)
		return json_get(j, key) ? -EINVAL : 0;
	if (nk_ip_parse(s, ip) || (plen && ip->plen < 0) || (!plen && ip->plen >= 0))
		return -EINVAL;
	return 0;
}

int cni_ipam_parse(const struct json *res, struct cni_ipam *r)
{
	const struct json *ips = json_get(res, "ips"), *dns;

	memset(r, 0, sizeof(*r));
	if (!ips || ips->type != JSON_ARR || !ips->n)
		return -EINVAL;
	json_for_each(x, ips) {
		struct cni_ip *ip = &r->ip[r->nip];

		if (r->nip == CNI_MAX_IPS || ip_of(x, "address", &ip->addr, true) ||
		    !ip->addr.family || ip_of(x, "gateway", &ip->gw, false) ||
		    (ip->gw.family && ip->gw.family != ip->addr.family))
			return -EINVAL;
		r->nip++;
	}
	json_for_each(x, json_get(res, "routes")) {
		struct cni_route *rt = &r->route[r->nroute];

		if (r->nroute == CNI_MAX_ROUTES || ip_of(x, "dst", &rt->dst, true) ||
		    !rt->dst.family || ip_of(x, "gw", &rt->gw, false) ||
		    (rt->gw.family && rt->gw.family != rt->dst.family))
			return -EINVAL;
		r->nroute++;
	}
	dns = json_get(res, "dns");
	if (dns && dns->type == JSON_OBJ && !(r->dns = json_dup(dns)))
		return -ENOMEM;
	return 0;
}

void cni_ipam_free(struct cni_ipam *r)
{
	json_free(r->dns);
	r->dns = NULL;
}

void cni_host_dev(const char *id, const char *ifname, char buf[16])
{
	/* FNV-1a, 64 bits, over "ID/IFNAME": 48 of them shown */
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	h = (h ^ '/') * 0x100000001b3ULL;
	for (const char *p = ifname; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	snprintf(buf, 16, "nk%012llx", (unsigned long long)(h >> 16));
}

int cni_alias(const char *net, const char *id, const char *ifname, char buf[CNI_ALIAS_MAX])
{
	return snprintf(buf, CNI_ALIAS_MAX, CNI_ALIAS_PREFIX "%s/%s/%s", net, ifname, id) >=
	       CNI_ALIAS_MAX ? -ENAMETOOLONG : 0;
}

bool cni_alias_parse(const char *alias, const char *net, char *id, size_t idlen, char ifname[16])
{
	size_t n = strlen(net), plen = strlen(CNI_ALIAS_PREFIX);
	const char *rest, *slash;

	if (!alias || strncmp(alias, CNI_ALIAS_PREFIX, plen) || strncmp(alias + plen, net, n) ||
	    alias[plen + n] != '/')
		return false;
	rest = alias + plen + n + 1;
	slash = strchr(rest, '/');
	if (!slash || slash == rest || slash - rest >= 16 || !slash[1] || strlen(slash + 1) >= idlen)
		return false;
	snprintf(ifname, 16, "%.*s", (int)(slash - rest), rest);
	snprintf(id, idlen, "%s", slash + 1);
	return true;
}
