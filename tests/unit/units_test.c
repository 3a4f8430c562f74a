// SPDX-License-Identifier: GPL-2.0-only
/*
 * libzsv's pure helpers: sizes, durations, percentages, ratios, numbers,
 * names, policies, memory modes and event names, and the node helpers'
 * refusals.  One test per class of rejected input, plus round trips.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "libzsv.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TiB (1ULL << 40)
#define PiB (1ULL << 50)
#define EiB (1ULL << 60)

/* A fixed sequence of pseudo-random numbers: every run tests the same. */
static uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

static int size_of(const char *str, uint64_t *bytes)
{
	*bytes = 0xdeadbeef;
	return zsv_parse_size(str, bytes);
}

static int duration_of(const char *str, uint64_t *ns)
{
	*ns = 0xdeadbeef;
	return zsv_parse_duration(str, ns);
}

/* ------------------------------------------------------------------ */
/* Sizes */

TEST(size_accepts_plain_bytes)
{
	uint64_t b;

	ASSERT_EQ(0, size_of("0", &b));
	EXPECT_EQ(0, b);
	ASSERT_EQ(0, size_of("4096", &b));
	EXPECT_EQ(4096, b);
	ASSERT_EQ(0, size_of("4096B", &b));
	EXPECT_EQ(4096, b);
	ASSERT_EQ(0, size_of("007", &b));
	EXPECT_EQ(7, b);
}

TEST(size_accepts_every_binary_unit)
{
	static const struct {
		const char *str;
		uint64_t bytes;
	} cases[] = {
		{ "1K", KiB }, { "2M", 2 * MiB }, { "16G", 16 * GiB },
		{ "3T", 3 * TiB }, { "5P", 5 * PiB }, { "15E", 15 * EiB },
	};
	unsigned int i;
	uint64_t b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_EQ(0, size_of(cases[i].str, &b)) TH_LOG("%s", cases[i].str);
		EXPECT_EQ(cases[i].bytes, b) TH_LOG("%s", cases[i].str);
	}
}

TEST(size_accepts_lowercase_units)
{
	uint64_t b;

	ASSERT_EQ(0, size_of("512m", &b));
	EXPECT_EQ(512 * MiB, b);
	ASSERT_EQ(0, size_of("8g", &b));
	EXPECT_EQ(8 * GiB, b);
}

TEST(size_accepts_iec_suffix)
{
	uint64_t b;

	ASSERT_EQ(0, size_of("16GiB", &b));
	EXPECT_EQ(16 * GiB, b);
	ASSERT_EQ(0, size_of("1KiB", &b));
	EXPECT_EQ(KiB, b);
}

TEST(size_accepts_fraction_of_whole_bytes)
{
	uint64_t b;

	ASSERT_EQ(0, size_of("1.5G", &b));
	EXPECT_EQ(GiB + GiB / 2, b);
	ASSERT_EQ(0, size_of("0.5K", &b));
	EXPECT_EQ(512, b);
	ASSERT_EQ(0, size_of("1.50G", &b));
	EXPECT_EQ(GiB + GiB / 2, b);
	ASSERT_EQ(0, size_of("2.0", &b));
	EXPECT_EQ(2, b);
	/* 1023/1024 of a unit: ten digits after the point, all exact. */
	ASSERT_EQ(0, size_of("0.9990234375K", &b));
	EXPECT_EQ(1023, b);
	ASSERT_EQ(0, size_of("15.9990234375E", &b));
	EXPECT_EQ(15 * EiB + 1023 * PiB, b);
}

TEST(size_accepts_largest_value)
{
	uint64_t b;

	ASSERT_EQ(0, size_of("18446744073709551615", &b));
	EXPECT_EQ(UINT64_MAX, b);
	ASSERT_EQ(0, size_of("16383P", &b));
	EXPECT_EQ(16383 * PiB, b);
}

TEST(size_rejects_empty)
{
	uint64_t b;

	EXPECT_EQ(-EINVAL, size_of("", &b));
	EXPECT_EQ(-EINVAL, zsv_parse_size(NULL, &b));
	EXPECT_EQ(0xdeadbeef, b);
}

TEST(size_rejects_trailing_garbage)
{
	uint64_t b;

	EXPECT_EQ(-EINVAL, size_of("16Gx", &b));
	EXPECT_EQ(-EINVAL, size_of("16G ", &b));
	EXPECT_EQ(-EINVAL, size_of("16G\n", &b));
	EXPECT_EQ(-EINVAL, size_of("16GiBB", &b));
	EXPECT_EQ(-EINVAL, size_of("16Gi", &b));
	EXPECT_EQ(0xdeadbeef, b);
}

TEST(size_rejects_white_space)
{
	uint64_t b;

	EXPECT_EQ(-EINVAL, size_of(" 16G", &b));
	EXPECT_EQ(-EINVAL, size_of("16 G", &b));
	EXPECT_EQ(-EINVAL, size_of("\t16G", &b));
}

TEST(size_rejects_negative)
{
	uint64_t b;

	EXPECT_EQ(-EINVAL, size_of("-1G", &b));
	EXPECT_EQ(-EINVAL, size_of("-0", &b));
}

TEST(size_rejects_plus_sign)
{
	uint64_t b;

	EXPECT_EQ(-EINVAL, size_of("+1G", &b));
}

TEST(size_rejects_unit_alone)
{
	uint64_t b;

	EXPECT_EQ(-EINVAL, size_of("G", &b));
	EXPECT_EQ(-EINVAL, size_of("GiB", &b));
	EXPECT_EQ(-EINVAL, size_of("B", &b));
}

TEST(size_rejects_decimal_units)
{
	uint64_t b;

	/* "GB" might mean 10^9: refuse rather than guess. */
	EXPECT_EQ(-EINVAL, size_of("16GB", &b));
	EXPECT_EQ(-EINVAL, size_of("16kB", &b));
}

TEST(size_rejects_unknown_unit)
{
	uint64_t b;

	EXPECT_EQ(-EINVAL, size_of("16X", &b));
	EXPECT_EQ(-EINVAL, size_of("16Z", &b));
	EXPECT_EQ(-EINVAL, size_of("16Y", &b));
	EXPECT_EQ(-EINVAL, size_of("16%", &b));
}

