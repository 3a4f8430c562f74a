// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: "zsvctl stats" (userspace/zsvctl/stats.c), its words
 * and the Prometheus text it writes.
 *
 * The input's first byte picks the part.  Even: the rest is the words
 * after "stats", split at NUL bytes; args_stats() answers 0 or -EINVAL,
 * with a NUL-terminated message inside the buffer it was given, and what
 * it accepts is in range (an interval only with a textfile directory).
 * Odd: the rest makes up to four devices, four slices and then four
 * tenants (names of any bytes but NUL, numbers, which attributes are
 * present); the text stats_write() and stats_write_tenants() make of
 * them, as zsvctl stats writes it, is read back by a strict parser of the
 * format: every line is a HELP, a TYPE or a sample; each family's HELP
 * and TYPE come once, before its samples, which are all together; every
 * label value unescapes to a name given; every value is a number; a
 * limit that is ZSV_LIMIT_NONE has no sample.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libzsv.h"
#include "libfuzzer.h"
#include "stats.h"

#define MAX_WORDS 16
#define MAX_OBJS 4
#define NAME_LEN 12
#define MAX_FAMILIES 64

static void fuzz_args(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[MAX_WORDS], err[64];
	struct stats_args a;
	size_t i, start = 0;
	int argc = 0, ret;

	if (!buf)
		return;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (i = 0; i <= size && argc < MAX_WORDS; i++) {
		if (buf[i])
			continue;
		argv[argc++] = buf + start;
		start = i + 1;
	}
	ret = args_stats(argc, argv, &a, err, sizeof(err));
	CHECK(ret == 0 || ret == -EINVAL);
	if (ret) {
		CHECK(memchr(err, '\0', sizeof(err)) && err[0]);
	} else {
		CHECK(!a.interval_ns || a.textfile_dir);
		CHECK(!a.interval_ns ||
		      (a.interval_ns >= STATS_INTERVAL_MIN_NS &&
		       a.interval_ns <= STATS_INTERVAL_MAX_NS));
		CHECK(!a.textfile_dir || a.textfile_dir[0]);
	}
	free(buf);
}

/* Bytes of the input, one at a time; zeroes once it runs out. */
struct reader {
	const uint8_t *p;
	size_t left;
};

static uint8_t next_byte(struct reader *r)
{
	if (!r->left)
		return 0;
	r->left--;
	return *r->p++;
}

static uint64_t next_u64(struct reader *r)
{
	uint64_t v = 0;
	int i, n = next_byte(r) % 9;

	for (i = 0; i < n; i++)
		v = v << 8 | next_byte(r);
	return v;
}

static void next_name(struct reader *r, char *name)
{
	size_t i, n = next_byte(r) % NAME_LEN;

	for (i = 0; i < n; i++) {
		name[i] = (char)next_byte(r);
		if (!name[i])
			name[i] = 'x';
	}
	name[n] = '\0';
}

static char names[2 * MAX_OBJS * 2 + MAX_OBJS][NAME_LEN];
static size_t nnames;

static bool known_name(const char *s)
{
	size_t i;

	for (i = 0; i < nnames; i++)
		if (!strcmp(s, names[i]))
			return true;
	return false;
}

/* Unescape the label value at *p (after its opening quote); NULL if bad. */
static const char *label_value(const char *p, char *out, size_t len)
{
	size_t n = 0;

	for (; *p != '"'; p++) {
		CHECK(*p && *p != '\n');
		if (*p == '\\') {
			p++;
			CHECK(*p == '\\' || *p == '"' || *p == 'n');
			out[n++] = *p == 'n' ? '\n' : *p;
		} else {
			out[n++] = *p;
		}
		CHECK(n < len);
	}
	out[n] = '\0';
	return p + 1;
}

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/* The metric or label name at p, into @out; returns the end. */
static const char *metric_name(const char *p, char *out, size_t len)
{
	size_t n = 0;

	CHECK(name_char(*p, true));
	while (name_char(*p, n == 0)) {
		out[n++] = *p++;
		CHECK(n < len);
	}
	out[n] = '\0';
	return p;
}

static void check_text(const char *text)
{
	char families[MAX_FAMILIES][64], cur[64] = "", name[64];
	size_t nfam = 0, i;
	enum { NONE, HELP, TYPE, SAMPLES } state = NONE;
	const char *p = text, *end;
	char *num_end;

	fuzz_text = text;
	while (*p) {
		end = strchr(p, '\n');
		CHECK(end);
		if (!strncmp(p, "# HELP ", 7)) {
			p = metric_name(p + 7, name, sizeof(name));
			CHECK(*p == ' ' && p[1] != '\n');
			for (i = 0; i < nfam; i++)
				CHECK(strcmp(families[i], name));
			CHECK(nfam < MAX_FAMILIES);
			strcpy(families[nfam++], name);
			strcpy(cur, name);
			state = HELP;
		} else if (!strncmp(p, "# TYPE ", 7)) {
			CHECK(state == HELP);
			p = metric_name(p + 7, name, sizeof(name));
			CHECK(!strcmp(name, cur));
			CHECK(!strncmp(p, " gauge\n", 7) ||
			      !strncmp(p, " counter\n", 9));
			CHECK(strncmp(p, " counter", 8) ||
			      strstr(cur, "_total") ==
				      cur + strlen(cur) - strlen("_total"));
			state = TYPE;
		} else {
			CHECK(state == TYPE || state == SAMPLES);
			p = metric_name(p, name, sizeof(name));
			CHECK(!strcmp(name, cur));
			CHECK(*p == '{');
			p++;
			while (*p != '}') {
				char lv[4 * NAME_LEN];

				p = metric_name(p, name, sizeof(name));
				CHECK(p[0] == '=' && p[1] == '"');
				p = label_value(p + 2, lv, sizeof(lv));
				if (!strcmp(name, "slice") ||
				    !strcmp(name, "device") ||
				    !strcmp(name, "tenant"))
					CHECK(known_name(lv));
				CHECK(*p == ',' || *p == '}');
				if (*p == ',')
					p++;
			}
			p++;
			CHECK(*p == ' ');
			p++;
			CHECK(*p >= '0' && *p <= '9');
			strtod(p, &num_end);
			CHECK(num_end == end);
			state = SAMPLES;
		}
		p = end + 1;
	}
	CHECK(state == NONE || state == SAMPLES);
	fuzz_text = NULL;
}

