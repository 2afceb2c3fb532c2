// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"

int nk_grow(void *arrp, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 16;
	void *v;

	if (n < *cap)
		return 0;
	if (c < n + 1)
		c = n + 1;
	if (!size || c > SIZE_MAX / size)
		return -ENOMEM;
	memcpy(&v, arrp, sizeof(v));	/* the caller's pointer, of any type */
	v = realloc(v, c * size);
	if (!v)
		return -ENOMEM;
	memcpy(arrp, &v, sizeof(v));
	*cap = c;
	return 0;
}