TEST(size_rejects_bits)
{
	uint64_t b;

	EXPECT_EQ(-EINVAL, size_of("16b", &b));
	EXPECT_EQ(-EINVAL, size_of("16Gib", &b));
}

TEST(size_rejects_malformed_fraction)
{
	uint64_t b;

	EXPECT_EQ(-EINVAL, size_of("1.", &b));
	EXPECT_EQ(-EINVAL, size_of("1.G", &b));
	EXPECT_EQ(-EINVAL, size_of(".5G", &b));
	EXPECT_EQ(-EINVAL, size_of("1..5G", &b));
	EXPECT_EQ(-EINVAL, size_of("1.5.5G", &b));
	EXPECT_EQ(-EINVAL, size_of("1,5G", &b));
}

TEST(size_rejects_base_prefix)
{
	uint64_t b;

	EXPECT_EQ(-EINVAL, size_of("0x10", &b));
	EXPECT_EQ(-EINVAL, size_of("1e9", &b));
}

TEST(size_rejects_overflow)
{
	uint64_t b;

	EXPECT_EQ(-ERANGE, size_of("18446744073709551616", &b));
	EXPECT_EQ(-ERANGE, size_of("99999999999999999999999", &b));
	EXPECT_EQ(-ERANGE, size_of("16E", &b));
	EXPECT_EQ(-ERANGE, size_of("16384P", &b));
	EXPECT_EQ(-ERANGE, size_of("17179869184G", &b));
	EXPECT_EQ(0xdeadbeef, b);
}

TEST(size_rejects_fraction_of_a_byte)
{
	uint64_t b;

	EXPECT_EQ(-EDOM, size_of("0.3K", &b));
	EXPECT_EQ(-EDOM, size_of("1.5", &b));
	EXPECT_EQ(-EDOM, size_of("1.5B", &b));
	EXPECT_EQ(-EDOM, size_of("0.0001K", &b));
}

TEST(size_rejects_more_than_18_fraction_digits)
{
	uint64_t b;

	EXPECT_EQ(-EDOM, size_of("1.0000000000000000001G", &b));
	/* Trailing zeros are not digits that count. */
	ASSERT_EQ(0, size_of("1.500000000000000000000000G", &b));
	EXPECT_EQ(GiB + GiB / 2, b);
}

TEST(size_error_prefers_syntax_over_range)
{
	uint64_t b;

	EXPECT_EQ(-EINVAL, size_of("99999999999999999999x", &b));
	EXPECT_EQ(-EINVAL, size_of("1.00000000000000000000001x", &b));
}

TEST(size_format_whole_units)
{
	char buf[ZSV_UNIT_STR_MAX];

	ASSERT_EQ(0, zsv_format_size(0, buf, sizeof(buf)));
	EXPECT_STREQ("0B", buf);
	ASSERT_EQ(0, zsv_format_size(1023, buf, sizeof(buf)));
	EXPECT_STREQ("1023B", buf);
	ASSERT_EQ(0, zsv_format_size(KiB, buf, sizeof(buf)));
	EXPECT_STREQ("1K", buf);
	ASSERT_EQ(0, zsv_format_size(16 * GiB, buf, sizeof(buf)));
	EXPECT_STREQ("16G", buf);
	ASSERT_EQ(0, zsv_format_size(80 * GiB, buf, sizeof(buf)));
	EXPECT_STREQ("80G", buf);
	ASSERT_EQ(0, zsv_format_size(1023 * MiB, buf, sizeof(buf)));
	EXPECT_STREQ("1023M", buf);
}

TEST(size_format_truncates_to_one_decimal)
{
	char buf[ZSV_UNIT_STR_MAX];

	ASSERT_EQ(0, zsv_format_size(GiB + GiB / 2, buf, sizeof(buf)));
	EXPECT_STREQ("1.5G", buf);
	/* Never rounds up to a size that is not there. */
	ASSERT_EQ(0, zsv_format_size(80 * GiB - 1, buf, sizeof(buf)));
	EXPECT_STREQ("79.9G", buf);
	ASSERT_EQ(0, zsv_format_size(GiB + 1, buf, sizeof(buf)));
	EXPECT_STREQ("1.0G", buf);
	ASSERT_EQ(0, zsv_format_size(UINT64_MAX, buf, sizeof(buf)));
	EXPECT_STREQ("15.9E", buf);
}

TEST(size_format_exact_picks_largest_dividing_unit)
{
	char buf[ZSV_UNIT_STR_MAX];

	ASSERT_EQ(0, zsv_format_size_exact(GiB + GiB / 2, buf, sizeof(buf)));
	EXPECT_STREQ("1536M", buf);
	ASSERT_EQ(0, zsv_format_size_exact(1000, buf, sizeof(buf)));
	EXPECT_STREQ("1000B", buf);
	ASSERT_EQ(0, zsv_format_size_exact(0, buf, sizeof(buf)));
	EXPECT_STREQ("0B", buf);
	ASSERT_EQ(0, zsv_format_size_exact(15 * EiB, buf, sizeof(buf)));
	EXPECT_STREQ("15E", buf);
	ASSERT_EQ(0, zsv_format_size_exact(UINT64_MAX, buf, sizeof(buf)));
	EXPECT_STREQ("18446744073709551615B", buf);
}

TEST(size_format_reports_short_buffer)
{
	char buf[ZSV_UNIT_STR_MAX];

	EXPECT_EQ(-ENOSPC, zsv_format_size(16 * GiB, buf, 3));
	EXPECT_EQ(0, zsv_format_size(16 * GiB, buf, 4));
	EXPECT_EQ(-ENOSPC, zsv_format_size_exact(16 * GiB, buf, 3));
	EXPECT_EQ(-ENOSPC, zsv_format_size(0, buf, 0));
}

