// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Parsing and printing of the units people type: sizes, durations,
 * percentages and plain numbers.  Pure functions of their arguments;
 * every input string is untrusted (these are fuzzed).
 *
 * Syntax errors win over range errors: "99999999999999999999x" is
 * -EINVAL, not -ERANGE, so that a typo is reported as a typo.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libzsv.h"
#include "internal.h"

/* More fraction digits than this never come to whole bytes or ns. */
#define FRAC_DIGITS_MAX 18

/* A number as written: int_part.frac, frac having frac_digits digits. */
struct decimal {
	uint64_t int_part;
	uint64_t frac;
	unsigned int frac_digits;
	bool overflow;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Read DIGITS [ "." DIGITS ] from *sp and advance *sp past it.  Trailing
 * zeros of the fraction are dropped ("1.50" is 1.5).  Returns -EINVAL
 * when there is no number, -EDOM when the fraction is too precise;
 * integer overflow is left in d->overflow for the caller to rank.
 */
static int parse_decimal(const char **sp, struct decimal *d)
{
	const char *s = *sp;
	unsigned int digits = 0, zeros = 0;

	memset(d, 0, sizeof(*d));
	if (!is_digit(*s))
		return -EINVAL;
	for (; is_digit(*s); s++) {
		if (__builtin_mul_overflow(d->int_part, 10, &d->int_part) ||
		    __builtin_add_overflow(d->int_part, *s - '0', &d->int_part))
			d->overflow = true;
	}
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return -EINVAL;
		/* Count trailing zeros as pending: only keep them if a
		 * nonzero digit follows. */
		for (; is_digit(*s); s++) {
			if (*s == '0') {
				zeros++;
				continue;
			}
			digits += zeros + 1;
			if (digits > FRAC_DIGITS_MAX) {
				/* Keep scanning so syntax errors still win. */
				d->frac_digits = FRAC_DIGITS_MAX + 1;
				zeros = 0;
				continue;
			}
			for (; zeros; zeros--)
				d->frac *= 10;
			d->frac = d->frac * 10 + (uint64_t)(*s - '0');
			d->frac_digits = digits;
		}
	}
	*sp = s;
	return 0;
}

static uint64_t pow_u64(uint64_t base, unsigned int exp)
{
	uint64_t r = 1;

	while (exp--)
		r *= base;
	return r;
}

/* Returns the power of two of a size unit, or -1 when @s is none. */
static int size_unit_shift(const char *s)
{
	static const char prefixes[] = "KMGTPE";
	const char *p;

	if (!strcmp(s, "") || !strcmp(s, "B"))
		return 0;
	if (!*s || (s[1] && strcmp(s + 1, "iB")))
		return -1;
	p = strchr(prefixes, *s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s);
	if (!p)
		return -1;
	return 10 * (int)(p - prefixes + 1);
}

int zsv_parse_size(const char *str, uint64_t *bytes)
{
	struct decimal d;
	uint64_t whole, part, p5;
	int shift, err;

	if (!str)
		return -EINVAL;
	err = parse_decimal(&str, &d);
	if (err)
		return err;
	shift = size_unit_shift(str);
	if (shift < 0)
		return -EINVAL;
	if (d.frac_digits > FRAC_DIGITS_MAX)
		return -EDOM;
	if (d.overflow || d.int_part > (UINT64_MAX >> shift))
		return -ERANGE;
	whole = d.int_part << shift;

	/*
	 * frac / 10^n * 2^shift is whole only if 5^n divides frac and
	 * what is left, below 2^n, times 2^shift is a multiple of 2^n.
	 */
	part = 0;
	if (d.frac_digits) {
		p5 = pow_u64(5, d.frac_digits);
		if (d.frac % p5)
			return -EDOM;
		part = d.frac / p5;
		if ((unsigned int)shift >= d.frac_digits) {
			part <<= shift - d.frac_digits;
		} else {
			if (part & ((1ULL << (d.frac_digits - shift)) - 1))
				return -EDOM;
			part >>= d.frac_digits - shift;
		}
	}
	if (__builtin_add_overflow(whole, part, &whole))
		return -ERANGE;
	*bytes = whole;
	return 0;
}

static const char size_units[] = "BKMGTPE";

