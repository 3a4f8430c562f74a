// SPDX-License-Identifier: GPL-2.0-only
/*
 * The output layer every subcommand shares: a report is a JSON object
 * (see bench.h) printed as is with -j, or as a table for people.  The
 * table reads its cells out of the same object, so the two never differ.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bench.h"

/* Widest table and longest column key a subcommand may use. */
#define REPORT_COLS_MAX 16
#define REPORT_KEY_MAX 64
#define REPORT_CELL_MAX 48

struct report {
	json_object *root;
	json_object *params; /* borrowed from root */
	json_object *results; /* borrowed from root */
	json_object *summary; /* borrowed from root */
	const struct report_col *cols;
	size_t ncols;
	char *title;
	char **lines;
	size_t nlines;
};

int report_put(json_object *obj, const char *key, json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

int report_put_null(json_object *obj, const char *key)
{
	return json_object_object_add(obj, key, NULL) ? -ENOMEM : 0;
}

int report_put_u64(json_object *obj, const char *key, uint64_t val)
{
	return report_put(obj, key, json_object_new_uint64(val));
}

int report_put_i64(json_object *obj, const char *key, int64_t val)
{
	return report_put(obj, key, json_object_new_int64(val));
}

int report_put_str(json_object *obj, const char *key, const char *val)
{
	return report_put(obj, key, json_object_new_string(val));
}

int report_put_double(json_object *obj, const char *key, double val)
{
	char buf[32];

	/* Three decimals: ratios, not 17 digits of noise. */
	snprintf(buf, sizeof(buf), "%.3f", val);
	return report_put(obj, key, json_object_new_double_s(val, buf));
}

int report_put_bool(json_object *obj, const char *key, bool val)
{
	return report_put(obj, key, json_object_new_boolean(val));
}

int report_put_summary(json_object *obj, const char *key,
		       const struct summary *sum)
{
	json_object *o = json_object_new_object();

	if (!o)
		return -ENOMEM;
	if (report_put_u64(o, "count", sum->count) ||
	    report_put_u64(o, "min", sum->min_ns) ||
	    report_put_u64(o, "median", sum->median_ns) ||
	    report_put_u64(o, "p99", sum->p99_ns) ||
	    report_put_u64(o, "max", sum->max_ns) ||
	    report_put_u64(o, "mean", sum->mean_ns)) {
		json_object_put(o);
		return -ENOMEM;
	}
	return report_put(obj, key, o);
}

struct report *report_new(const char *bench, const struct report_col *cols,
			  size_t ncols)
{
	struct report *r;

	if (ncols > REPORT_COLS_MAX)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->cols = cols;
	r->ncols = ncols;
	r->root = json_object_new_object();
	if (!r->root)
		goto err;
	/* One at a time: report_put() drops what it cannot add. */
	if (report_put_str(r->root, "bench", bench))
		goto err;
	r->params = json_object_new_object();
	if (report_put(r->root, "params", r->params))
		goto err;
	r->results = json_object_new_array();
	if (report_put(r->root, "results", r->results))
		goto err;
	r->summary = json_object_new_object();
	if (report_put(r->root, "summary", r->summary))
		goto err;
	return r;
err:
	report_free(r);
	return NULL;
}

void report_free(struct report *r)
{
	size_t i;

	if (!r)
		return;
	json_object_put(r->root);
	free(r->title);
	for (i = 0; i < r->nlines; i++)
		free(r->lines[i]);
	free(r->lines);
	free(r);
}

json_object *report_params(struct report *r)
{
	return r->params;
}

json_object *report_summary(struct report *r)
{
	return r->summary;
}

json_object *report_row(struct report *r)
{
	json_object *row = json_object_new_object();

	if (!row)
		return NULL;
	if (json_object_array_add(r->results, row)) {
		json_object_put(row);
		return NULL;
	}
	return row;
}

int report_title(struct report *r, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	free(r->title);
	r->title = s;
	return 0;
}

int report_line(struct report *r, const char *fmt, ...)
{
	char **lines;
	va_list ap;
	char *s;
	int n;

	lines = reallocarray(r->lines, r->nlines + 1, sizeof(*lines));
	if (!lines)
		return -ENOMEM;
	r->lines = lines;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	r->lines[r->nlines++] = s;
	return 0;
}

/* The member of @row that @key names, following dots; NULL if none. */
static json_object *row_lookup(json_object *row, const char *key)
{
	char buf[REPORT_KEY_MAX], *part, *save;
	json_object *o = row;

	if (strlen(key) >= sizeof(buf))
		return NULL;
	strcpy(buf, key);
	for (part = strtok_r(buf, ".", &save); part;
	     part = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(o, part, &o))
			return NULL;
	return o;
}

void report_format_num(char *buf, size_t len, enum report_fmt fmt, double d)
{
	uint64_t v = d > 0 ? (uint64_t)d : 0;

	switch (fmt) {
	case REPORT_NS:
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "us", v / 1000,
			 v % 1000 / 100);
		break;
	case REPORT_MS:
		snprintf(buf, len, "%.1fms", d / 1e6);
		break;
	case REPORT_PCT:
		snprintf(buf, len, "%.1f%%", d);
		break;
	case REPORT_PP:
		snprintf(buf, len, "%.2f", d);
		break;
	case REPORT_RATIO:
		snprintf(buf, len, "%.2fx", d);
		break;
	case REPORT_REAL:
		snprintf(buf, len, "%.1f", d);
		break;
	case REPORT_UINT:
	case REPORT_STR:
	default:
		snprintf(buf, len, "%" PRIu64, v);
		break;
	}
}