TEST(size_exact_format_round_trips)
{
	char buf[ZSV_UNIT_STR_MAX];
	uint64_t state = 0x2545f4914f6cdd1dULL, x, b;
	unsigned int i;

	for (i = 0; i < 100000; i++) {
		x = xorshift64(&state);
		/* Shift some values so that every unit comes up. */
		x >>= i % 64;
		x <<= (i / 64) % 61;
		ASSERT_EQ(0, zsv_format_size_exact(x, buf, sizeof(buf)));
		ASSERT_EQ(0, zsv_parse_size(buf, &b)) TH_LOG("%s", buf);
		ASSERT_EQ(x, b) TH_LOG("%s", buf);
	}
}

TEST(size_human_format_round_trips_whole_units)
{
	char buf[ZSV_UNIT_STR_MAX];
	unsigned int shift;
	uint64_t n, b;

	for (shift = 0; shift <= 60; shift += 10) {
		for (n = 1; n < 1024 && (n << shift) >> shift == n; n++) {
			ASSERT_EQ(0, zsv_format_size(n << shift, buf, sizeof(buf)));
			ASSERT_EQ(0, zsv_parse_size(buf, &b)) TH_LOG("%s", buf);
			ASSERT_EQ(n << shift, b) TH_LOG("%s", buf);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Durations */

TEST(duration_accepts_every_unit)
{
	uint64_t ns;

	ASSERT_EQ(0, duration_of("250ns", &ns));
	EXPECT_EQ(250, ns);
	ASSERT_EQ(0, duration_of("100us", &ns));
	EXPECT_EQ(100000, ns);
	ASSERT_EQ(0, duration_of("2ms", &ns));
	EXPECT_EQ(2000000, ns);
	ASSERT_EQ(0, duration_of("1s", &ns));
	EXPECT_EQ(1000000000, ns);
	ASSERT_EQ(0, duration_of("0ns", &ns));
	EXPECT_EQ(0, ns);
}

TEST(duration_accepts_fraction_of_whole_ns)
{
	uint64_t ns;

	ASSERT_EQ(0, duration_of("1.5ms", &ns));
	EXPECT_EQ(1500000, ns);
	ASSERT_EQ(0, duration_of("0.5s", &ns));
	EXPECT_EQ(500000000, ns);
	ASSERT_EQ(0, duration_of("1.000000001s", &ns));
	EXPECT_EQ(1000000001, ns);
	ASSERT_EQ(0, duration_of("2.500us", &ns));
	EXPECT_EQ(2500, ns);
}

TEST(duration_accepts_largest_value)
{
	uint64_t ns;

	ASSERT_EQ(0, duration_of("18446744073709551615ns", &ns));
	EXPECT_EQ(UINT64_MAX, ns);
	ASSERT_EQ(0, duration_of("18446744073.709551615s", &ns));
	EXPECT_EQ(UINT64_MAX, ns);
}

TEST(duration_rejects_missing_unit)
{
	uint64_t ns;

	EXPECT_EQ(-EINVAL, duration_of("100", &ns));
	EXPECT_EQ(-EINVAL, duration_of("0", &ns));
	EXPECT_EQ(0xdeadbeef, ns);
}

TEST(duration_rejects_unit_alone)
{
	uint64_t ns;

	EXPECT_EQ(-EINVAL, duration_of("ms", &ns));
	EXPECT_EQ(-EINVAL, duration_of("", &ns));
	EXPECT_EQ(-EINVAL, zsv_parse_duration(NULL, &ns));
}

TEST(duration_rejects_unknown_unit)
{
	uint64_t ns;

	EXPECT_EQ(-EINVAL, duration_of("2m", &ns));
	EXPECT_EQ(-EINVAL, duration_of("2min", &ns));
	EXPECT_EQ(-EINVAL, duration_of("2h", &ns));
	EXPECT_EQ(-EINVAL, duration_of("2MS", &ns));
	EXPECT_EQ(-EINVAL, duration_of("2Ms", &ns));
	EXPECT_EQ(-EINVAL, duration_of("2\xc2\xb5s", &ns));
	EXPECT_EQ(-EINVAL, duration_of("2sec", &ns));
}

TEST(duration_rejects_trailing_garbage)
{
	uint64_t ns;

	EXPECT_EQ(-EINVAL, duration_of("2ms ", &ns));
	EXPECT_EQ(-EINVAL, duration_of("2msx", &ns));
	EXPECT_EQ(-EINVAL, duration_of("2ms2ms", &ns));
}

TEST(duration_rejects_white_space)
{
	uint64_t ns;

	EXPECT_EQ(-EINVAL, duration_of(" 2ms", &ns));
	EXPECT_EQ(-EINVAL, duration_of("2 ms", &ns));
}

TEST(duration_rejects_negative)
{
	uint64_t ns;

	EXPECT_EQ(-EINVAL, duration_of("-2ms", &ns));
	EXPECT_EQ(-EINVAL, duration_of("+2ms", &ns));
}

TEST(duration_rejects_malformed_fraction)
{
	uint64_t ns;

	EXPECT_EQ(-EINVAL, duration_of("1.ms", &ns));
	EXPECT_EQ(-EINVAL, duration_of(".5ms", &ns));
	EXPECT_EQ(-EINVAL, duration_of("1.5.5ms", &ns));
}

TEST(duration_rejects_fraction_of_a_nanosecond)
{
	uint64_t ns;

	EXPECT_EQ(-EDOM, duration_of("1.5ns", &ns));
	EXPECT_EQ(-EDOM, duration_of("0.0001us", &ns));
	EXPECT_EQ(-EDOM, duration_of("0.0000000001s", &ns));
}

TEST(duration_rejects_overflow)
{
	uint64_t ns;

	EXPECT_EQ(-ERANGE, duration_of("18446744073709551616ns", &ns));
	EXPECT_EQ(-ERANGE, duration_of("18446744074s", &ns));
	EXPECT_EQ(-ERANGE, duration_of("18446744073.709551616s", &ns));
	EXPECT_EQ(-ERANGE, duration_of("18446744073709552ms", &ns));
	EXPECT_EQ(0xdeadbeef, ns);
}

TEST(duration_format_examples)
{
	static const struct {
		uint64_t ns;
		const char *str;
	} cases[] = {
		{ 0, "0ns" },
		{ 999, "999ns" },
		{ 100000, "100us" },
		{ 2000000, "2ms" },
		{ 1500000, "1.5ms" },
		{ 1234567, "1.234567ms" },
		{ 100000000, "100ms" },
		{ 1000000000, "1s" },
		{ 1000000001, "1.000000001s" },
		{ UINT64_MAX, "18446744073.709551615s" },
	};
	char buf[ZSV_UNIT_STR_MAX];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_EQ(0, zsv_format_duration(cases[i].ns, buf, sizeof(buf)));
		EXPECT_STREQ(cases[i].str, buf);
	}
}

TEST(duration_format_round_trips)
{
	char buf[ZSV_UNIT_STR_MAX];
	uint64_t state = 0x9e3779b97f4a7c15ULL, x, ns;
	unsigned int i;

	for (i = 0; i < 100000; i++) {
		x = xorshift64(&state) >> (i % 64);
		ASSERT_EQ(0, zsv_format_duration(x, buf, sizeof(buf)));
		ASSERT_EQ(0, zsv_parse_duration(buf, &ns)) TH_LOG("%s", buf);
		ASSERT_EQ(x, ns) TH_LOG("%s", buf);
	}
}

TEST(duration_format_reports_short_buffer)
{
	char buf[ZSV_UNIT_STR_MAX];

	EXPECT_EQ(-ENOSPC, zsv_format_duration(2000000, buf, 3));
	EXPECT_EQ(0, zsv_format_duration(2000000, buf, 4));
	EXPECT_STREQ("2ms", buf);
}

/* ------------------------------------------------------------------ */
/* Percentages and numbers */

TEST(percent_accepts_with_and_without_sign)
{
	unsigned int pct;

	ASSERT_EQ(0, zsv_parse_percent("25%", &pct));
	EXPECT_EQ(25, pct);
	ASSERT_EQ(0, zsv_parse_percent("25", &pct));
	EXPECT_EQ(25, pct);
	ASSERT_EQ(0, zsv_parse_percent("0%", &pct));
	EXPECT_EQ(0, pct);
	ASSERT_EQ(0, zsv_parse_percent("100%", &pct));
	EXPECT_EQ(100, pct);
}

TEST(percent_rejects_over_100)
{
	unsigned int pct = 7;

	EXPECT_EQ(-ERANGE, zsv_parse_percent("101%", &pct));
	EXPECT_EQ(-ERANGE, zsv_parse_percent("99999999999999999999999%", &pct));
	EXPECT_EQ(7, pct);
}

TEST(percent_rejects_fraction)
{
	unsigned int pct;

	EXPECT_EQ(-EINVAL, zsv_parse_percent("12.5%", &pct));
	EXPECT_EQ(-EINVAL, zsv_parse_percent("12.0", &pct));
}

TEST(percent_rejects_negative)
{
	unsigned int pct;

	EXPECT_EQ(-EINVAL, zsv_parse_percent("-5%", &pct));
	EXPECT_EQ(-EINVAL, zsv_parse_percent("+5%", &pct));
}

TEST(percent_rejects_sign_alone)
{
	unsigned int pct;

	EXPECT_EQ(-EINVAL, zsv_parse_percent("%", &pct));
	EXPECT_EQ(-EINVAL, zsv_parse_percent("", &pct));
	EXPECT_EQ(-EINVAL, zsv_parse_percent(NULL, &pct));
}

TEST(percent_rejects_trailing_garbage)
{
	unsigned int pct;

	EXPECT_EQ(-EINVAL, zsv_parse_percent("25%%", &pct));
	EXPECT_EQ(-EINVAL, zsv_parse_percent("25 %", &pct));
	EXPECT_EQ(-EINVAL, zsv_parse_percent("25%x", &pct));
	EXPECT_EQ(-EINVAL, zsv_parse_percent("%25", &pct));
	EXPECT_EQ(-EINVAL, zsv_parse_percent(" 25", &pct));
}

TEST(number_accepts_decimal)
{
	uint64_t v64;
	uint32_t v32;

	ASSERT_EQ(0, zsv_parse_u64("0", &v64));
	EXPECT_EQ(0, v64);
	ASSERT_EQ(0, zsv_parse_u64("18446744073709551615", &v64));
	EXPECT_EQ(UINT64_MAX, v64);
	ASSERT_EQ(0, zsv_parse_u32("4294967295", &v32));
	EXPECT_EQ(UINT32_MAX, v32);
	ASSERT_EQ(0, zsv_parse_u32("200", &v32));
	EXPECT_EQ(200, v32);
}

TEST(number_rejects_overflow)
{
	uint64_t v64 = 7;
	uint32_t v32 = 7;

	EXPECT_EQ(-ERANGE, zsv_parse_u64("18446744073709551616", &v64));
	EXPECT_EQ(-ERANGE, zsv_parse_u32("4294967296", &v32));
	EXPECT_EQ(7, v64);
	EXPECT_EQ(7, v32);
}

TEST(number_rejects_sign)
{
	uint64_t v;

	EXPECT_EQ(-EINVAL, zsv_parse_u64("-1", &v));
	EXPECT_EQ(-EINVAL, zsv_parse_u64("+1", &v));
}

TEST(number_rejects_base_prefix)
{
	uint64_t v;

	EXPECT_EQ(-EINVAL, zsv_parse_u64("0x10", &v));
	EXPECT_EQ(-EINVAL, zsv_parse_u64("1e3", &v));
}

TEST(number_rejects_empty_and_space)
{
	uint64_t v;

	EXPECT_EQ(-EINVAL, zsv_parse_u64("", &v));
	EXPECT_EQ(-EINVAL, zsv_parse_u64(NULL, &v));
	EXPECT_EQ(-EINVAL, zsv_parse_u64(" 1", &v));
	EXPECT_EQ(-EINVAL, zsv_parse_u64("1 ", &v));
}

TEST(number_rejects_unit)
{
	uint64_t v;

	EXPECT_EQ(-EINVAL, zsv_parse_u64("1G", &v));
	EXPECT_EQ(-EINVAL, zsv_parse_u64("1.0", &v));
}

/* ------------------------------------------------------------------ */
/* Ratios */

static int ratio_of(const char *str, uint32_t *pct)
{
	*pct = 0xdeadbeef;
	return zsv_parse_ratio(str, pct);
}

TEST(ratio_accepts_decimal_ratios)
{
	uint32_t pct;

	ASSERT_EQ(0, ratio_of("1", &pct));
	EXPECT_EQ(100, pct);
	ASSERT_EQ(0, ratio_of("1.5", &pct));
	EXPECT_EQ(150, pct);
	ASSERT_EQ(0, ratio_of("1.25", &pct));
	EXPECT_EQ(125, pct);
	ASSERT_EQ(0, ratio_of("2.50", &pct));
	EXPECT_EQ(250, pct);
	ASSERT_EQ(0, ratio_of("100", &pct));
	EXPECT_EQ(10000, pct);
	ASSERT_EQ(0, ratio_of("0.5", &pct));
	EXPECT_EQ(50, pct);
	/* Trailing zeros past the hundredths are no extra precision. */
	ASSERT_EQ(0, ratio_of("1.5000", &pct));
	EXPECT_EQ(150, pct);
}

TEST(ratio_accepts_percent)
{
	uint32_t pct;

	ASSERT_EQ(0, ratio_of("150%", &pct));
	EXPECT_EQ(150, pct);
	ASSERT_EQ(0, ratio_of("100%", &pct));
	EXPECT_EQ(100, pct);
	ASSERT_EQ(0, ratio_of("10000%", &pct));
	EXPECT_EQ(10000, pct);
}

TEST(ratio_rejects_fraction_of_a_percent)
{
	uint32_t pct;

	EXPECT_EQ(-EDOM, ratio_of("1.255", &pct));
	EXPECT_EQ(-EDOM, ratio_of("1.001", &pct));
	EXPECT_EQ(0xdeadbeef, pct);
	/* A percent is whole: no fraction with the sign. */
	EXPECT_EQ(-EINVAL, ratio_of("150.5%", &pct));
}

TEST(ratio_rejects_malformed)
{
	static const char *const bad[] = {
		"", "%", "1.", ".5", "-1", "+1", "1x", " 1", "1 ", "1.5x",
		"1,5", "0x10", "1%%", "%1", "1.5.0",
	};
	unsigned int i;
	uint32_t pct;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, ratio_of(bad[i], &pct)) TH_LOG("bad[%u]", i);
	EXPECT_EQ(-EINVAL, zsv_parse_ratio(NULL, &pct));
}

TEST(ratio_rejects_overflow)
{
	uint32_t pct;

	EXPECT_EQ(-ERANGE, ratio_of("42949673", &pct));
	EXPECT_EQ(-ERANGE, ratio_of("4294967296%", &pct));
	EXPECT_EQ(-ERANGE, ratio_of("99999999999999999999999", &pct));
	ASSERT_EQ(0, ratio_of("4294967295%", &pct));
	EXPECT_EQ(UINT32_MAX, pct);
}

TEST(ratio_format_examples)
{
	static const struct {
		uint32_t pct;
		const char *str;
	} cases[] = {
		{ 100, "1" }, { 150, "1.5" }, { 125, "1.25" }, { 101, "1.01" },
		{ 110, "1.1" }, { 10000, "100" }, { 50, "0.5" }, { 0, "0" },
	};
	char buf[ZSV_UNIT_STR_MAX];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_EQ(0, zsv_format_ratio(cases[i].pct, buf, sizeof(buf)));
		EXPECT_STREQ(cases[i].str, buf);
	}
}

