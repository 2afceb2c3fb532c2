/* SPDX-License-Identifier: GPL-2.0 */
/* The exit codes every nktools command uses; documented in each man page. */
#ifndef NK_EXIT_H
#define NK_EXIT_H

enum nk_exit {
	NK_EXIT_OK	= 0,	/* did what was asked */
	NK_EXIT_FAIL	= 1,	/* the operation failed (kernel or system error) */
	NK_EXIT_USAGE	= 2,	/* bad command line or batch line; nothing was changed */
	NK_EXIT_UNSUPP	= 3,	/* the running kernel lacks a feature that was asked for */
	NK_EXIT_PARTIAL	= 4,	/* some of the work failed, the rest was done */
	NK_EXIT_NONE	= 5,	/* the named object does not exist / nothing matched */
};

#endif
