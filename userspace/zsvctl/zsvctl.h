/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zsvctl: what every object's file (dev.c, later slice.c, ...) shares.
 *
 * Each object is a table of commands {name, function, help}; a word on
 * the command line selects the command it names exactly or, failing
 * that, the first one in table order that it is a prefix of, as
 * iproute2 does.  So new commands are appended to a table, never
 * inserted, and existing abbreviations keep their meaning.
 */
#ifndef ZSVCTL_H
#define ZSVCTL_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json_object.h>

#include "libzsv.h"

/* Exit status: the contract with scripts, documented in zsvctl(8). */
enum {
	ZSVCTL_EXIT_OK = 0,
	ZSVCTL_EXIT_FAIL = 1, /* the kernel or the system refused */
	ZSVCTL_EXIT_USAGE = 2, /* the command line is wrong */
};

struct zsvctl {
	bool json;
	bool pretty;
	struct zsv_handle *zh; /* opened by zsvctl_connect() */
};

/**
 * struct zsvctl_cmd - one word of the grammar
 * @name: the word
 * @fn: runs it with the words that follow; returns an exit status
 * @usage: prints its usage, for objects; NULL for commands
 * @help: one line for the help text
 */
struct zsvctl_cmd {
	const char *name;
	int (*fn)(struct zsvctl *ctl, int argc, char **argv);
	void (*usage)(FILE *f);
	const char *help;
};

/* Look @word up in a table ended by an entry whose name is NULL. */
const struct zsvctl_cmd *zsvctl_cmd_find(const struct zsvctl_cmd *cmds,
					 const char *word);

/* Print "  name   help" for each entry of a table. */
void zsvctl_cmds_print(FILE *f, const struct zsvctl_cmd *cmds);

/*
 * Run the command that argv[0] names in @cmds with the words after it,
 * or @default_cmd when there is none.  @usage is the object's.
 */
int zsvctl_dispatch(struct zsvctl *ctl, const struct zsvctl_cmd *cmds,
		    const char *default_cmd, void (*usage)(FILE *f), int argc,
		    char **argv);

/*
 * "zsvctl: <message>" and the usage on stderr; returns
 * ZSVCTL_EXIT_USAGE.
 */
int zsvctl_usage_error(void (*usage)(FILE *f), const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * "zsvctl: <what failed>: <the kernel's message or strerror>" on
 * stderr; returns ZSVCTL_EXIT_FAIL.  @err is what libzsv returned.
 */
int zsvctl_fail(struct zsvctl *ctl, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Open ctl->zh, or say why not; returns an exit status. */
int zsvctl_connect(struct zsvctl *ctl);

/*
 * Print @obj (NULL when building it ran out of memory) as JSON on
 * stdout, as -p asks, and drop it; returns an exit status.
 */
int zsvctl_json_print(struct zsvctl *ctl, struct json_object *obj);

/* Objects */
int dev_main(struct zsvctl *ctl, int argc, char **argv);
void dev_usage(FILE *f);

#endif /* ZSVCTL_H */