TEST(ratio_format_round_trips)
{
	char buf[ZSV_UNIT_STR_MAX];
	uint32_t pct, again;

	for (pct = ZSV_OVERSUB_PCT_MIN; pct <= ZSV_OVERSUB_PCT_MAX; pct++) {
		ASSERT_EQ(0, zsv_format_ratio(pct, buf, sizeof(buf)));
		ASSERT_EQ(0, zsv_parse_ratio(buf, &again)) TH_LOG("%s", buf);
		ASSERT_EQ(pct, again) TH_LOG("%s", buf);
	}
	ASSERT_EQ(0, zsv_format_ratio(UINT32_MAX, buf, sizeof(buf)));
	EXPECT_STREQ("42949672.95", buf);
}

TEST(ratio_format_reports_short_buffer)
{
	char buf[3];

	EXPECT_EQ(-ENOSPC, zsv_format_ratio(150, buf, sizeof(buf)));
	EXPECT_EQ(0, zsv_format_ratio(200, buf, sizeof(buf)));
}

/* Whatever the bytes, parsers fail cleanly or give a value that prints
 * back to itself. */
TEST(parsers_survive_random_input)
{
	static const char alphabet[] = "0123456789.%+- KMGTPEkmgtpeiBbnums\xb5x";
	uint64_t state = 0xdeadbeefcafef00dULL, v, again;
	char str[24], buf[ZSV_UNIT_STR_MAX];
	unsigned int i, j, len, pct;
	uint32_t ratio, ratio_again;

	for (i = 0; i < 200000; i++) {
		len = xorshift64(&state) % (sizeof(str) - 1);
		for (j = 0; j < len; j++)
			str[j] = alphabet[xorshift64(&state) % (sizeof(alphabet) - 1)];
		str[len] = '\0';

		if (!zsv_parse_size(str, &v)) {
			ASSERT_EQ(0, zsv_format_size_exact(v, buf, sizeof(buf)));
			ASSERT_EQ(0, zsv_parse_size(buf, &again)) TH_LOG("%s", str);
			ASSERT_EQ(v, again) TH_LOG("%s", str);
		}
		if (!zsv_parse_duration(str, &v)) {
			ASSERT_EQ(0, zsv_format_duration(v, buf, sizeof(buf)));
			ASSERT_EQ(0, zsv_parse_duration(buf, &again)) TH_LOG("%s", str);
			ASSERT_EQ(v, again) TH_LOG("%s", str);
		}
		if (!zsv_parse_percent(str, &pct))
			ASSERT_LE(pct, 100) TH_LOG("%s", str);
		if (!zsv_parse_ratio(str, &ratio)) {
			ASSERT_EQ(0, zsv_format_ratio(ratio, buf, sizeof(buf)));
			ASSERT_EQ(0, zsv_parse_ratio(buf, &ratio_again)) TH_LOG("%s", str);
			ASSERT_EQ(ratio, ratio_again) TH_LOG("%s", str);
		}
		zsv_parse_u64(str, &v);
		zsv_name_check(str);
	}
}

