// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl top's model (userspace/zsvctl/top_model.c), linked in as
 * functions: rates from counter deltas, the order of the rows, the
 * option parsers, the cells and the frame at a terminal's width and
 * height.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "top_model.h"

#define SEC 1000000000ULL

static struct zsv_slice_info slice_info(uint32_t id, const char *name,
					const char *dev)
{
	struct zsv_slice_info s = {
		.id = id,
		.name = name,
		.dev_name = dev,
		.mem_bytes = 1ULL << 30,
		.mem_used_bytes = 256ULL << 20,
		.throttled_ns = 0,
		.jobs_completed = 0,
		.share_promised_ppm = 750000,
		.share_delivered_ppm = 749000,
	};

	s.present = ZSV_ATTR_BIT(ZSV_A_SLICE_ID) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_NAME) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_DEV_NAME) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_BYTES) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_MEM_USED) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_THROTTLED_NS) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_JOBS_COMPLETED) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_SHARE_PROMISED_PPM) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_SHARE_DELIVERED_PPM);
	return s;
}

static struct zsv_dev_info dev_info(uint32_t id, const char *name)
{
	struct zsv_dev_info d = {
		.id = id,
		.name = name,
		.backend = "sim",
		.mem_total_bytes = 16ULL << 30,
		.mem_used_bytes = 512ULL << 20,
		.jobs_completed = 0,
	};

	d.present = ZSV_ATTR_BIT(ZSV_A_DEV_ID) | ZSV_ATTR_BIT(ZSV_A_DEV_NAME) |
		    ZSV_ATTR_BIT(ZSV_A_DEV_MEM_TOTAL) |
		    ZSV_ATTR_BIT(ZSV_A_DEV_MEM_USED) |
		    ZSV_ATTR_BIT(ZSV_A_DEV_JOBS_COMPLETED);
	return d;
}

/* Every line of @f fits @width columns and has no control character. */
static bool lines_fit(const struct top_frame *f, size_t width)
{
	size_t i, k;

	for (i = 0; i < f->nlines; i++) {
		if (strlen(f->lines[i]) > width)
			return false;
		for (k = 0; f->lines[i][k]; k++)
			if ((unsigned char)f->lines[i][k] < ' ' ||
			    (unsigned char)f->lines[i][k] > '~')
				return false;
	}
	return true;
}

/* The first line that contains @needle, or NULL. */
static const char *find_line(const struct top_frame *f, const char *needle)
{
	size_t i;

	for (i = 0; i < f->nlines; i++)
		if (strstr(f->lines[i], needle))
			return f->lines[i];
	return NULL;
}

TEST(counter_rate_is_delta_over_time)
{
	double r = 0;

	ASSERT_TRUE(top_counter_rate(100, 350, SEC / 2, &r));
	EXPECT_EQ(500.0, r);
	ASSERT_TRUE(top_counter_rate(7, 7, 2 * SEC, &r));
	EXPECT_EQ(0.0, r);
}

TEST(counter_rate_refuses_a_counter_that_went_back_or_no_time)
{
	double r = 42;

	EXPECT_FALSE(top_counter_rate(350, 100, SEC, &r));
	EXPECT_FALSE(top_counter_rate(100, 350, 0, &r));
	EXPECT_EQ(42.0, r);
}

