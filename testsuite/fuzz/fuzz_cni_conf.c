// SPDX-License-Identifier: GPL-2.0
/* The CNI plugin's reading of what a runtime and an IPAM plugin send: a
 * network configuration (the JSON reader, every key's check) and an IPAM
 * result, then the result written from it. */
#include <stdlib.h>
#include "fuzz.h"
#include "cni.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cni_made m = { .host_dev = "nk0", .host_mac = "00:00:00:00:00:00",
			      .pod_mac = "00:00:00:00:00:00", .ifname = "eth0", .netns = "/n" };
	struct cni_conf c;
	struct cni_err e = { 0 };
	struct cni_ipam r;
	struct json *j;
	FILE *devnull;

	if (!cni_conf_parse((const char *)data, size, "IgnoreUnknown=1;MAC=02:00:00:00:00:01", &c, &e)) {
		/* the same bytes as an IPAM plugin's answer */
		if (!cni_ipam_parse(c.root, &r)) {
			if ((devnull = fopen("/dev/null", "w"))) {
				cni_result_write(devnull, c.version, &m, &r);
				fclose(devnull);
			}
			cni_ipam_free(&r);
		}
	}
	cni_conf_free(&c);
	if ((j = json_parse((const char *)data, size, NULL, 0))) {
		struct json *d = json_dup(j);

		if ((devnull = fopen("/dev/null", "w"))) {
			json_write(devnull, d);
			fclose(devnull);
		}
		json_free(d);
		json_free(j);
	}
	return 0;
}