int zsv_format_size(uint64_t bytes, char *buf, size_t len)
{
	unsigned int unit = 0, tenths;
	uint64_t rem;
	int n;

	while (unit < 6 && bytes >> (10 * (unit + 1)))
		unit++;
	if (!unit) {
		n = snprintf(buf, len, "%lluB", (unsigned long long)bytes);
	} else {
		rem = bytes & ((1ULL << (10 * unit)) - 1);
		/* rem < 2^60, so rem * 10 still fits. */
		tenths = (unsigned int)((rem * 10) >> (10 * unit));
		if (rem)
			n = snprintf(buf, len, "%llu.%u%c",
				     (unsigned long long)(bytes >> (10 * unit)),
				     tenths, size_units[unit]);
		else
			n = snprintf(buf, len, "%llu%c",
				     (unsigned long long)(bytes >> (10 * unit)),
				     size_units[unit]);
	}
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

int zsv_format_size_exact(uint64_t bytes, char *buf, size_t len)
{
	unsigned int unit = 0;
	int n;

	while (bytes && unit < 6 &&
	       !(bytes & ((1ULL << (10 * (unit + 1))) - 1)))
		unit++;
	if (!unit)
		n = snprintf(buf, len, "%lluB", (unsigned long long)bytes);
	else
		n = snprintf(buf, len, "%llu%c",
			     (unsigned long long)(bytes >> (10 * unit)),
			     size_units[unit]);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

static const struct {
	const char *name;
	unsigned int exp10; /* nanoseconds per unit, as a power of 10 */
} duration_units[] = {
	{ "s", 9 },
	{ "ms", 6 },
	{ "us", 3 },
	{ "ns", 0 },
};

int zsv_parse_duration(const char *str, uint64_t *ns)
{
	struct decimal d;
	uint64_t whole, part;
	unsigned int i, exp10;
	int err;

	if (!str)
		return -EINVAL;
	err = parse_decimal(&str, &d);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(duration_units); i++)
		if (!strcmp(str, duration_units[i].name))
			break;
	if (i == ARRAY_SIZE(duration_units))
		return -EINVAL;
	exp10 = duration_units[i].exp10;
	if (d.frac_digits > exp10)
		return -EDOM;
	if (d.overflow ||
	    __builtin_mul_overflow(d.int_part, pow_u64(10, exp10), &whole))
		return -ERANGE;
	/* frac < 10^frac_digits, so this stays below 10^exp10. */
	part = d.frac * pow_u64(10, exp10 - d.frac_digits);
	if (__builtin_add_overflow(whole, part, &whole))
		return -ERANGE;
	*ns = whole;
	return 0;
}

int zsv_format_duration(uint64_t ns, char *buf, size_t len)
{
	unsigned int i, exp10;
	uint64_t per_unit;
	int n;

	for (i = 0; i < ARRAY_SIZE(duration_units) - 1; i++)
		if (ns >= pow_u64(10, duration_units[i].exp10))
			break;
	exp10 = duration_units[i].exp10;
	per_unit = pow_u64(10, exp10);
	if (ns % per_unit) {
		char frac[16];
		size_t flen;

		snprintf(frac, sizeof(frac), "%0*llu", (int)exp10,
			 (unsigned long long)(ns % per_unit));
		for (flen = strlen(frac); frac[flen - 1] == '0'; flen--)
			frac[flen - 1] = '\0';
		n = snprintf(buf, len, "%llu.%s%s",
			     (unsigned long long)(ns / per_unit), frac,
			     duration_units[i].name);
	} else {
		n = snprintf(buf, len, "%llu%s",
			     (unsigned long long)(ns / per_unit),
			     duration_units[i].name);
	}
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/* DIGITS, up to @end (or the NUL when @end is NULL). */
static int parse_digits(const char *s, const char *end, uint64_t *val)
{
	bool overflow = false;
	uint64_t v = 0;

	if (!end)
		end = s + strlen(s);
	if (s == end)
		return -EINVAL;
	for (; s < end; s++) {
		if (!is_digit(*s))
			return -EINVAL;
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, *s - '0', &v))
			overflow = true;
	}
	if (overflow)
		return -ERANGE;
	*val = v;
	return 0;
}

int zsv_parse_u64(const char *str, uint64_t *val)
{
	if (!str)
		return -EINVAL;
	return parse_digits(str, NULL, val);
}

int zsv_parse_u32(const char *str, uint32_t *val)
{
	uint64_t v;
	int err;

	err = zsv_parse_u64(str, &v);
	if (err)
		return err;
	if (v > UINT32_MAX)
		return -ERANGE;
	*val = (uint32_t)v;
	return 0;
}

int zsv_parse_percent(const char *str, unsigned int *pct)
{
	const char *end;
	uint64_t v;
	int err;

	if (!str)
		return -EINVAL;
	end = str + strlen(str);
	if (end > str && end[-1] == '%')
		end--;
	err = parse_digits(str, end, &v);
	if (err)
		return err;
	if (v > 100)
		return -ERANGE;
	*pct = (unsigned int)v;
	return 0;
}

int zsv_parse_ratio(const char *str, uint32_t *pct)
{
	const char *end;
	struct decimal d;
	uint64_t v;
	int err;

	if (!str)
		return -EINVAL;
	end = str + strlen(str);
	if (end > str && end[-1] == '%') {
		err = parse_digits(str, end - 1, &v);
		if (err)
			return err;
	} else {
		err = parse_decimal(&str, &d);
		if (err)
			return err;
		if (*str)
			return -EINVAL;
		if (d.frac_digits > 2)
			return -EDOM;
		if (d.overflow || __builtin_mul_overflow(d.int_part, 100, &v) ||
		    __builtin_add_overflow(
			    v, d.frac * pow_u64(10, 2 - d.frac_digits), &v))
			return -ERANGE;
	}
	if (v > UINT32_MAX)
		return -ERANGE;
	*pct = (uint32_t)v;
	return 0;
}

int zsv_format_ratio(uint32_t pct, char *buf, size_t len)
{
	unsigned int frac = pct % 100;
	int n;

	if (!frac)
		n = snprintf(buf, len, "%u", pct / 100);
	else if (frac % 10)
		n = snprintf(buf, len, "%u.%02u", pct / 100, frac);
	else
		n = snprintf(buf, len, "%u.%u", pct / 100, frac / 10);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}
