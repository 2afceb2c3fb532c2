// SPDX-License-Identifier: GPL-2.0
/* A recursive-descent JSON reader, depth-limited, strict (no trailing
 * commas, comments or lone surrogates), and a compact writer. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"

struct reader {
	const char *p, *end, *start;
	char *err;
	size_t errlen;
	int depth;
};

static struct json *fail(struct reader *r, const char *why)
{
	if (r->err && !r->err[0])
		snprintf(r->err, r->errlen, "%s at offset %zu", why, (size_t)(r->p - r->start));
	return NULL;
}

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

struct json *json_new(enum json_type type)
{
	struct json *j = calloc(1, sizeof(*j));

	if (j)
		j->type = type;
	return j;
}

void json_free(struct json *j)
{
	while (j) {
		struct json *next = j->next;

		json_free(j->child);
		free(j->key);
		free(j->str);
		free(j);
		j = next;
	}
}

static int hex4(const char *p, unsigned int *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return -1;
	}
	return 0;
}

static size_t put_utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		o[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = 0xc0 | (cp >> 6);
		o[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = 0xe0 | (cp >> 12);
		o[1] = 0x80 | ((cp >> 6) & 0x3f);
		o[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	o[0] = 0xf0 | (cp >> 18);
	o[1] = 0x80 | ((cp >> 12) & 0x3f);
	o[2] = 0x80 | ((cp >> 6) & 0x3f);
	o[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* The length of the UTF-8 sequence at p (before end), or 0 where it is not
 * one: a stray continuation byte, an overlong form, a surrogate (U+D800 to
 * U+DFFF), past U+10FFFF, or cut short (RFC 3629) */
static size_t utf8_len(const char *s, const char *end)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, avail = end - s;
	unsigned int cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;	/* 0x80-0xc1 (continuation, overlong lead), 0xf5-0xff */
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* At the opening quote: the decoded string (its length in *len) */
static char *read_string(struct reader *r, size_t *len)
{
	const char *p = r->p + 1;
	size_t cap = 0;
	char *out, *o;

	/* the decoded text is never longer than the source */
	for (const char *q = p; q < r->end && *q != '"'; q++, cap++)
		if (*q == '\\' && q + 1 < r->end)
			q++, cap++;
	out = o = malloc(cap + 1);
	if (!out)
		return (char *)fail(r, "out of memory");
	while (p < r->end && *p != '"') {
		unsigned char c = *p;

		if (c < 0x20) {
			r->p = p;
			free(out);
			return (char *)fail(r, "control character in a string");
		}
		if (c >= 0x80) {	/* a UTF-8 sequence, whole and shortest */
			size_t n = utf8_len(p, r->end);

			if (!n) {
				r->p = p;
				free(out);
				return (char *)fail(r, "invalid UTF-8 in a string");
			}
			memcpy(o, p, n);
			o += n;
			p += n;
			continue;
		}
		if (c != '\\') {
			*o++ = *p++;
			continue;
		}
		if (++p >= r->end)
			break;
		switch (*p) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned int cp, lo;

			if (r->end - p < 5 || hex4(p + 1, &cp))
				goto bad_escape;
			p += 4;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				goto bad_escape;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (r->end - p < 7 || p[1] != '\\' || p[2] != 'u' || hex4(p + 3, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff)
					goto bad_escape;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			}
			o += put_utf8(o, cp);
			break;
		}
		default:
			goto bad_escape;
		}
		p++;
	}
	if (p >= r->end) {
		r->p = p;
		free(out);
		return (char *)fail(r, "unterminated string");
	}
	*o = '\0';
	*len = o - out;
	r->p = p + 1;
	return out;
bad_escape:
	r->p = p;
	free(out);
	return (char *)fail(r, "bad escape in a string");
}

static struct json *read_number(struct reader *r)
{
	const char *p = r->p, *s = p;
	struct json *j;

	if (p < r->end && *p == '-')
		p++;
	if (p < r->end && *p == '0')
		p++;
	else if (p < r->end && *p >= '1' && *p <= '9')
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	else
		return fail(r, "bad number");
	if (p < r->end && *p == '.') {
		if (++p >= r->end || *p < '0' || *p > '9')
			return fail(r, "bad number");
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < r->end && (*p == 'e' || *p == 'E')) {
		if (++p < r->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= r->end || *p < '0' || *p > '9')
			return fail(r, "bad number");
		while (p < r->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (!(j = json_new(JSON_NUM)) || !(j->str = strndup(s, p - s))) {
		json_free(j);
		return fail(r, "out of memory");
	}
	j->len = p - s;
	r->p = p;
	return j;
}

static bool word(struct reader *r, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n))
		return false;
	r->p += n;
	return true;
}

static struct json *read_value(struct reader *r);

/* The elements of an array or object, after its opening bracket */
static struct json *read_container(struct reader *r, enum json_type type)
{
	char close = type == JSON_ARR ? ']' : '}';
	struct json *j = json_new(type), **tail;

	if (!j)
		return fail(r, "out of memory");
	if (++r->depth > JSON_MAX_DEPTH) {
		json_free(j);
		return fail(r, "nested too deep");
	}
	tail = &j->child;
	r->p++;
	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		r->depth--;
		return j;
	}
	for (;;) {
		char *key = NULL;
		size_t klen;
		struct json *e;

		skip_ws(r);
		if (type == JSON_OBJ) {
			if (r->p >= r->end || *r->p != '"')
				goto bad;
			if (!(key = read_string(r, &klen)))
				goto bad;
			if (strlen(key) != klen) {	/* "a\u0000b" would be read as "a" */
				free(key);
				fail(r, "NUL in a member name");
				goto bad;
			}
			skip_ws(r);
			if (r->p >= r->end || *r->p != ':') {
				free(key);
				fail(r, "expected ':'");
				goto bad;
			}
			r->p++;
		}
		if (!(e = read_value(r))) {
			free(key);
			goto bad;
		}
		e->key = key;
		*tail = e;
		tail = &e->next;
		j->n++;
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			r->depth--;
			return j;
		}
		fail(r, type == JSON_ARR ? "expected ',' or ']'" : "expected ',' or '}'");
		goto bad;
	}
