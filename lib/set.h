/* SPDX-License-Identifier: GPL-2.0 */
/* The one hash set: of 64-bit values (socket cookies, namespace inodes),
 * O(1) per operation. 0 is no value: never stored, always new. */
#ifndef NK_SET_H
#define NK_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nk_set {
	uint64_t *slot;
	size_t cap, n;
};
/* 1 if added, 0 if it was there, -ENOMEM. */
int nk_set_add(struct nk_set *s, uint64_t v);
bool nk_set_has(const struct nk_set *s, uint64_t v);
void nk_set_clear(struct nk_set *s);
void nk_set_free(struct nk_set *s);

#endif
