// SPDX-License-Identifier: GPL-2.0
/* json_check FILE...: each file through lib/json's reader, a line each:
 * "ok HEX" (what json_write makes of the tree, in hex) or "invalid". For
 * testsuite/json-conformance, which compares it with another reader. */
#include <stdio.h>
#include <stdlib.h>
#include "json.h"

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *text = NULL, *out = NULL;
		size_t len = 0, olen = 0;
		FILE *f = fopen(argv[i], "rb"), *m = open_memstream(&text, &len), *o;
		struct json *j;
		int c;

		if (!f || !m)
			return 2;
		while ((c = getc(f)) != EOF)
			putc(c, m);
		fclose(f);
		fclose(m);
		j = json_parse(text, len, NULL, 0);
		if (!j) {
			puts("invalid");
		} else if ((o = open_memstream(&out, &olen))) {
			json_write(o, j);
			fclose(o);
			fputs("ok ", stdout);
			for (size_t k = 0; k < olen; k++)
				printf("%02x", (unsigned char)out[k]);
			putchar('\n');
		}
		json_free(j);
		free(text);
		free(out);
	}
	return 0;
}
