// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "set.h"

/* Open addressing with linear probing; 0 marks an empty slot. Kept at most
 * half full. */
static size_t slot_of(uint64_t v, size_t mask)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	return v & mask;
}

static void insert(uint64_t *slot, size_t cap, uint64_t v)
{
	size_t i = slot_of(v, cap - 1);

	while (slot[i])
		i = (i + 1) & (cap - 1);
	slot[i] = v;
}

int nk_set_add(struct nk_set *s, uint64_t v)
{
	size_t i;

	if (!v)
		return 1;	/* no identity: never a repeat */
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		uint64_t *slot = calloc(cap, sizeof(*slot));

		if (!slot)
			return -ENOMEM;
		for (i = 0; i < s->cap; i++)
			if (s->slot[i])
				insert(slot, cap, s->slot[i]);
		free(s->slot);
		s->slot = slot;
		s->cap = cap;
	}
	for (i = slot_of(v, s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == v)
			return 0;
	s->slot[i] = v;
	s->n++;
	return 1;
}

void nk_set_clear(struct nk_set *s)
{
	if (s->n)
		memset(s->slot, 0, s->cap * sizeof(*s->slot));
	s->n = 0;
}

void nk_set_free(struct nk_set *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

bool nk_set_has(const struct nk_set *s, uint64_t v)
{
	if (!v || !s->cap)
		return false;
	for (size_t i = slot_of(v, s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == v)
			return true;
	return false;
}