static void fuzz_write(const uint8_t *data, size_t size)
{
	struct zsv_dev_info devs[MAX_OBJS], *devp[MAX_OBJS];
	struct zsv_slice_info slices[MAX_OBJS], *slicep[MAX_OBJS];
	struct zsv_tenant_info tenants[MAX_OBJS], *tenantp[MAX_OBJS];
	struct reader r = { data, size };
	size_t ndevs, nslices, ntenants, i;
	bool any_mem_limit = false;
	char *text = NULL;
	size_t len;
	FILE *f;

	nnames = 0;
	ndevs = next_byte(&r) % (MAX_OBJS + 1);
	nslices = next_byte(&r) % (MAX_OBJS + 1);
	for (i = 0; i < ndevs; i++) {
		struct zsv_dev_info *d = &devs[i];

		memset(d, 0, sizeof(*d));
		next_name(&r, names[nnames]);
		d->name = names[nnames++];
		next_name(&r, names[nnames]);
		d->backend = names[nnames++];
		d->present = next_u64(&r);
		d->id = (uint32_t)next_u64(&r);
		d->mem_total_bytes = next_u64(&r);
		d->mem_used_bytes = next_u64(&r);
		d->policy = (uint32_t)next_u64(&r);
		d->oversub_pct = (uint32_t)next_u64(&r);
		d->timeslice_ns = next_u64(&r);
		d->busy_ns = next_u64(&r);
		devp[i] = d;
	}
	for (i = 0; i < nslices; i++) {
		struct zsv_slice_info *s = &slices[i];

		memset(s, 0, sizeof(*s));
		next_name(&r, names[nnames]);
		s->name = names[nnames++];
		next_name(&r, names[nnames]);
		s->dev_name = names[nnames++];
		s->node = "";
		s->present = next_u64(&r);
		s->mem_mode = (uint32_t)next_u64(&r);
		s->mem_bytes = next_u64(&r);
		s->mem_used_bytes = next_u64(&r);
		s->cap_pct = (uint32_t)next_u64(&r);
		s->busy_ns = next_u64(&r);
		s->throttled_ns = next_u64(&r);
		s->share_promised_ppm = (uint32_t)next_u64(&r);
		s->share_delivered_ppm = (uint32_t)next_u64(&r);
		s->mediated = next_byte(&r) & 1;
		slicep[i] = s;
	}
	/* Read last, so that the inputs made before tenants mean the same. */
	ntenants = next_byte(&r) % (MAX_OBJS + 1);
	for (i = 0; i < ntenants; i++) {
		struct zsv_tenant_info *t = &tenants[i];

		memset(t, 0, sizeof(*t));
		next_name(&r, names[nnames]);
		t->name = names[nnames++];
		t->present = next_u64(&r);
		t->id = (uint32_t)next_u64(&r);
		/* Often no limit: a byte's top bit. */
		t->mem_max_bytes = next_byte(&r) & 0x80 ? ZSV_LIMIT_NONE :
							  next_u64(&r);
		t->slices_max = next_byte(&r) & 0x80 ? ZSV_LIMIT_NONE :
						       next_u64(&r);
		t->compute_max = next_u64(&r);
		t->mem_bytes = next_u64(&r);
		t->compute = next_u64(&r);
		t->busy_ns = next_u64(&r);
		t->quota_hits = next_u64(&r);
		any_mem_limit |= zsv_tenant_has(t, ZSV_A_TENANT_MEM_MAX) &&
				 t->mem_max_bytes != ZSV_LIMIT_NONE;
		tenantp[i] = t;
	}
	f = open_memstream(&text, &len);
	if (!f)
		return;
	CHECK(stats_write(f, devp, ndevs, slicep, nslices) == 0);
	CHECK(stats_write_tenants(f, tenantp, ntenants) == 0);
	CHECK(fclose(f) == 0);
	check_text(text);
	/* No limit, no sample: never 18446744073709551615 as a limit. */
	CHECK(any_mem_limit == !!strstr(text, "zsv_tenant_memory_limit_bytes"));
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		fuzz_write(data + 1, size - 1);
	else
		fuzz_args(data + 1, size - 1);
	return 0;
}