/* ------------------------------------------------------------------ */
/* Names */

TEST(name_accepts_valid)
{
	char longest[ZSV_NAME_MAX + 1];

	EXPECT_EQ(0, zsv_name_check("zsv0"));
	EXPECT_EQ(0, zsv_name_check("team-a"));
	EXPECT_EQ(0, zsv_name_check("a"));
	EXPECT_EQ(0, zsv_name_check("0"));
	EXPECT_EQ(0, zsv_name_check("a.b_c-d"));
	EXPECT_EQ(0, zsv_name_check("9lives"));
	memset(longest, 'x', ZSV_NAME_MAX);
	longest[ZSV_NAME_MAX] = '\0';
	EXPECT_EQ(0, zsv_name_check(longest));
}

TEST(name_rejects_empty)
{
	EXPECT_EQ(-EINVAL, zsv_name_check(""));
	EXPECT_EQ(-EINVAL, zsv_name_check(NULL));
}

TEST(name_rejects_too_long)
{
	char name[ZSV_NAME_MAX + 2];

	memset(name, 'x', ZSV_NAME_MAX + 1);
	name[ZSV_NAME_MAX + 1] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, zsv_name_check(name));
}

TEST(name_rejects_uppercase)
{
	EXPECT_EQ(-EINVAL, zsv_name_check("Team"));
	EXPECT_EQ(-EINVAL, zsv_name_check("teamA"));
}

