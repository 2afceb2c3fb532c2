// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "nk_words.h"
#include "nkctl.h"
#include "netkit/probe.h"

/* The grammar: printed by "nkctl help" and repeated in nkctl(8)'s SYNOPSIS;
 * the testsuite checks that they agree. */
static const char synopsis[] =
"Usage: nkctl [ OPTIONS ] { add | set | del | show | monitor | help } ...\n"
"OPTIONS := { -j[son] | -p[retty] | -n[etns] NETNS | -b[atch] FILE | -V[ersion] | -h[elp] }\n"
"nkctl add NAME [ mode { l2 | l3 } ] [ policy { forward | blackhole } ] [ scrub { default | none } ]\n"
"              [ headroom BYTES ] [ tailroom BYTES ] [ pairing { pair | single } ]\n"
"              [ address LLADDR ] [ mtu MTU ] [ txqueues N ] [ rxqueues N ] [ SIZES ] [ up ]\n"
"              [ peer [ name PEER ] [ netns NETNS ] [ policy { forward | blackhole } ]\n"
"                     [ scrub { default | none } ] [ address LLADDR ] [ mtu MTU ] [ SIZES ] [ up ] ]\n"
"nkctl set NAME [ policy { forward | blackhole } ] [ peer policy { forward | blackhole } ]\n"
"              [ address LLADDR ] [ mtu MTU ] [ SIZES ] [ up | down ]\n"
"nkctl del NAME\n"
"nkctl show [ NAME ]\n"
"nkctl monitor [ all-netns ]\n"
"SIZES := [ txqueuelen N ] [ gso_max_size BYTES ] [ gro_max_size BYTES ]\n"
"         [ gso_ipv4_max_size BYTES ] [ gro_ipv4_max_size BYTES ]\n"
"NETNS := { NAME | PATH | PID }\n";

static void features(struct nk_ctx *ctx)
{
	const struct nk_features *f = nk_probe(nk_features(ctx));
	struct out *o = &ctx->out;

	if (f->err)
		out_str(o, "probe_error", " (probe failed: %s)", strerror(-f->err));
	out_bool(o, "netkit", " netkit %s", f->netkit);
	for (size_t i = 0; i < nk_attr_count; i++) {	/* the table's newer attributes */
		const struct nk_attr *a = &nk_attr_table[i];
		char fmt[64];

		if (a->kw < 0 || !a->since)
			continue;
		snprintf(fmt, sizeof(fmt), " %s %%s", a->word);
		out_bool(o, a->word, fmt, f->netkit && f->known[a->type]);
	}
	out_bool(o, "gro_max_size", " gro_max_size %s", f->netkit && f->gro_max_size);
	out_bool(o, "gso_ipv4_max_size", " gso_ipv4_max_size %s", f->netkit && f->ipv4_max_size);
	out_bool(o, "gro_ipv4_max_size", " gro_ipv4_max_size %s", f->netkit && f->ipv4_max_size);
}

static void cleanup(struct nk_ctx *ctx)
{
	struct nkctl *st = ctx->priv;

	free(st->dels);
	st->dels = NULL;
}

static const struct nk_cmd cmds[] = {
	{ "add", nk_cmd_add },
	{ "set", nk_cmd_set },
	{ "del", nk_cmd_del },
	{ "show", nk_cmd_show },
	{ "monitor", nk_cmd_monitor },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	struct nkctl state = { 0 };
	const struct nk_tool tool = {
		.name = "nkctl",
		.synopsis = synopsis,
		.cmds = cmds,
		.default_cmd = "show",
		.features = features,
		.batch = true,
		.batch_end = nk_flush_dels,
		.cleanup = cleanup,
		.priv = &state,
	};

	return nk_main(&tool, argc, argv);
}
