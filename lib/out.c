// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <inttypes.h>
#include <string.h>
#include "json.h"
#include "out.h"

void out_init(struct out *o, FILE *f, bool json, bool pretty)
{
	o->f = f;
	o->json = json;
	o->pretty = json && pretty;
	o->depth = 0;
	o->first[0] = true;
	o->pending = false;
	o->lines = false;
}

static void newline_indent(struct out *o)
{
	if (!o->pretty)
		return;
	fputc('\n', o->f);
	for (int i = 0; i < o->depth; i++)
		fputs("    ", o->f);
}

void out_json_string(FILE *f, const char *s)
{
	json_write_string(f, s, strlen(s));
}

/* Separator, indentation and key of the next JSON element. */
static void json_key(struct out *o, const char *key)
{
	if (o->pending) {
		fputc('[', o->f);
		o->pending = false;
	}
	if (o->lines && o->depth == 0)
		o->first[0] = true;
	if (!o->first[o->depth])
		fputc(',', o->f);
	o->first[o->depth] = false;
	if (o->depth > 0)
		newline_indent(o);
	if (key) {
		out_json_string(o->f, key);
		fputs(o->pretty ? ": " : ":", o->f);
	}
}

static void push(struct out *o, const char *key, char c)
{
	if (!o->json)
		return;
	json_key(o, key);
	fputc(c, o->f);
	if (o->depth < OUT_MAX_DEPTH - 1)
		o->depth++;
	o->first[o->depth] = true;
	o->closer[o->depth] = c == '[' ? ']' : '}';
}

static void pop(struct out *o, char c)
{
	if (!o->json)
		return;
	bool empty = o->first[o->depth];

	if (o->depth > 0)
		o->depth--;
	if (!empty)
		newline_indent(o);
	fputc(c, o->f);
	if (o->lines && o->depth == 0) {
		fputc('\n', o->f);
		fflush(o->f);
	}
}

/* The "[" waits for the first element, so that out_lines() can still
 * choose the other shape. */
void out_begin(struct out *o)
{
	if (!o->json)
		return;
	o->pending = true;
	o->depth = 1;
	o->first[1] = true;
	o->closer[1] = ']';
}

bool out_lines(struct out *o)
{
	if (!o->json)
		return true;
	if (!o->pending)
		return false;
	o->pending = false;
	o->lines = true;
	o->depth = 0;
	o->first[0] = true;
	return true;
}

void out_end(struct out *o)
{
	if (!o->json) {
		fflush(o->f);
		return;
	}
	if (o->pending) {
		fputc('[', o->f);
		o->pending = false;
	}
	/* close anything an error left open, each with its own bracket */
	while (o->depth > 0)
		pop(o, o->closer[o->depth]);
	if (!o->lines)
		fputc('\n', o->f);
	fflush(o->f);
}

void out_open(struct out *o, const char *key)
{
	push(o, key, '{');
}

void out_close(struct out *o)
{
	pop(o, '}');
}

void out_open_array(struct out *o, const char *key)
{
	push(o, key, '[');
}

void out_close_array(struct out *o)
{
	pop(o, ']');
}

void out_str(struct out *o, const char *key, const char *fmt, const char *val)
{
	if (o->json) {
		json_key(o, key);
		out_json_string(o->f, val);
	} else if (fmt) {
		fprintf(o->f, fmt, val);
	}
}

void out_uint(struct out *o, const char *key, const char *fmt, uint64_t val)
{
	if (o->json) {
		json_key(o, key);
		fprintf(o->f, "%" PRIu64, val);
	} else if (fmt) {
		fprintf(o->f, fmt, val);
	}
}

void out_int(struct out *o, const char *key, const char *fmt, int64_t val)
{
	if (o->json) {
		json_key(o, key);
		fprintf(o->f, "%" PRId64, val);
	} else if (fmt) {
		fprintf(o->f, fmt, val);
	}
}

void out_bool(struct out *o, const char *key, const char *fmt, bool val)
{
	if (o->json) {
		json_key(o, key);
		fputs(val ? "true" : "false", o->f);
	} else if (fmt) {
		fprintf(o->f, fmt, val ? "yes" : "no");
	}
}

void out_null(struct out *o, const char *key, const char *text)
{
	if (o->json) {
		json_key(o, key);
		fputs("null", o->f);
	} else if (text) {
		fputs(text, o->f);
	}
}

void out_text(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

void out_netns_failed(struct out *o, const char *label, int err)
{
	out_open(o, NULL);
	out_str(o, "netns", NULL, label);
	out_str(o, "error", NULL, strerror(err < 0 ? -err : err));
	out_close(o);
}