/* Two samples 2 s apart: jobs/s and throttled share per slice and device. */
TEST(snapshot_rates_come_from_counter_deltas)
{
	struct zsv_slice_info a = slice_info(1, "a", "zsv0");
	struct zsv_slice_info b = slice_info(2, "b", "zsv0");
	struct zsv_dev_info d = dev_info(0, "zsv0");
	struct top_entry s0[2], s1[2], d0, d1;
	struct top_snapshot prev = { .time_ns = 10 * SEC,
				     .devs = &d0,
				     .ndevs = 1,
				     .slices = s0,
				     .nslices = 2 };
	struct top_snapshot cur = { .time_ns = 12 * SEC,
				    .devs = &d1,
				    .ndevs = 1,
				    .slices = s1,
				    .nslices = 2 };

	a.jobs_completed = 1000;
	a.throttled_ns = 5 * SEC;
	b.jobs_completed = 10;
	b.throttled_ns = 0;
	d.jobs_completed = 5000;
	top_entry_from_slice(&s0[0], &a);
	top_entry_from_slice(&s0[1], &b);
	top_entry_from_dev(&d0, &d, s0, 2);

	a.jobs_completed = 3000; /* 1000/s */
	a.throttled_ns = 5 * SEC + SEC / 2; /* 0.25 s/s */
	b.jobs_completed = 13; /* 1.5/s */
	b.throttled_ns = 2 * SEC; /* 1 s/s */
	d.jobs_completed = 9000; /* 2000/s */
	top_entry_from_slice(&s1[0], &a);
	top_entry_from_slice(&s1[1], &b);
	top_entry_from_dev(&d1, &d, s1, 2);

	top_snapshot_rates(&prev, NULL);
	EXPECT_FALSE(s0[0].has & TOP_HAS_JOBS_RATE);
	EXPECT_FALSE(d0.has & TOP_HAS_THROTTLED_RATE);

	top_snapshot_rates(&cur, &prev);
	ASSERT_TRUE(s1[0].has & TOP_HAS_JOBS_RATE);
	ASSERT_TRUE(s1[0].has & TOP_HAS_THROTTLED_RATE);
	EXPECT_EQ(1000.0, s1[0].jobs_per_s);
	EXPECT_EQ(250000, s1[0].throttled_ppm);
	EXPECT_EQ(1.5, s1[1].jobs_per_s);
	EXPECT_EQ(1000000, s1[1].throttled_ppm);
	/* The device: its own jobs counter, its slices' throttled rates. */
	EXPECT_EQ(2, d1.slices);
	EXPECT_EQ(2000.0, d1.jobs_per_s);
	EXPECT_EQ(1250000, d1.throttled_ppm);
	EXPECT_EQ(1500000, d1.promised_ppm);
	EXPECT_EQ(1498000, d1.delivered_ppm);
	EXPECT_EQ(16ULL << 30, d1.mem_limit_bytes);
}

/* A slice remade under the same id (or name) is a new row: no rate. */
TEST(snapshot_rates_skip_a_different_or_reset_slice)
{
	struct zsv_slice_info a = slice_info(1, "a", "zsv0");
	struct top_entry old[1], now[3];
	struct top_snapshot prev = { .time_ns = SEC,
				     .slices = old,
				     .nslices = 1 };
	struct top_snapshot cur = { .time_ns = 2 * SEC,
				    .slices = now,
				    .nslices = 3 };

	a.jobs_completed = 100;
	top_entry_from_slice(&old[0], &a);
	a.jobs_completed = 50; /* went back: reset */
	top_entry_from_slice(&now[0], &a);
	a.name = "other"; /* same id, another name */
	a.jobs_completed = 200;
	top_entry_from_slice(&now[1], &a);
	a.name = "a";
	a.id = 9; /* same name, another id */
	top_entry_from_slice(&now[2], &a);
	top_snapshot_rates(&cur, &prev);
	EXPECT_FALSE(now[0].has & TOP_HAS_JOBS_RATE);
	EXPECT_FALSE(now[1].has & TOP_HAS_JOBS_RATE);
	EXPECT_FALSE(now[2].has & TOP_HAS_JOBS_RATE);
	EXPECT_TRUE(now[0].has & TOP_HAS_THROTTLED_RATE);
	EXPECT_EQ(0, now[0].throttled_ppm);
}

TEST(slice_without_figures_shows_dashes)
{
	struct zsv_slice_info s = { .id = 3, .name = "bare", .dev_name = "" };
	struct top_entry e;
	char buf[32];

	s.present = ZSV_ATTR_BIT(ZSV_A_SLICE_ID) |
		    ZSV_ATTR_BIT(ZSV_A_SLICE_NAME);
	top_entry_from_slice(&e, &s);
	top_cell_share(&e, true, buf, sizeof(buf));
	EXPECT_STREQ("-", buf);
	top_cell_share(&e, false, buf, sizeof(buf));
	EXPECT_STREQ("-", buf);
	top_cell_mem(&e, false, buf, sizeof(buf));
	EXPECT_STREQ("-", buf);
	top_cell_throttled(&e, buf, sizeof(buf));
	EXPECT_STREQ("-", buf);
	top_cell_jobs(&e, buf, sizeof(buf));
	EXPECT_STREQ("-", buf);
	EXPECT_STREQ("-", e.dev);
}