static void format_cell(char *buf, size_t len, json_object *val,
			enum report_fmt fmt)
{
	if (!val || json_object_is_type(val, json_type_null))
		snprintf(buf, len, "-");
	else if (fmt == REPORT_STR)
		snprintf(buf, len, "%s", json_object_get_string(val));
	else if (fmt == REPORT_UINT)
		/* As an integer: past 2^53 a double would round it. */
		snprintf(buf, len, "%" PRIu64, json_object_get_uint64(val));
	else
		report_format_num(buf, len, fmt, json_object_get_double(val));
}

/* One cell of column @c; a word in the last column is not padded. */
static void print_cell(FILE *f, const struct report *r, size_t c, int width,
		       const char *text)
{
	if (c)
		fputs("  ", f);
	if (r->cols[c].fmt != REPORT_STR)
		fprintf(f, "%*s", width, text);
	else if (c + 1 == r->ncols)
		fputs(text, f);
	else
		fprintf(f, "%-*s", width, text);
}

static int print_table(const struct report *r, FILE *f)
{
	size_t nrows = json_object_array_length(r->results);
	int width[REPORT_COLS_MAX];
	char(*cells)[REPORT_CELL_MAX];
	size_t i, c;

	cells = calloc(nrows * r->ncols + 1, sizeof(*cells));
	if (!cells)
		return -ENOMEM;
	for (c = 0; c < r->ncols; c++)
		width[c] = (int)strlen(r->cols[c].header);
	for (i = 0; i < nrows; i++) {
		json_object *row = json_object_array_get_idx(r->results, i);

		for (c = 0; c < r->ncols; c++) {
			char *cell = cells[i * r->ncols + c];
			int len;

			format_cell(cell, REPORT_CELL_MAX,
				    row_lookup(row, r->cols[c].key),
				    r->cols[c].fmt);
			len = (int)strlen(cell);
			if (len > width[c])
				width[c] = len;
		}
	}
	/* Numbers line up on the right, words on the left. */
	for (c = 0; c < r->ncols; c++)
		print_cell(f, r, c, width[c], r->cols[c].header);
	fputc('\n', f);
	for (i = 0; i < nrows; i++) {
		for (c = 0; c < r->ncols; c++)
			print_cell(f, r, c, width[c], cells[i * r->ncols + c]);
		fputc('\n', f);
	}
	free(cells);
	return 0;
}

int report_print(const struct report *r, const struct bench *b, FILE *f)
{
	size_t i;
	int err;

	if (b->json) {
		int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

		flags |= b->pretty ? JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED :
				     JSON_C_TO_STRING_PLAIN;
		fprintf(f, "%s\n",
			json_object_to_json_string_ext(r->root, flags));
		return 0;
	}
	if (r->title)
		fprintf(f, "%s\n\n", r->title);
	err = print_table(r, f);
	if (err)
		return err;
	if (r->nlines)
		fputc('\n', f);
	for (i = 0; i < r->nlines; i++)
		fprintf(f, "%s\n", r->lines[i]);
	return 0;
}
