/* SPDX-License-Identifier: GPL-2.0 */
/* cni/nktools: the CNI plugin. The protocol's words (configuration, results,
 * error objects) live here; the kernel work is lib/'s. */
#ifndef CNI_H
#define CNI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "addr.h"
#include "json.h"
#include "netkit/netkit.h"
#include "datapath/dp.h"

/* The spec's error codes, and ours (100+) */
enum cni_code {
	CNI_OK = 0,
	E_VERSION = 1, E_FIELD = 2, E_UNKNOWN = 3, E_ENV = 4, E_IO = 5, E_DECODE = 6,
	E_CONFIG = 7, E_AGAIN = 11, E_UNAVAILABLE = 50, E_IMPAIRED = 51,
	E_KERNEL = 100,		/* the kernel lacks a feature the config asks for */
	E_SYSTEM = 101,		/* a step on the node failed */
	E_CHECK = 102,		/* CHECK found a difference */
};

/* An error on its way to stdout: code, message and details. */
struct cni_err {
	int code;
	char msg[256];
	char details[1024];
	char *raw;		/* a delegated plugin's own error object, passed on */
};
int cni_fail(struct cni_err *e, int code, const char *details, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

extern const char *const cni_versions[];	/* supported, oldest first, NULL-ended */

enum prog_hook { PROG_PEER, PROG_PRIMARY };

/* How pod traffic is forwarded: "bpf", the data path's programs
 * (lib/datapath), or "stack", the host's stack; unset: bpf */
enum cni_datapath { DATAPATH_BPF, DATAPATH_STACK };
#define CNI_MAX_DEVICES 16

/* A network configuration, read (and checked) before anything is made. */
struct cni_conf {
	struct json *root;	/* the configuration as it came */
	const char *version;
	int version_idx;	/* in cni_versions */
	const char *name;
	struct nk_conf nk;	/* mode, policies, scrub, headroom, tailroom, mtu, ... */
	struct {
		const char *object, *name, *section;
		enum prog_hook hook;
	} prog;			/* object NULL: none */
	enum cni_datapath datapath;
	/* "devices": the uplinks the data path forwards to and takes pods'
	 * traffic from; none named: the default routes' devices */
	const char *devices[CNI_MAX_DEVICES];
	size_t ndevices;
	/* runtimeConfig.bandwidth (the "bandwidth" capability): rates 0 where
	 * none is asked for */
	struct nk_dp_bw bw;
	const char *ipam_type;
	const char *state_dir;	/* where the attachment records are */
	const struct json *prev;	/* prevResult */
	const struct json *valid;	/* GC: cni.dev/valid-attachments, or NULL */
};
#define CNI_STATE_DIR "/var/lib/cni/nktools"

/* Does c ask for a rate? */
static inline bool cni_has_bw(const struct cni_conf *c)
{
	return c->bw.egress_rate || c->bw.ingress_rate;
}

/* The netkit attributes a configuration may set: the table's, but pairing
 * (an attachment is a pair); and an attribute's key: its word, or for the
 * peer's side "peer" and the word capitalised ("peerPolicy"). Pure. */
bool cni_netkit_attr(const struct nk_attr *a);
void cni_netkit_key(const struct nk_attr *a, bool peer, char buf[32]);

/* Parse and check text (stdin) into c; the error, else 0. Pure. */
int cni_conf_parse(const char *text, size_t len, const char *cni_args, struct cni_conf *c,
		   struct cni_err *e);
void cni_conf_free(struct cni_conf *c);
/* A key=value of CNI_ARGS ("K1=V1;K2=V2"), into buf: true if present. Pure. */
bool cni_arg(const char *cni_args, const char *key, char *buf, size_t len);

/* An address as the IPAM plugin hands it out */
#define CNI_MAX_IPS 8
#define CNI_MAX_ROUTES 16
struct cni_ip {
	struct nk_ip addr;	/* with the subnet's prefix length */
	struct nk_ip gw;	/* family 0: none */
};
struct cni_route {
	struct nk_ip dst;
	struct nk_ip gw;	/* family 0: none */
};
struct cni_ipam {
	struct cni_ip ip[CNI_MAX_IPS];
	size_t nip;
	struct cni_route route[CNI_MAX_ROUTES];
	size_t nroute;
	struct json *dns;	/* as the plugin gave it, or NULL */
};
/* An IPAM result (any version) into r: 0 or -EINVAL. Pure. */
int cni_ipam_parse(const struct json *res, struct cni_ipam *r);
void cni_ipam_free(struct cni_ipam *r);

/* What ADD made, for the result */
struct cni_made {
	char host_dev[16];
	char host_mac[18], pod_mac[18];
	uint8_t host_hw[6], pod_hw[6];	/* the same, as bytes */
	const char *ifname, *netns;
};
/* The result, shaped for version (the config's), on f. Pure. */
void cni_result_write(FILE *f, const char *version, const struct cni_made *m,
		      const struct cni_ipam *r);
/* The error object on f. Pure. */
void cni_err_write(FILE *f, const char *version, const struct cni_err *e);

/* The host end's name for an attachment: "nk" and 12 hex digits of a hash
 * of the container id and ifname, the same for ADD, CHECK, DEL and GC. Pure. */
void cni_host_dev(const char *container_id, const char *ifname, char buf[16]);

/* The host end's alias (IFLA_IFALIAS): "nktools/NETWORK/IFNAME/CONTAINERID",
 * so that GC finds a pair whose record is lost. 0, or -ENAMETOOLONG (no
 * alias then: the record alone says whose it is). Pure. */
#define CNI_ALIAS_PREFIX "nktools/"
#define CNI_ALIAS_MAX 256
int cni_alias(const char *net, const char *id, const char *ifname, char buf[CNI_ALIAS_MAX]);
/* An alias of network net into id and ifname: true if it is one. Pure. */
bool cni_alias_parse(const char *alias, const char *net, char *id, size_t idlen, char ifname[16]);

#endif
