// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: libzsv's unit parsers and formatters (userspace/lib/
 * units.c), which read what people type to zsvctl and write what it shows.
 *
 * The input is a string (up to its first NUL). Each parser must agree with
 * a reference written here from the grammar in libzsv.h, in exact 128-bit
 * arithmetic: malformed is -EINVAL, a value that does not fit -ERANGE, a
 * fraction that is not a whole number of units (or has more than 18
 * digits) -EDOM, else the exact value. What parses must format back (the
 * exact formatters) to a string that parses to the same value, and the
 * formatters must never write past the length they are given. The input's
 * first 8 bytes, as a number, also go through format and parse.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libzsv.h"
#include "libfuzzer.h"

typedef unsigned __int128 u128;

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* DIGITS [ "." DIGITS ], the fraction without its trailing zeros. */
struct dec {
	u128 whole; /* saturates past 2^100 */
	bool huge;
	u128 frac; /* its @n digits, when @n <= 18 */
	unsigned int n;
	const char *rest;
};

static bool ref_decimal(const char *s, struct dec *d)
{
	const char *f, *e;

	memset(d, 0, sizeof(*d));
	if (!digit(*s))
		return false;
	for (; digit(*s); s++) {
		if (d->whole > (u128)1 << 100)
			d->huge = true;
		else
			d->whole = d->whole * 10 + (u128)(*s - '0');
	}
	if (*s == '.') {
		s++;
		if (!digit(*s))
			return false;
		for (f = s; digit(*s); s++)
			;
		for (e = s; e > f && e[-1] == '0'; e--)
			;
		d->n = (unsigned int)(e - f);
		if (d->n <= 18)
			for (; f < e; f++)
				d->frac = d->frac * 10 + (u128)(*f - '0');
	}
	d->rest = s;
	return true;
}

static u128 pow10_128(unsigned int n)
{
	u128 r = 1;

	while (n--)
		r *= 10;
	return r;
}

/*
 * What a parser must answer for a number that is whole or not and fits
 * or not: 0, -EDOM, -ERANGE, or (not whole and too big) either of them.
 */
static void check_class(int got, bool whole, bool fits, uint64_t want,
			uint64_t val)
{
	if (whole && fits) {
		CHECK(got == 0);
		CHECK(val == want);
	} else if (whole) {
		CHECK(got == -ERANGE);
	} else if (fits) {
		CHECK(got == -EDOM);
	} else {
		CHECK(got == -EDOM || got == -ERANGE);
	}
}

/* size := DIGITS [ "." DIGITS ] [ "B" | PREFIX | PREFIX "iB" ] */
static void check_size(const char *s)
{
	static const char prefixes[] = "KMGTPE";
	uint64_t val = 0;
	int got = zsv_parse_size(s, &val), shift = -1;
	const char *p;
	struct dec d;
	u128 num, p10, v;
	bool whole, fits;

	if (!ref_decimal(s, &d)) {
		CHECK(got == -EINVAL);
		return;
	}
	if (!strcmp(d.rest, "") || !strcmp(d.rest, "B")) {
		shift = 0;
	} else if (d.rest[0] && (!d.rest[1] || !strcmp(d.rest + 1, "iB"))) {
		char c = d.rest[0] >= 'a' && d.rest[0] <= 'z' ?
				 (char)(d.rest[0] - 'a' + 'A') :
				 d.rest[0];

		p = c ? strchr(prefixes, c) : NULL;
		if (p)
			shift = 10 * (int)(p - prefixes + 1);
	}
	if (shift < 0) {
		CHECK(got == -EINVAL);
		return;
	}
	if (d.n > 18) {
		/* too precise, whatever it comes to */
		CHECK(got == -EDOM ||
		      (got == -ERANGE && d.whole > UINT64_MAX >> shift));
		return;
	}
	p10 = pow10_128(d.n);
	num = d.frac << shift;
	whole = !(num % p10);
	v = (d.whole << shift) + num / p10;
	fits = !d.huge && v <= UINT64_MAX && (whole || v < UINT64_MAX);
	check_class(got, whole, fits, (uint64_t)v, val);
}

/* duration := DIGITS [ "." DIGITS ] ( "ns" | "us" | "ms" | "s" ) */
static void check_duration(const char *s)
{
	static const struct {
		const char *name;
		unsigned int exp10;
	} units[] = { { "s", 9 }, { "ms", 6 }, { "us", 3 }, { "ns", 0 } };
	uint64_t val = 0;
	int got = zsv_parse_duration(s, &val);
	unsigned int e = 99;
	struct dec d;
	u128 v;

	if (!ref_decimal(s, &d)) {
		CHECK(got == -EINVAL);
		return;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(d.rest, units[i].name))
			e = units[i].exp10;
	if (e == 99) {
		CHECK(got == -EINVAL);
		return;
	}
	if (d.n > e) {
		CHECK(got == -EDOM ||
		      (got == -ERANGE && (d.huge || d.whole > UINT64_MAX)));
		return;
	}
	v = d.whole * pow10_128(e) + d.frac * pow10_128(e - d.n);
	check_class(got, true, !d.huge && v <= UINT64_MAX, (uint64_t)v, val);
}