TEST(cells_format_shares_rates_and_sizes)
{
	static const struct {
		double per_s;
		const char *text;
	} jobs[] = {
		{ 0, "0" },	      { 0.04, "0" },	  { 0.5, "0.5" },
		{ 12.34, "12.3" },    { 99.94, "99.9" },  { 99.96, "100" },
		{ 1234.4, "1234" },   { 9999.4, "9999" }, { 12345, "12.3k" },
		{ 999949, "999.9k" }, { 2.5e6, "2.5M" },  { 7e9, "7.0G" },
		{ 1e15, "999.9G" },
	};
	struct top_entry e = { .has = TOP_HAS_PROMISED | TOP_HAS_DELIVERED |
				      TOP_HAS_MEM_USED | TOP_HAS_MEM_LIMIT |
				      TOP_HAS_THROTTLED_RATE |
				      TOP_HAS_JOBS_RATE,
			       .promised_ppm = 750000,
			       .delivered_ppm = 333333,
			       .mem_used_bytes = 1536ULL << 20,
			       .mem_limit_bytes = 80ULL << 30,
			       .throttled_ppm = 125000 };
	char buf[32];
	size_t i;

	top_cell_share(&e, false, buf, sizeof(buf));
	EXPECT_STREQ("75.0%", buf);
	top_cell_share(&e, true, buf, sizeof(buf));
	EXPECT_STREQ("33.3%", buf);
	top_cell_mem(&e, false, buf, sizeof(buf));
	EXPECT_STREQ("1.5G", buf);
	top_cell_mem(&e, true, buf, sizeof(buf));
	EXPECT_STREQ("80G", buf);
	top_cell_throttled(&e, buf, sizeof(buf));
	EXPECT_STREQ("12.5%", buf);
	/* A device's sum over several throttled slices. */
	e.throttled_ppm = 2504000;
	top_cell_throttled(&e, buf, sizeof(buf));
	EXPECT_STREQ("250%", buf);
	for (i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		e.jobs_per_s = jobs[i].per_s;
		top_cell_jobs(&e, buf, sizeof(buf));
		EXPECT_STREQ(jobs[i].text, buf)
		{
			TH_LOG("%g jobs/s", jobs[i].per_s);
		}
		/* The JOBS/S column is 7 wide. */
		EXPECT_LE(strlen(buf), 7);
	}
}

static void names(const struct top_entry *rows, size_t n, char *out)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(out, rows[i].name);
		strcat(out, i + 1 < n ? "," : "");
	}
}

TEST(sort_puts_largest_first_unknown_last_names_in_order)
{
	struct top_entry rows[4] = {
		{ .id = 1,
		  .name = "b",
		  .has = TOP_HAS_DELIVERED | TOP_HAS_MEM_USED,
		  .delivered_ppm = 250000,
		  .mem_used_bytes = 10 },
		{ .id = 2,
		  .name = "a",
		  .has = TOP_HAS_DELIVERED | TOP_HAS_MEM_USED,
		  .delivered_ppm = 250000,
		  .mem_used_bytes = 30 },
		{ .id = 3, .name = "c", .has = 0 },
		{ .id = 4,
		  .name = "d",
		  .has = TOP_HAS_DELIVERED | TOP_HAS_MEM_USED |
			 TOP_HAS_JOBS_RATE,
		  .delivered_ppm = 750000,
		  .mem_used_bytes = 20,
		  .jobs_per_s = 3 },
	};
	char out[64];

	top_sort(rows, 4, TOP_SORT_DELIVERED, false);
	names(rows, 4, out);
	EXPECT_STREQ("d,a,b,c", out); /* ties by name, unknown last */
	top_sort(rows, 4, TOP_SORT_DELIVERED, true);
	names(rows, 4, out);
	EXPECT_STREQ("c,b,a,d", out);
	top_sort(rows, 4, TOP_SORT_MEM, false);
	names(rows, 4, out);
	EXPECT_STREQ("a,d,b,c", out);
	top_sort(rows, 4, TOP_SORT_JOBS, false);
	names(rows, 4, out);
	EXPECT_STREQ("d,a,b,c", out);
	top_sort(rows, 4, TOP_SORT_NAME, false);
	names(rows, 4, out);
	EXPECT_STREQ("a,b,c,d", out);
}

TEST(sort_keys_by_name_prefix_and_key)
{
	enum top_sort_key k;

	ASSERT_EQ(0, top_sort_key_parse("delivered", &k));
	EXPECT_EQ(TOP_SORT_DELIVERED, k);
	ASSERT_EQ(0, top_sort_key_parse("prom", &k));
	EXPECT_EQ(TOP_SORT_PROMISED, k);
	ASSERT_EQ(0, top_sort_key_parse("t", &k));
	EXPECT_EQ(TOP_SORT_THROTTLED, k);
	ASSERT_EQ(0, top_sort_key_parse("mem", &k));
	EXPECT_EQ(TOP_SORT_MEM, k);
	EXPECT_EQ(-EINVAL, top_sort_key_parse("", &k));
	EXPECT_EQ(-EINVAL, top_sort_key_parse("cpu", &k));
	EXPECT_EQ(-EINVAL, top_sort_key_parse("delivered2", &k));
	ASSERT_EQ(0, top_sort_key_from_char('j', &k));
	EXPECT_EQ(TOP_SORT_JOBS, k);
	ASSERT_EQ(0, top_sort_key_from_char('n', &k));
	EXPECT_EQ(TOP_SORT_NAME, k);
	EXPECT_EQ(-EINVAL, top_sort_key_from_char('q', &k));
	EXPECT_EQ(-EINVAL, top_sort_key_from_char('r', &k));
	EXPECT_STREQ("throttled", top_sort_key_name(TOP_SORT_THROTTLED));
}

