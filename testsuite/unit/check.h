/* SPDX-License-Identifier: GPL-2.0 */
/* A minimal test harness for the offline C tests. */
#ifndef NK_CHECK_H
#define NK_CHECK_H

#include <stdio.h>
#include <string.h>

static int checks_run, checks_failed;

#define CHECK(cond) do {						\
	checks_run++;							\
	if (!(cond)) {							\
		checks_failed++;					\
		fprintf(stdout, "%s:%d: check failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	checks_run++;							\
	if (strcmp(g_, w_)) {						\
		checks_failed++;					\
		fprintf(stdout, "%s:%d: got:\n%s\nwanted:\n%s\n",	\
			__FILE__, __LINE__, g_, w_);			\
	}								\
} while (0)

#ifdef NK_ARGS_H
/* A command line, split as a batch line is, as an argument cursor. */
static inline struct nk_args check_args(const char *line)
{
	static char buf[512];
	static char *argv[64];
	struct nk_args a;

	snprintf(buf, sizeof(buf), "%s", line);
	a.argc = nk_split(buf, argv, 64);
	a.argv = argv;
	return a;
}
#endif

static inline int check_report(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, checks_run, checks_failed);
	return checks_failed ? 1 : 0;
}

#endif