/* 1 or more digits from @s to @end; false when there are none or others. */
static bool ref_digits(const char *s, const char *end, u128 *v, bool *huge)
{
	*v = 0;
	*huge = false;
	if (s == end)
		return false;
	for (; s < end; s++) {
		if (!digit(*s))
			return false;
		if (*v > (u128)1 << 100)
			*huge = true;
		else
			*v = *v * 10 + (u128)(*s - '0');
	}
	return true;
}

static void check_plain(const char *s)
{
	uint64_t v64 = 0;
	uint32_t v32 = 0;
	unsigned int pct = 0;
	size_t len = strlen(s);
	int got;
	bool huge;
	u128 v;

	/* u64 and u32: DIGITS */
	got = zsv_parse_u64(s, &v64);
	if (!ref_digits(s, s + len, &v, &huge)) {
		CHECK(got == -EINVAL);
		CHECK(zsv_parse_u32(s, &v32) == -EINVAL);
	} else {
		check_class(got, true, !huge && v <= UINT64_MAX, (uint64_t)v,
			    v64);
		got = zsv_parse_u32(s, &v32);
		check_class(got, true, !huge && v <= UINT32_MAX, (uint64_t)v,
			    v32);
	}

	/* percent: DIGITS [ "%" ], 0 to 100 */
	got = zsv_parse_percent(s, &pct);
	if (!ref_digits(s, s + len - (len && s[len - 1] == '%'), &v, &huge))
		CHECK(got == -EINVAL);
	else
		check_class(got, true, !huge && v <= 100, (uint64_t)v, pct);

	/* ratio: DIGITS "%" or DIGITS [ "." DIGITS ], in whole percent */
	got = zsv_parse_ratio(s, &v32);
	if (len && s[len - 1] == '%') {
		if (!ref_digits(s, s + len - 1, &v, &huge))
			CHECK(got == -EINVAL);
		else
			check_class(got, true, !huge && v <= UINT32_MAX,
				    (uint64_t)v, v32);
	} else {
		struct dec d;

		if (!ref_decimal(s, &d) || *d.rest) {
			CHECK(got == -EINVAL);
		} else if (d.n > 2) {
			CHECK(got == -EDOM || got == -ERANGE);
		} else {
			v = d.whole * 100 + d.frac * pow10_128(2 - d.n);
			check_class(got, true, !d.huge && v <= UINT32_MAX,
				    (uint64_t)v, v32);
		}
	}
}

/*
 * @fmt writes @v into exactly @len bytes (ASan sees a byte too many) and
 * says -ENOSPC, not a cut string, when they are too few.
 */
static void check_format(int (*fmt)(uint64_t, char *, size_t), uint64_t v,
			 char *full)
{
	size_t need;
	char *buf;
	int ret;

	CHECK(fmt(v, full, ZSV_UNIT_STR_MAX) == 0);
	need = strlen(full) + 1;
	CHECK(need <= ZSV_UNIT_STR_MAX);
	for (size_t len = need - 1; len <= need; len++) {
		buf = malloc(len ? len : 1);
		ret = fmt(v, buf, len);
		if (len < need) {
			CHECK(ret == -ENOSPC);
		} else {
			CHECK(ret == 0);
			CHECK(!strcmp(buf, full));
		}
		free(buf);
	}
}

static int fmt_ratio(uint64_t v, char *buf, size_t len)
{
	return zsv_format_ratio((uint32_t)v, buf, len);
}

/* Exact formats parse back to the number, whatever it is. */
static void round_trip(uint64_t v)
{
	char text[ZSV_UNIT_STR_MAX];
	uint64_t back;
	uint32_t back32;

	fuzz_text = text;
	check_format(zsv_format_size_exact, v, text);
	CHECK(zsv_parse_size(text, &back) == 0 && back == v);
	check_format(zsv_format_duration, v, text);
	CHECK(zsv_parse_duration(text, &back) == 0 && back == v);
	check_format(fmt_ratio, (uint32_t)v, text);
	CHECK(zsv_parse_ratio(text, &back32) == 0 && back32 == (uint32_t)v);
	/* for people: truncated to one decimal, so at most v, or not whole */
	check_format(zsv_format_size, v, text);
	back = 0;
	switch (zsv_parse_size(text, &back)) {
	case 0:
		CHECK(back <= v);
		CHECK(v - back <= v / 10 + 1);
		break;
	default:
		CHECK(zsv_parse_size(text, &back) == -EDOM);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	uint64_t v = 0;
	uint32_t v32;

	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_text = s;

	check_size(s);
	check_duration(s);
	check_plain(s);
	if (!zsv_parse_size(s, &v))
		round_trip(v);
	fuzz_text = s;
	if (!zsv_parse_duration(s, &v))
		round_trip(v);
	fuzz_text = s;
	if (!zsv_parse_ratio(s, &v32))
		round_trip(v32);

	memcpy(&v, data, size < sizeof(v) ? size : sizeof(v));
	round_trip(v);
	free(s);
	return 0;
}