bad:
	fail(r, type == JSON_ARR ? "bad array" : "bad object");
	json_free(j);
	return NULL;
}

static struct json *read_value(struct reader *r)
{
	struct json *j;

	skip_ws(r);
	if (r->p >= r->end)
		return fail(r, "unexpected end");
	switch (*r->p) {
	case '{':
		return read_container(r, JSON_OBJ);
	case '[':
		return read_container(r, JSON_ARR);
	case '"':
		if (!(j = json_new(JSON_STR)))
			return fail(r, "out of memory");
		if (!(j->str = read_string(r, &j->len))) {
			json_free(j);
			return NULL;
		}
		return j;
	case 't': case 'f': case 'n':
		if (word(r, "true") || word(r, "false")) {
			if ((j = json_new(JSON_BOOL)))
				j->b = r->p[-1] == 'e' && r->p[-2] == 'u';
			return j ? j : fail(r, "out of memory");
		}
		if (word(r, "null"))
			return json_new(JSON_NULL) ?: fail(r, "out of memory");
		return fail(r, "unexpected word");
	default:
		return read_number(r);
	}
}

struct json *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct reader r = { .p = text, .end = text + len, .start = text, .err = err, .errlen = errlen };
	struct json *j;

	if (err && errlen)
		err[0] = '\0';
	j = read_value(&r);
	if (!j)
		return NULL;
	skip_ws(&r);
	if (r.p != r.end) {
		json_free(j);
		return fail(&r, "trailing text after the value");
	}
	return j;
}

struct json *json_get(const struct json *j, const char *key)
{
	struct json *found = NULL;

	if (!j || j->type != JSON_OBJ)
		return NULL;
	json_for_each(e, j)
		if (!strcmp(e->key, key))
			found = e;
	return found;
}

const char *json_str(const struct json *j)
{
	if (!j || j->type != JSON_STR || strlen(j->str) != j->len)
		return NULL;
	return j->str;
}

int json_int(const struct json *j, long long *v)
{
	char *end;

	if (!j || j->type != JSON_NUM || strpbrk(j->str, ".eE"))
		return -EINVAL;
	errno = 0;
	*v = strtoll(j->str, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

void json_write_string(FILE *f, const char *s, size_t len)
{
	const char *end = s + len;

	fputc('"', f);
	while (s < end) {
		unsigned char c = *s;
		size_t n;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else if (c < 0x80)
			fputc(c, f);
		else if ((n = utf8_len(s, end))) {
			fwrite(s, 1, n, f);
			s += n;
			continue;
		} else {
			fputs("\\ufffd", f);	/* not UTF-8: JSON cannot hold it */
		}
		s++;
	}
	fputc('"', f);
}

void json_write(FILE *f, const struct json *j)
{
	if (j->key) {
		json_write_string(f, j->key, strlen(j->key));
		fputc(':', f);
	}
	switch (j->type) {
	case JSON_NULL: fputs("null", f); break;
	case JSON_BOOL: fputs(j->b ? "true" : "false", f); break;
	case JSON_NUM: fputs(j->str, f); break;
	case JSON_STR: json_write_string(f, j->str, j->len); break;
	case JSON_ARR:
	case JSON_OBJ:
		fputc(j->type == JSON_ARR ? '[' : '{', f);
		json_for_each(e, j) {
			if (e != j->child)
				fputc(',', f);
			json_write(f, e);
		}
		fputc(j->type == JSON_ARR ? ']' : '}', f);
		break;
	}
}

struct json *json_new_str(const char *s)
{
	struct json *j = json_new(JSON_STR);

	if (j && !(j->str = strdup(s))) {
		free(j);
		return NULL;
	}
	if (j)
		j->len = strlen(s);
	return j;
}

static void append(struct json *parent, struct json *v)
{
	struct json **tail = &parent->child;

	while (*tail)
		tail = &(*tail)->next;
	*tail = v;
	parent->n++;
}

int json_set(struct json *obj, const char *key, struct json *v)
{
	struct json **pp;

	if (!v)
		return -ENOMEM;
	free(v->key);
	if (!(v->key = strdup(key))) {
		json_free(v);
		return -ENOMEM;
	}
	for (pp = &obj->child; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->key, key))
			continue;
		v->next = (*pp)->next;
		(*pp)->next = NULL;
		json_free(*pp);
		*pp = v;
		return 0;
	}
	append(obj, v);
	return 0;
}

int json_push(struct json *arr, struct json *v)
{
	if (!v)
		return -ENOMEM;
	free(v->key);
	v->key = NULL;
	append(arr, v);
	return 0;
}

struct json *json_dup(const struct json *j)
{
	struct json *c = json_new(j->type);

	if (!c)
		return NULL;
	c->b = j->b;
	c->len = j->len;
	if ((j->key && !(c->key = strdup(j->key))) ||
	    (j->str && !(c->str = malloc(j->len + 1))))
		goto nomem;
	if (j->str)
		memcpy(c->str, j->str, j->len + 1);
	json_for_each(e, j) {
		struct json *d = json_dup(e);

		if (!d)
			goto nomem;
		append(c, d);
	}
	return c;
nomem:
	json_free(c);
	return NULL;
}