TEST(interval_takes_seconds_or_a_duration_within_limits)
{
	static const struct {
		const char *word;
		uint64_t ns;
	} good[] = {
		{ "1", SEC },	      { "0.5", SEC / 2 },
		{ "0.1", SEC / 10 },  { "2.25", 2250000000ULL },
		{ "500ms", SEC / 2 }, { "3600", 3600 * SEC },
		{ "1s", SEC },
	};
	static const char *const bad[] = {
		"",	"0",   "0.05",	       "99ms",
		"3601", "1h",  ".5",	       "1.",
		"-1",	"1e3", "0.0000000001", "18446744073709551616",
		"1 ",	"x",
	};
	uint64_t ns;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ns = 0;
		EXPECT_EQ(0, top_parse_interval(good[i].word, &ns))
		{
			TH_LOG("'%s'", good[i].word);
		}
		EXPECT_EQ(good[i].ns, ns);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ns = 7;
		EXPECT_EQ(-EINVAL, top_parse_interval(bad[i], &ns))
		{
			TH_LOG("'%s'", bad[i]);
		}
		EXPECT_EQ(7, ns);
	}
}

TEST(iterations_are_a_positive_number)
{
	uint64_t n = 0;

	ASSERT_EQ(0, top_parse_iterations("3", &n));
	EXPECT_EQ(3, n);
	EXPECT_EQ(-EINVAL, top_parse_iterations("0", &n));
	EXPECT_EQ(-EINVAL, top_parse_iterations("-1", &n));
	EXPECT_EQ(-EINVAL, top_parse_iterations("", &n));
	EXPECT_EQ(-EINVAL, top_parse_iterations("2x", &n));
}

/* Slices with long names on two devices; rates from two samples. */
static void make_snapshot(struct top_snapshot *snap, size_t nslices,
			  const char *long_name)
{
	static struct top_entry devs[2], slices[64];
	struct zsv_dev_info d0 = dev_info(0, "zsv0"), d1 = dev_info(1, "zsv1");
	char name[64];
	size_t i;

	for (i = 0; i < nslices && i < 64; i++) {
		struct zsv_slice_info s =
			slice_info((uint32_t)i, name, i % 2 ? "zsv1" : "zsv0");

		snprintf(name, sizeof(name), "%s-%zu", long_name, i);
		s.share_promised_ppm = (uint32_t)(i * 10000);
		s.share_delivered_ppm = (uint32_t)(i * 10000 + 1000);
		top_entry_from_slice(&slices[i], &s);
		slices[i].has |= TOP_HAS_JOBS_RATE | TOP_HAS_THROTTLED_RATE;
		slices[i].jobs_per_s = 123456.0;
		slices[i].throttled_ppm = 1000000;
	}
	top_entry_from_dev(&devs[0], &d0, slices, nslices);
	top_entry_from_dev(&devs[1], &d1, slices, nslices);
	devs[0].has |= TOP_HAS_JOBS_RATE | TOP_HAS_THROTTLED_RATE;
	devs[0].jobs_per_s = 5e6;
	devs[0].throttled_ppm = 64000000;
	*snap = (struct top_snapshot){
		.devs = devs, .ndevs = 2, .slices = slices, .nslices = nslices
	};
}