TEST(name_rejects_leading_dash)
{
	EXPECT_EQ(-EINVAL, zsv_name_check("-team"));
}

TEST(name_rejects_leading_dot)
{
	EXPECT_EQ(-EINVAL, zsv_name_check("."));
	EXPECT_EQ(-EINVAL, zsv_name_check(".."));
	EXPECT_EQ(-EINVAL, zsv_name_check(".hidden"));
}

TEST(name_rejects_leading_underscore)
{
	EXPECT_EQ(-EINVAL, zsv_name_check("_team"));
}

TEST(name_rejects_slash)
{
	EXPECT_EQ(-EINVAL, zsv_name_check("a/b"));
	EXPECT_EQ(-EINVAL, zsv_name_check("../zsv0"));
}

TEST(name_rejects_white_space)
{
	EXPECT_EQ(-EINVAL, zsv_name_check("a b"));
	EXPECT_EQ(-EINVAL, zsv_name_check("a\tb"));
	EXPECT_EQ(-EINVAL, zsv_name_check("team\n"));
}

TEST(name_rejects_non_ascii)
{
	EXPECT_EQ(-EINVAL, zsv_name_check("caf\xc3\xa9"));
	EXPECT_EQ(-EINVAL, zsv_name_check("\xff"));
}

TEST(name_rejects_shell_metacharacters)
{
	EXPECT_EQ(-EINVAL, zsv_name_check("a;b"));
	EXPECT_EQ(-EINVAL, zsv_name_check("a$b"));
	EXPECT_EQ(-EINVAL, zsv_name_check("a*b"));
	EXPECT_EQ(-EINVAL, zsv_name_check("a:b"));
}

/* ------------------------------------------------------------------ */
/* Policies and errors */

TEST(policy_names_round_trip)
{
	enum zsv_policy policy;
	uint32_t p;

	for (p = 0; p <= ZSV_POLICY_MAX; p++) {
		ASSERT_NE(NULL, zsv_policy_name(p));
		ASSERT_EQ(0, zsv_policy_parse(zsv_policy_name(p), &policy));
		EXPECT_EQ(p, policy);
	}
	EXPECT_STREQ("weighted", zsv_policy_name(ZSV_POLICY_WEIGHTED));
	EXPECT_STREQ("fixed", zsv_policy_name(ZSV_POLICY_FIXED));
	EXPECT_STREQ("best-effort", zsv_policy_name(ZSV_POLICY_BEST_EFFORT));
}

TEST(policy_name_of_unknown_value_is_null)
{
	EXPECT_EQ(NULL, zsv_policy_name(ZSV_POLICY_MAX + 1));
	EXPECT_EQ(NULL, zsv_policy_name(UINT32_MAX));
}

TEST(policy_parse_rejects_unknown_name)
{
	enum zsv_policy policy;

	EXPECT_EQ(-EINVAL, zsv_policy_parse("Weighted", &policy));
	EXPECT_EQ(-EINVAL, zsv_policy_parse("best_effort", &policy));
	EXPECT_EQ(-EINVAL, zsv_policy_parse("fair", &policy));
	EXPECT_EQ(-EINVAL, zsv_policy_parse("", &policy));
	EXPECT_EQ(-EINVAL, zsv_policy_parse(NULL, &policy));
}

TEST(mem_mode_names_round_trip)
{
	enum zsv_mem_mode mode;
	uint32_t m;

	for (m = 0; m <= ZSV_MEM_MODE_MAX; m++) {
		ASSERT_NE(NULL, zsv_mem_mode_name(m));
		ASSERT_EQ(0, zsv_mem_mode_parse(zsv_mem_mode_name(m), &mode));
		EXPECT_EQ(m, mode);
	}
	EXPECT_STREQ("reserved", zsv_mem_mode_name(ZSV_MEM_MODE_RESERVED));
	EXPECT_STREQ("shared", zsv_mem_mode_name(ZSV_MEM_MODE_SHARED));
}

