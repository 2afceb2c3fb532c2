/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One writer for text and JSON. Each field is one call: in text mode the
 * printf-style format is printed (nothing if it is NULL), in JSON mode the
 * key and value. The JSON document is one top-level array, opened by
 * out_begin() and closed by out_end() whatever happened in between.
 */
#ifndef NK_OUT_H
#define NK_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define OUT_MAX_DEPTH 16

struct out {
	FILE *f;
	bool json, pretty;
	int depth;
	bool first[OUT_MAX_DEPTH];	/* no element written yet at this depth */
	char closer[OUT_MAX_DEPTH];	/* what ends the array or object at this depth */
	bool pending;		/* the top-level "[" is not written yet */
	bool lines;		/* JSON Lines: one top-level object a line, no array */
};

void out_init(struct out *o, FILE *f, bool json, bool pretty);
void out_begin(struct out *o);
void out_end(struct out *o);
/* For a stream of events (a monitor): each top-level object on its own line,
 * flushed when it closes, instead of one array. Only before anything is
 * written; false if too late. */
bool out_lines(struct out *o);

/* Objects and arrays; key is NULL inside an array. Text: nothing printed. */
void out_open(struct out *o, const char *key);
void out_close(struct out *o);
void out_open_array(struct out *o, const char *key);
void out_close_array(struct out *o);

void out_str(struct out *o, const char *key, const char *fmt, const char *val);
void out_uint(struct out *o, const char *key, const char *fmt, uint64_t val);
void out_int(struct out *o, const char *key, const char *fmt, int64_t val);
void out_bool(struct out *o, const char *key, const char *fmt, bool val);
void out_null(struct out *o, const char *key, const char *text);

/* A network namespace that could not be entered (-err), in every tool's
 * JSON the same object: {"netns": label, "error": strerror}. Text: nothing
 * (the tool says it on stderr). */
void out_netns_failed(struct out *o, const char *label, int err);

/* Text mode only: free-form text such as newlines and indentation. */
void out_text(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* JSON string escaping, exposed for tests. */
void out_json_string(FILE *f, const char *s);

#endif
