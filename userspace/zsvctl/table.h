/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Text tables for people: a header line, then rows, each column as wide
 * as its widest cell.
 */
#ifndef ZSVCTL_TABLE_H
#define ZSVCTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Widest table a command prints; table_init() keeps to it. */
#define TABLE_COLS_MAX 16

struct table_col {
	const char *header;
	bool right; /* numbers line up on the right */
};

struct table {
	const struct table_col *cols;
	size_t ncols;
	char **cells; /* row-major, rows * ncols copies */
	size_t rows;
	size_t capacity; /* rows */
};

void table_init(struct table *t, const struct table_col *cols, size_t ncols);

/* Append a row of ncols strings (copied); returns 0 or -ENOMEM. */
int table_add_row(struct table *t, const char *const *cells);

void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

#endif /* ZSVCTL_TABLE_H */