TEST(placement_names_round_trip)
{
	uint32_t p, back;

	for (p = 0; p <= ZSV_PLACEMENT_MAX; p++) {
		ASSERT_NE(NULL, zsv_placement_name(p));
		ASSERT_EQ(0, zsv_placement_parse(zsv_placement_name(p), &back));
		EXPECT_EQ(p, back);
	}
	EXPECT_STREQ("spread", zsv_placement_name(ZSV_PLACEMENT_SPREAD));
	EXPECT_STREQ("binpack", zsv_placement_name(ZSV_PLACEMENT_BINPACK));
	EXPECT_EQ(NULL, zsv_placement_name(ZSV_PLACEMENT_MAX + 1));
	EXPECT_EQ(-EINVAL, zsv_placement_parse("Spread", &back));
	EXPECT_EQ(-EINVAL, zsv_placement_parse("bin-pack", &back));
	EXPECT_EQ(-EINVAL, zsv_placement_parse("", &back));
	EXPECT_EQ(-EINVAL, zsv_placement_parse(NULL, &back));
}

TEST(mem_mode_name_of_unknown_value_is_null)
{
	EXPECT_EQ(NULL, zsv_mem_mode_name(ZSV_MEM_MODE_MAX + 1));
	EXPECT_EQ(NULL, zsv_mem_mode_name(UINT32_MAX));
}

TEST(mem_mode_parse_rejects_unknown_name)
{
	enum zsv_mem_mode mode;

	EXPECT_EQ(-EINVAL, zsv_mem_mode_parse("Reserved", &mode));
	EXPECT_EQ(-EINVAL, zsv_mem_mode_parse("reserve", &mode));
	EXPECT_EQ(-EINVAL, zsv_mem_mode_parse("shared ", &mode));
	EXPECT_EQ(-EINVAL, zsv_mem_mode_parse("", &mode));
	EXPECT_EQ(-EINVAL, zsv_mem_mode_parse(NULL, &mode));
}

TEST(event_names_are_the_spec_operations)
{
	static const struct {
		int kind, action;
		const char *name;
	} cases[] = {
		{ ZSV_EVENT_DEV, ZSV_EVENT_NEW, "dev-new" },
		{ ZSV_EVENT_DEV, ZSV_EVENT_SET, "dev-set" },
		{ ZSV_EVENT_DEV, ZSV_EVENT_DEL, "dev-del" },
		{ ZSV_EVENT_SLICE, ZSV_EVENT_NEW, "slice-new" },
		{ ZSV_EVENT_SLICE, ZSV_EVENT_SET, "slice-set" },
		{ ZSV_EVENT_SLICE, ZSV_EVENT_DEL, "slice-del" },
		{ ZSV_EVENT_TENANT, ZSV_EVENT_NEW, "tenant-new" },
		{ ZSV_EVENT_TENANT, ZSV_EVENT_SET, "tenant-set" },
		{ ZSV_EVENT_TENANT, ZSV_EVENT_DEL, "tenant-del" },
	};
	struct zsv_event ev = { 0 };
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ev.kind = cases[i].kind;
		ev.action = cases[i].action;
		EXPECT_STREQ(cases[i].name, zsv_event_name(&ev));
	}
}

TEST(event_name_of_unknown_event_is_null)
{
	struct zsv_event ev = { .kind = ZSV_EVENT_SLICE, .action = 0 };

	EXPECT_EQ(NULL, zsv_event_name(&ev));
	ev.action = ZSV_EVENT_DEL + 1;
	EXPECT_EQ(NULL, zsv_event_name(&ev));
	ev.kind = 0;
	ev.action = ZSV_EVENT_NEW;
	EXPECT_EQ(NULL, zsv_event_name(&ev));
	ev.kind = ZSV_EVENT_TENANT + 1;
	EXPECT_EQ(NULL, zsv_event_name(&ev));
	EXPECT_EQ(NULL, zsv_event_name(NULL));
}

/*
 * Requests the library refuses before it asks the kernel (so no handle
 * is needed): a tenant change with nothing or something foreign in its
 * mask, and a slice's tenant bit without a name.
 */
TEST(tenant_requests_are_checked_before_the_kernel_is_asked)
{
	struct zsv_tenant_params tp = { 0 };
	struct zsv_slice_params sp = { 0 };

	EXPECT_EQ(-EINVAL, zsv_tenant_set(NULL, "t", &tp));
	EXPECT_EQ(-EINVAL, zsv_tenant_set(NULL, "t", NULL));
	tp.mask = ZSV_ATTR_BIT(ZSV_A_TENANT_MEM);
	EXPECT_EQ(-EINVAL, zsv_tenant_set(NULL, "t", &tp));
	EXPECT_EQ(-EINVAL, zsv_tenant_new(NULL, "t", &tp, NULL));
	tp.mask = ZSV_ATTR_BIT(ZSV_A_TENANT_ID);
	EXPECT_EQ(-EINVAL, zsv_tenant_new(NULL, "t", &tp, NULL));
	EXPECT_EQ(-EINVAL, zsv_tenant_new(NULL, NULL, NULL, NULL));
	EXPECT_EQ(-EINVAL, zsv_tenant_del(NULL, NULL));
	EXPECT_EQ(-EINVAL, zsv_tenant_get_by_name(NULL, "t", NULL));
	EXPECT_EQ(-EINVAL, zsv_tenant_list(NULL, NULL, NULL));

	sp.mask = ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_BYTES) |
		  ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT);
	sp.mem_bytes = 1 << 20;
	EXPECT_EQ(-EINVAL, zsv_slice_create(NULL, "zsv0", "a", &sp, NULL));
	EXPECT_EQ(-EINVAL, zsv_slice_place(NULL, "a", ZSV_PLACEMENT_SPREAD,
					   NULL, &sp, NULL));
	sp.mask = ZSV_ATTR_BIT(ZSV_A_SLICE_TENANT);
	EXPECT_EQ(-EINVAL, zsv_slice_set(NULL, "a", &sp));
}

/* ------------------------------------------------------------------ */
/* Slice nodes, where no zsv module is needed to be refused */

TEST(slice_open_refuses_names_that_leave_dev_zsv)
{
	EXPECT_EQ(-EINVAL, zsv_slice_open("../null"));
	EXPECT_EQ(-EINVAL, zsv_slice_open(".."));
	EXPECT_EQ(-EINVAL, zsv_slice_open("a/b"));
	EXPECT_EQ(-EINVAL, zsv_slice_open(""));
	EXPECT_EQ(-EINVAL, zsv_slice_open(NULL));
}

