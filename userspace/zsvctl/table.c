// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text tables.  Cells are ASCII (names, numbers, units), so a column's
 * width is the longest strlen().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

void table_init(struct table *t, const struct table_col *cols, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols < TABLE_COLS_MAX ? ncols : TABLE_COLS_MAX;
}

int table_add_row(struct table *t, const char *const *cells)
{
	char **row;
	size_t i;

	if (t->rows == t->capacity) {
		size_t capacity = t->capacity ? 2 * t->capacity : 8;

		row = reallocarray(t->cells, capacity * t->ncols,
				   sizeof(*t->cells));
		if (!row)
			return -ENOMEM;
		t->cells = row;
		t->capacity = capacity;
	}
	row = t->cells + t->rows * t->ncols;
	for (i = 0; i < t->ncols; i++) {
		row[i] = strdup(cells[i]);
		if (!row[i]) {
			while (i--)
				free(row[i]);
			return -ENOMEM;
		}
	}
	t->rows++;
	return 0;
}

static void table_print_row(const struct table *t, const char *const *row,
			    const int *width, FILE *f)
{
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		bool last = i + 1 == t->ncols;

		if (t->cols[i].right)
			fprintf(f, "%*s", width[i], row[i]);
		else if (last)
			fputs(row[i], f);
		else
			fprintf(f, "%-*s", width[i], row[i]);
		fputs(last ? "\n" : "  ", f);
	}
}

void table_print(const struct table *t, FILE *f)
{
	const char *headers[TABLE_COLS_MAX];
	int width[TABLE_COLS_MAX];
	size_t i, r;

	for (i = 0; i < t->ncols; i++) {
		headers[i] = t->cols[i].header;
		width[i] = (int)strlen(headers[i]);
	}
	for (r = 0; r < t->rows; r++) {
		for (i = 0; i < t->ncols; i++) {
			int len = (int)strlen(t->cells[r * t->ncols + i]);

			if (len > width[i])
				width[i] = len;
		}
	}
	table_print_row(t, headers, width, f);
	for (r = 0; r < t->rows; r++)
		table_print_row(t, (const char *const *)t->cells + r * t->ncols,
				width, f);
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->rows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
