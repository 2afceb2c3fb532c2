/* SPDX-License-Identifier: GPL-2.0 */
/* The one growable array: a pointer, a count and a capacity of the
 * caller's, made room in by doubling. */
#ifndef NK_GROW_H
#define NK_GROW_H

#include <stddef.h>

/* Room for element n of the array *arrp (of *cap elements of size bytes):
 * nothing when n < *cap, else the array doubles (from 16). 0 or -ENOMEM,
 * the array unchanged then. */
int nk_grow(void *arrp, size_t *cap, size_t n, size_t size);

/* NK_GROW(ptr, n, cap): room for ptr[n] */
#define NK_GROW(ptr, n, cap) nk_grow(&(ptr), &(cap), (n), sizeof(*(ptr)))

#endif