TEST(slice_open_of_missing_slice_is_enoent)
{
	if (!access("/dev/zsv/no-such-slice-here", F_OK))
		SKIP(return, "a slice has that name");
	EXPECT_EQ(-ENOENT, zsv_slice_open("no-such-slice-here"));
}

TEST(slice_info_on_other_file_is_enotty)
{
	struct zsv_info info;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOTTY, zsv_slice_get_info(fd, &info));
	close(fd);
	EXPECT_EQ(-EBADF, zsv_slice_get_info(-1, &info));
	EXPECT_EQ(-EINVAL, zsv_slice_get_info(0, NULL));
}

/* The data-plane calls refuse bad arguments before any ioctl. */
TEST(job_submit_refuses_bad_arguments_without_a_call)
{
	struct zsv_job_cmd cmds[ZSV_JOB_CMDS_MAX + 1] = { 0 };
	uint64_t seqno = 77;

	/* fd -1 would be EBADF: EINVAL proves nothing reached the kernel. */
	EXPECT_EQ(-EINVAL, zsv_job_submit(-1, NULL, 1, sizeof(cmds[0]), &seqno));
	EXPECT_EQ(-EINVAL, zsv_job_submit(-1, cmds, 0, sizeof(cmds[0]), &seqno));
	EXPECT_EQ(-EINVAL, zsv_job_submit(-1, cmds, ZSV_JOB_CMDS_MAX + 1,
					  sizeof(cmds[0]), &seqno));
	EXPECT_EQ(-EINVAL,
		  zsv_job_submit(-1, cmds, 1, sizeof(cmds[0]) - 8, &seqno));
	EXPECT_EQ(-EINVAL, zsv_job_submit(-1, cmds, 1, 0, &seqno));
	EXPECT_EQ(-EINVAL,
		  zsv_job_submit(-1, cmds, 1, (size_t)UINT32_MAX + 1, &seqno));
	EXPECT_EQ(77, seqno);
	/* Within the limits, the call is made. */
	EXPECT_EQ(-EBADF, zsv_job_submit(-1, cmds, ZSV_JOB_CMDS_MAX,
					 sizeof(cmds[0]), &seqno));
	EXPECT_EQ(-EBADF, zsv_job_submit(-1, cmds, 1, sizeof(cmds[0]) + 8, NULL));
}

TEST(data_plane_calls_on_other_file_are_enotty)
{
	struct zsv_job_cmd cmd = { .op = ZSV_OP_COMPUTE, .arg = 1 };
	struct zsv_job_status st = { .completed_seqno = 5 };
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	uint64_t offset = 9;
	uint32_t handle = 9;

	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOTTY, zsv_job_submit(fd, &cmd, 1, sizeof(cmd), NULL));
	EXPECT_EQ(-ENOTTY, zsv_job_wait(fd, 0, 0, &st, sizeof(st)));
	EXPECT_EQ(5, st.completed_seqno);
	EXPECT_EQ(-ENOTTY, zsv_job_wait(fd, 1, 0, NULL, 0));
	EXPECT_EQ(-ENOTTY, zsv_bo_create(fd, 4096, 0, &handle));
	EXPECT_EQ(9, handle);
	EXPECT_EQ(-ENOTTY, zsv_bo_destroy(fd, 1));
	EXPECT_EQ(-ENOTTY, zsv_bo_mmap_offset(fd, 1, &offset));
	EXPECT_EQ(9, offset);
	close(fd);
	EXPECT_EQ(-EBADF, zsv_job_wait(-1, 0, 0, NULL, 0));
	EXPECT_EQ(-EBADF, zsv_bo_destroy(-1, 1));
}

TEST(bo_calls_refuse_null_outputs)
{
	EXPECT_EQ(-EINVAL, zsv_bo_create(-1, 4096, 0, NULL));
	EXPECT_EQ(-EINVAL, zsv_bo_mmap_offset(-1, 1, NULL));
}

TEST(job_wait_refuses_a_status_without_a_size)
{
	struct zsv_job_status st;

	EXPECT_EQ(-EINVAL, zsv_job_wait(-1, 0, 0, &st, 0));
}

TEST(monotonic_ns_is_clock_monotonic)
{
	struct timespec ts;
	int64_t a, b, c;

	a = zsv_monotonic_ns();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	b = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	c = zsv_monotonic_ns();
	EXPECT_LE(a, b);
	EXPECT_LE(b, c);
}

/*
 * Run in the test VM by tests/shell/zsvctl_slice_node_reports_limits.sh,
 * which creates ZSV_TEST_SLICE on zsv1 with "mem 3G mode shared weight
 * 42 cap 7 timeslice 3ms"; skipped anywhere else.
 */
TEST(slice_info_reports_the_limits)
{
	const char *name = getenv("ZSV_TEST_SLICE");
	struct zsv_info info;
	int fd;

	if (!name)
		SKIP(return, "ZSV_TEST_SLICE names no slice");
	fd = zsv_slice_open(name);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(-fd));
	ASSERT_EQ(0, zsv_slice_get_info(fd, &info));
	EXPECT_STREQ(name, info.name);
	EXPECT_STREQ("zsv1", info.dev_name);
	EXPECT_EQ(3 * GiB, info.mem_bytes);
	EXPECT_EQ(0, info.mem_used);
	EXPECT_EQ(ZSV_MEM_MODE_SHARED, info.mem_mode);
	EXPECT_EQ(42, info.weight);
	EXPECT_EQ(7, info.cap_pct);
	EXPECT_EQ(3000000, info.timeslice_ns);
	EXPECT_EQ(4, info.engines);
	EXPECT_EQ(100000000, info.period_ns);
	close(fd);
}

TEST(strerror_says_module_not_loaded)
{
	EXPECT_NE(NULL, strstr(zsv_strerror(-ZSV_ENOTLOADED), "not loaded"));
	EXPECT_STREQ(strerror(ENODEV), zsv_strerror(-ENODEV));
	EXPECT_STREQ(strerror(ENODEV), zsv_strerror(ENODEV));
}

TEST_HARNESS_MAIN