TEST(frame_fits_80_columns_and_shows_each_slice_share)
{
	struct top_view view = { .width = 80,
				 .height = 24,
				 .interval_ns = SEC,
				 .clock = "12:34:56",
				 .keys = true };
	struct top_frame f = { 0 };
	struct top_snapshot snap;
	const char *line;

	make_snapshot(&snap, 3, "team");
	ASSERT_EQ(0, top_render(&f, &snap, &view));
	EXPECT_TRUE(lines_fit(&f, 80));
	EXPECT_STREQ("zsvctl top - 12:34:56 - every 1s - 2 devices, 3 slices",
		     f.lines[0]);
	EXPECT_STREQ(
		"sort: delivered   keys: d p m t j n sort, r reverse, q quit",
		f.lines[1]);
	line = find_line(&f, "SLICE ");
	ASSERT_NE(NULL, line);
	EXPECT_STREQ(
		"SLICE                  DEV       PROM   DELIV     USED    LIMIT   THROT   JOBS/S",
		line);
	line = find_line(&f, "DEVICE ");
	ASSERT_NE(NULL, line);
	EXPECT_STREQ(
		"DEVICE                 SLICES    PROM   DELIV     USED    TOTAL   THROT   JOBS/S",
		line);
	/* Sorted by delivered share: team-2 first, after the header. */
	EXPECT_STREQ(
		"team-2                 zsv0      2.0%    2.1%     256M       1G    100%   123.5k",
		find_line(&f, "team-2"));
	EXPECT_TRUE(find_line(&f, "team-2") < find_line(&f, "team-1"));
	EXPECT_TRUE(find_line(&f, "team-1") < find_line(&f, "team-0"));
	EXPECT_NE(
		NULL,
		find_line(
			&f,
			"zsv0                        2    2.0%    2.2%     512M      16G   6400%     5.0M"));
	top_frame_free(&f);
}

TEST(frame_cuts_long_names_and_never_passes_the_width)
{
	static const char long_name[] =
		"a-very-long-slice-name-that-goes-on-and-on-for-a-while";
	struct top_view view = {
		.width = 80, .height = 0, .interval_ns = SEC / 2, .keys = true
	};
	unsigned int widths[] = { 80, 100, 67, 60, 40, 10, 1 };
	struct top_frame f = { 0 };
	struct top_snapshot snap;
	size_t i;

	make_snapshot(&snap, 5, long_name);
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		view.width = widths[i];
		ASSERT_EQ(0, top_render(&f, &snap, &view));
		EXPECT_TRUE(lines_fit(&f, widths[i]))
		{
			TH_LOG("width %u", widths[i]);
		}
	}
	view.width = 80;
	ASSERT_EQ(0, top_render(&f, &snap, &view));
	/* 80 - 59 fixed columns: 21 for the name, the last one '~'. */
	EXPECT_NE(NULL, find_line(&f, "a-very-long-slice-na~  zsv0 "));
	/* Batch mode: no width, names whole, columns still aligned. */
	view.width = 0;
	ASSERT_EQ(0, top_render(&f, &snap, &view));
	EXPECT_NE(
		NULL,
		find_line(
			&f,
			"a-very-long-slice-name-that-goes-on-and-on-for-a-while-4  zsv0 "));
	top_frame_free(&f);
}

TEST(frame_keeps_to_the_height_and_says_how_many_more)
{
	struct top_view view = {
		.width = 80, .height = 12, .interval_ns = SEC, .keys = true
	};
	struct top_frame f = { 0 };
	struct top_snapshot snap;

	make_snapshot(&snap, 40, "s");
	ASSERT_EQ(0, top_render(&f, &snap, &view));
	EXPECT_EQ(12, f.nlines);
	/* header, keys, blank, 3 device lines, blank, slice header: 8. */
	EXPECT_STREQ("... 37 more", f.lines[11]);
	EXPECT_NE(NULL, find_line(&f, "s-39 "));
	EXPECT_EQ(NULL, find_line(&f, "s-36 "));
	view.height = 3;
	ASSERT_EQ(0, top_render(&f, &snap, &view));
	EXPECT_EQ(3, f.nlines);
	top_frame_free(&f);
}

TEST(frame_follows_the_sort_key_and_reverse)
{
	struct top_view view = { .width = 80,
				 .interval_ns = SEC,
				 .sort = TOP_SORT_NAME };
	struct top_frame f = { 0 };
	struct top_snapshot snap;

	make_snapshot(&snap, 3, "x");
	ASSERT_EQ(0, top_render(&f, &snap, &view));
	EXPECT_EQ(NULL, find_line(&f, "keys: "));
	EXPECT_TRUE(find_line(&f, "x-0 ") < find_line(&f, "x-2 "));
	EXPECT_STREQ("sort: name", f.lines[1]);
	view.sort_reverse = true;
	ASSERT_EQ(0, top_render(&f, &snap, &view));
	EXPECT_TRUE(find_line(&f, "x-2 ") < find_line(&f, "x-0 "));
	EXPECT_STREQ("sort: name, reversed", f.lines[1]);
	top_frame_free(&f);
}

TEST_HARNESS_MAIN
