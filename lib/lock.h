/* SPDX-License-Identifier: GPL-2.0 */
/* A lock file: made if missing, opened and flock()ed, retried on EINTR. */
#ifndef NK_LOCK_H
#define NK_LOCK_H

/* path locked with op (LOCK_SH, LOCK_EX): its fd (close it to unlock), or
 * -errno. */
int nk_lock_open(const char *path, int op);

#endif
