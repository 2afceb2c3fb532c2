// SPDX-License-Identifier: GPL-2.0
/* REF pinned PATH: what the path holds (a program or a link, by id). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "err.h"
#include "exit.h"
#include "tcx/tcx.h"
#include "tcx/prog.h"

int ref_resolve(struct nk_ctx *ctx, struct ref *ref)
{
	int err;

	if (ref->kind != REF_PINNED)
		return 0;
	err = tcx_pinned_ids(ref->str, &ref->pin_prog, &ref->pin_link);
	if (err == -ENOENT) {
		nk_msg(ctx, "nothing is pinned at \"%s\"", ref->str);
		return NK_EXIT_NONE;
	}
	if (err == -EINVAL)
		return nk_usage(ctx, "\"%s\" is neither a BPF link nor a program", ref->str);
	if (err)
		return nk_fail(ctx, NULL, err, "cannot open \"%s\"", ref->str);
	return 0;
}
