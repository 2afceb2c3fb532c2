/* SPDX-License-Identifier: GPL-2.0 */
/* A JSON reader (RFC 8259) into a tree, and a compact writer of that tree:
 * for documents that come from elsewhere (a CNI configuration, an IPAM
 * plugin's result). Writing the tools' own output is out.h's job. */
#ifndef NK_JSON_H
#define NK_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_ARR, JSON_OBJ };

struct json {
	enum json_type type;
	char *key;		/* a member of an object: its name */
	char *str;		/* JSON_STR: the decoded text; JSON_NUM: the literal */
	size_t len;		/* of str (a string may hold "\u0000") */
	bool b;			/* JSON_BOOL */
	struct json *child;	/* JSON_ARR, JSON_OBJ: the first element */
	struct json *next;	/* the next element of the parent */
	size_t n;		/* JSON_ARR, JSON_OBJ: the number of elements */
};

#define JSON_MAX_DEPTH 64

/* Parse text[0..len): the tree, or NULL with why (and where) in err. */
struct json *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(struct json *j);

/* The member key of object j (the last one, as most readers do), or NULL */
struct json *json_get(const struct json *j, const char *key);
/* Its string, or NULL if j is not a string without NULs */
const char *json_str(const struct json *j);
/* Its value as an integer: 0, or -EINVAL if not a number that is one */
int json_int(const struct json *j, long long *v);
#define json_for_each(e, j) for (struct json *e = (j) ? (j)->child : NULL; e; e = e->next)

/* s[0..len) as a JSON string, quoted and escaped: the one escaper, of
 * json_write and of the tools' output (out.h); bytes that are not UTF-8
 * become U+FFFD, so that what is written is always JSON */
void json_write_string(FILE *f, const char *s, size_t len);
/* j, compact (with its key when it is a member of an object) */
void json_write(FILE *f, const struct json *j);

/* Building: a new node (type), and adding one to an array or object
 * (taking it; key copied for objects, replacing a member so named).
 * NULL/-ENOMEM when memory runs out. */
struct json *json_new(enum json_type type);
struct json *json_new_str(const char *s);
int json_set(struct json *obj, const char *key, struct json *v);
int json_push(struct json *arr, struct json *v);
/* A deep copy */
struct json *json_dup(const struct json *j);

#endif
