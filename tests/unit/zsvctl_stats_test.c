// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsvctl stats as functions (userspace/zsvctl/stats.c): its words, the
 * Prometheus text it writes for given devices and slices (exact text,
 * units, escaping, left-out attributes), the atomic textfile and,
 * when Debian's promtool is installed, "promtool check metrics" on it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "libzsv.h"
#include "stats.h"

#define GiB (1024ULL * 1024 * 1024)
#define BIT(a) ZSV_ATTR_BIT(a)

static char err[256];

static int parse(struct stats_args *a, int argc, char **argv)
{
	err[0] = '\0';
	return args_stats(argc, argv, a, err, sizeof(err));
}

TEST(stats_takes_no_words_or_a_textfile_and_an_interval)
{
	char *none[] = { NULL };
	char *t[] = { "--textfile", "/var/lib/node", NULL };
	char *ti[] = { "--interval=15s", "--textfile=/d", NULL };
	struct stats_args a;

	ASSERT_EQ(0, parse(&a, 0, none));
	EXPECT_EQ(NULL, a.textfile_dir);
	EXPECT_EQ(0, a.interval_ns);
	ASSERT_EQ(0, parse(&a, 2, t));
	EXPECT_STREQ("/var/lib/node", a.textfile_dir);
	EXPECT_EQ(0, a.interval_ns);
	ASSERT_EQ(0, parse(&a, 2, ti));
	EXPECT_STREQ("/d", a.textfile_dir);
	EXPECT_EQ(15000000000ULL, a.interval_ns);
}

TEST(stats_rejects_bad_words_with_a_sentence)
{
	static const struct {
		int argc;
		char *argv[4];
		const char *msg;
	} bad[] = {
		{ 1, { "--textfile" }, "'--textfile' needs a value" },
		{ 1,
		  { "--textfile=" },
		  "--textfile needs a directory, not an empty word" },
		{ 2, { "--interval", "15s" }, "--interval needs --textfile" },
		{ 3,
		  { "--textfile", "/d", "--interval" },
		  "'--interval' needs a value" },
		{ 4,
		  { "--textfile", "/d", "--interval", "15" },
		  "invalid interval '15'" },
		{ 4,
		  { "--textfile", "/d", "--interval", "99ms" },
		  "invalid interval '99ms'" },
		{ 4,
		  { "--textfile", "/d", "--interval", "86401s" },
		  "invalid interval '86401s'" },
		{ 4,
		  { "--textfile", "/d", "--textfile", "/e" },
		  "'--textfile' given twice" },
		{ 1,
		  { "--textfiles=/d" },
		  "unexpected argument '--textfiles=/d'" },
		{ 1, { "dev" }, "unexpected argument 'dev'" },
		{ 1, { "-j" }, "unexpected argument '-j'" },
	};
	struct stats_args a;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL,
			  parse(&a, bad[i].argc, (char **)bad[i].argv));
		EXPECT_NE(NULL, strstr(err, bad[i].msg))
		{
			TH_LOG("case %zu: \"%s\" lacks \"%s\"", i, err,
			       bad[i].msg);
		}
	}
}

/* The text stats_write() writes for these; the caller frees it. */
static char *render(struct zsv_dev_info *const *devs, size_t ndevs,
		    struct zsv_slice_info *const *slices, size_t nslices)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		return NULL;
	ret = stats_write(f, devs, ndevs, slices, nslices);
	fclose(f);
	if (ret) {
		free(text);
		return NULL;
	}
	return text;
}

static struct zsv_dev_info fake_dev(const char *name, uint32_t id)
{
	struct zsv_dev_info d = {
		.present =
			BIT(ZSV_A_DEV_ID) | BIT(ZSV_A_DEV_NAME) |
			BIT(ZSV_A_DEV_BACKEND) | BIT(ZSV_A_DEV_MEM_TOTAL) |
			BIT(ZSV_A_DEV_MEM_RESERVED) | BIT(ZSV_A_DEV_MEM_USED) |
			BIT(ZSV_A_DEV_ENGINES) | BIT(ZSV_A_DEV_POLICY) |
			BIT(ZSV_A_DEV_TIMESLICE_NS) | BIT(ZSV_A_DEV_PERIOD_NS) |
			BIT(ZSV_A_DEV_SLICE_COUNT) |
			BIT(ZSV_A_DEV_OVERSUB_PCT) | BIT(ZSV_A_DEV_MEM_SHARED) |
			BIT(ZSV_A_DEV_BUSY_NS) | BIT(ZSV_A_DEV_JOBS_COMPLETED),
		.id = id,
		.name = name,
		.backend = "sim",
		.mem_total_bytes = 16 * GiB,
		.mem_reserved_bytes = 4 * GiB,
		.mem_used_bytes = 8388608,
		.engines = 4,
		.policy = ZSV_POLICY_WEIGHTED,
		.timeslice_ns = 2000000,
		.period_ns = 100000000,
		.slice_count = 1,
		.oversub_pct = 150,
		.mem_shared_bytes = 0,
		.busy_ns = 1500000000,
		.jobs_completed = 42,
	};

	return d;
}

static struct zsv_slice_info fake_slice(const char *name, const char *dev)
{
	struct zsv_slice_info s = {
		.present =
			BIT(ZSV_A_SLICE_ID) | BIT(ZSV_A_SLICE_NAME) |
			BIT(ZSV_A_SLICE_DEV_NAME) | BIT(ZSV_A_SLICE_MEM_BYTES) |
			BIT(ZSV_A_SLICE_MEM_MODE) | BIT(ZSV_A_SLICE_WEIGHT) |
			BIT(ZSV_A_SLICE_CAP_PCT) | BIT(ZSV_A_SLICE_CONTEXTS) |
			BIT(ZSV_A_SLICE_MEM_USED) | BIT(ZSV_A_SLICE_MEM_PEAK) |
			BIT(ZSV_A_SLICE_QUOTA_HITS) | BIT(ZSV_A_SLICE_BUSY_NS) |
			BIT(ZSV_A_SLICE_JOBS_SUBMITTED) |
			BIT(ZSV_A_SLICE_JOBS_COMPLETED) |
			BIT(ZSV_A_SLICE_JOBS_FAILED) |
			BIT(ZSV_A_SLICE_THROTTLED_NS) |
			BIT(ZSV_A_SLICE_CTX_SWITCHES) |
			BIT(ZSV_A_SLICE_SHARE_PROMISED_PPM) |
			BIT(ZSV_A_SLICE_SHARE_DELIVERED_PPM),
		.id = 3,
		.name = name,
		.dev_name = dev,
		.mem_bytes = 4 * GiB,
		.mem_mode = ZSV_MEM_MODE_RESERVED,
		.weight = 200,
		.cap_pct = 25,
		.node = "",
		.contexts = 2,
		.mem_used_bytes = 8388608,
		.mem_peak_bytes = 16777216,
		.quota_hits = 1,
		.busy_ns = 250000000,
		.jobs_submitted = 12,
		.jobs_completed = 11,
		.jobs_failed = 1,
		.throttled_ns = 1000,
		.ctx_switches = 7,
		.share_promised_ppm = 250000,
		.share_delivered_ppm = 248123,
	};

	return s;
}

static const char want_full[] =
	"# HELP zsv_device_info Always 1; the labels describe the device.\n"
	"# TYPE zsv_device_info gauge\n"
	"zsv_device_info{device=\"zsv0\",id=\"0\",backend=\"sim\",policy=\"weighted\"} 1\n"
	"# HELP zsv_device_memory_total_bytes Device memory of the device.\n"
	"# TYPE zsv_device_memory_total_bytes gauge\n"
	"zsv_device_memory_total_bytes{device=\"zsv0\"} 17179869184\n"
	"# HELP zsv_device_memory_reserved_bytes Device memory carved out by reserved slices.\n"
	"# TYPE zsv_device_memory_reserved_bytes gauge\n"
	"zsv_device_memory_reserved_bytes{device=\"zsv0\"} 4294967296\n"
	"# HELP zsv_device_memory_shared_bytes Sum of the quotas of the device's shared slices.\n"
	"# TYPE zsv_device_memory_shared_bytes gauge\n"
	"zsv_device_memory_shared_bytes{device=\"zsv0\"} 0\n"
	"# HELP zsv_device_memory_used_bytes Device memory backing live buffer objects, all slices together.\n"
	"# TYPE zsv_device_memory_used_bytes gauge\n"
	"zsv_device_memory_used_bytes{device=\"zsv0\"} 8388608\n"
	"# HELP zsv_device_memory_oversubscription_ratio How far shared quotas may sum past the unreserved memory (1: not at all).\n"
	"# TYPE zsv_device_memory_oversubscription_ratio gauge\n"
	"zsv_device_memory_oversubscription_ratio{device=\"zsv0\"} 1.5\n"
	"# HELP zsv_device_engines Engines of the device that run jobs.\n"
	"# TYPE zsv_device_engines gauge\n"
	"zsv_device_engines{device=\"zsv0\"} 4\n"
	"# HELP zsv_device_timeslice_seconds Scheduling quantum of the device.\n"
	"# TYPE zsv_device_timeslice_seconds gauge\n"
	"zsv_device_timeslice_seconds{device=\"zsv0\"} 0.002\n"
	"# HELP zsv_device_period_seconds Accounting period of the device (shares and caps are per period).\n"
	"# TYPE zsv_device_period_seconds gauge\n"
	"zsv_device_period_seconds{device=\"zsv0\"} 0.1\n"
	"# HELP zsv_device_slices Slices carved from the device.\n"
	"# TYPE zsv_device_slices gauge\n"
	"zsv_device_slices{device=\"zsv0\"} 1\n"
	"# HELP zsv_device_busy_seconds_total Engine time used on the device, summed over its engines.\n"
	"# TYPE zsv_device_busy_seconds_total counter\n"
	"zsv_device_busy_seconds_total{device=\"zsv0\"} 1.5\n"
	"# HELP zsv_device_jobs_completed_total Jobs the device retired, failed ones included.\n"
	"# TYPE zsv_device_jobs_completed_total counter\n"
	"zsv_device_jobs_completed_total{device=\"zsv0\"} 42\n"
	"# HELP zsv_slice_info Always 1; the labels describe the slice.\n"
	"# TYPE zsv_slice_info gauge\n"
	"zsv_slice_info{slice=\"team-a\",device=\"zsv0\",id=\"3\",mem_mode=\"reserved\",mediated=\"false\"} 1\n"
	"# HELP zsv_slice_memory_limit_bytes Size of the slice's memory partition (its quota when shared).\n"
	"# TYPE zsv_slice_memory_limit_bytes gauge\n"
	"zsv_slice_memory_limit_bytes{slice=\"team-a\",device=\"zsv0\"} 4294967296\n"
	"# HELP zsv_slice_memory_used_bytes Memory of the slice's partition backing live buffer objects.\n"
	"# TYPE zsv_slice_memory_used_bytes gauge\n"
	"zsv_slice_memory_used_bytes{slice=\"team-a\",device=\"zsv0\"} 8388608\n"
	"# HELP zsv_slice_memory_peak_bytes Most memory of the slice's partition ever in use at once.\n"
	"# TYPE zsv_slice_memory_peak_bytes gauge\n"
	"zsv_slice_memory_peak_bytes{slice=\"team-a\",device=\"zsv0\"} 16777216\n"
	"# HELP zsv_slice_memory_quota_hits_total Buffer creations refused because the slice's partition was full.\n"
	"# TYPE zsv_slice_memory_quota_hits_total counter\n"
	"zsv_slice_memory_quota_hits_total{slice=\"team-a\",device=\"zsv0\"} 1\n"
	"# HELP zsv_slice_weight Share of engine time the slice gets under contention, relative to the others' weights.\n"
	"# TYPE zsv_slice_weight gauge\n"
	"zsv_slice_weight{slice=\"team-a\",device=\"zsv0\"} 200\n"
	"# HELP zsv_slice_cap_ratio Ceiling on the slice's share of the device's engine time per period.\n"
	"# TYPE zsv_slice_cap_ratio gauge\n"
	"zsv_slice_cap_ratio{slice=\"team-a\",device=\"zsv0\"} 0.25\n"
	"# HELP zsv_slice_contexts Open files of the slice's device node.\n"
	"# TYPE zsv_slice_contexts gauge\n"
	"zsv_slice_contexts{slice=\"team-a\",device=\"zsv0\"} 2\n"
	"# HELP zsv_slice_busy_seconds_total Engine time charged to the slice, all engines together.\n"
	"# TYPE zsv_slice_busy_seconds_total counter\n"
	"zsv_slice_busy_seconds_total{slice=\"team-a\",device=\"zsv0\"} 0.25\n"
	"# HELP zsv_slice_throttled_seconds_total Time the slice's queued work waited because the slice had used its cap.\n"
	"# TYPE zsv_slice_throttled_seconds_total counter\n"
	"zsv_slice_throttled_seconds_total{slice=\"team-a\",device=\"zsv0\"} 0.000001\n"
	"# HELP zsv_slice_share_promised_ratio Share of the device's engine time the policy entitled the slice to over the last period.\n"
	"# TYPE zsv_slice_share_promised_ratio gauge\n"
	"zsv_slice_share_promised_ratio{slice=\"team-a\",device=\"zsv0\"} 0.25\n"
	"# HELP zsv_slice_share_delivered_ratio Share of the device's engine time the slice got over the last period.\n"
	"# TYPE zsv_slice_share_delivered_ratio gauge\n"
	"zsv_slice_share_delivered_ratio{slice=\"team-a\",device=\"zsv0\"} 0.248123\n"
	"# HELP zsv_slice_jobs_submitted_total Jobs queued by the slice's contexts.\n"
	"# TYPE zsv_slice_jobs_submitted_total counter\n"
	"zsv_slice_jobs_submitted_total{slice=\"team-a\",device=\"zsv0\"} 12\n"
	"# HELP zsv_slice_jobs_completed_total Jobs of the slice retired, failed ones included.\n"
	"# TYPE zsv_slice_jobs_completed_total counter\n"
	"zsv_slice_jobs_completed_total{slice=\"team-a\",device=\"zsv0\"} 11\n"
	"# HELP zsv_slice_jobs_failed_total Jobs of the slice retired with an error.\n"
	"# TYPE zsv_slice_jobs_failed_total counter\n"
	"zsv_slice_jobs_failed_total{slice=\"team-a\",device=\"zsv0\"} 1\n"
	"# HELP zsv_slice_context_switches_total Times an engine switched to the slice.\n"
	"# TYPE zsv_slice_context_switches_total counter\n"
	"zsv_slice_context_switches_total{slice=\"team-a\",device=\"zsv0\"} 7\n";

TEST(stats_writes_every_family_in_base_units)
{
	struct zsv_dev_info d = fake_dev("zsv0", 0);
	struct zsv_slice_info s = fake_slice("team-a", "zsv0");
	struct zsv_dev_info *devs[] = { &d };
	struct zsv_slice_info *slices[] = { &s };
	char *text = render(devs, 1, slices, 1);

	ASSERT_NE(NULL, text);
	EXPECT_STREQ(want_full, text);
	free(text);
}

TEST(stats_writes_nothing_for_nothing)
{
	char *text = render(NULL, 0, NULL, 0);

	ASSERT_NE(NULL, text);
	EXPECT_STREQ("", text);
	free(text);
}

/* A family has each series once, all together, under one HELP and TYPE. */
TEST(stats_groups_samples_by_family)
{
	struct zsv_dev_info d0 = fake_dev("zsv0", 0), d1 = fake_dev("zsv1", 1);
	struct zsv_slice_info a = fake_slice("a", "zsv0");
	struct zsv_slice_info b = fake_slice("b", "zsv1");
	struct zsv_dev_info *devs[] = { &d0, &d1 };
	struct zsv_slice_info *slices[] = { &a, &b };
	char *text = render(devs, 2, slices, 2);
	const char *p;

	ASSERT_NE(NULL, text);
	p = strstr(text, "# TYPE zsv_slice_memory_used_bytes gauge\n");
	ASSERT_NE(NULL, p);
	EXPECT_EQ(
		p + strlen("# TYPE zsv_slice_memory_used_bytes gauge\n"),
		strstr(text,
		       "zsv_slice_memory_used_bytes{slice=\"a\",device=\"zsv0\"} 8388608\n"
		       "zsv_slice_memory_used_bytes{slice=\"b\",device=\"zsv1\"} 8388608\n"));
	p = strstr(text, "# TYPE zsv_device_engines gauge\n");
	ASSERT_NE(NULL, p);
	EXPECT_NE(NULL, strstr(p, "zsv_device_engines{device=\"zsv0\"} 4\n"
				  "zsv_device_engines{device=\"zsv1\"} 4\n"));
	free(text);
}

/* An attribute the kernel did not report has no sample, not a 0. */
TEST(stats_leaves_out_what_the_kernel_did_not_report)
{
	struct zsv_dev_info d = fake_dev("zsv0", 0);
	struct zsv_slice_info s = fake_slice("a", "zsv0");
	struct zsv_slice_info old = fake_slice("b", "zsv0");
	struct zsv_dev_info *devs[] = { &d };
	struct zsv_slice_info *slices[] = { &s, &old };
	char *text;

	d.present &= ~BIT(ZSV_A_DEV_BUSY_NS);
	old.present &= ~(BIT(ZSV_A_SLICE_SHARE_PROMISED_PPM) |
			 BIT(ZSV_A_SLICE_MEM_MODE));
	text = render(devs, 1, slices, 2);
	ASSERT_NE(NULL, text);
	EXPECT_EQ(NULL, strstr(text, "zsv_device_busy_seconds_total"));
	EXPECT_NE(NULL,
		  strstr(text, "zsv_slice_share_promised_ratio{slice=\"a\""));
	EXPECT_EQ(NULL,
		  strstr(text, "zsv_slice_share_promised_ratio{slice=\"b\""));
	EXPECT_NE(NULL,
		  strstr(text, "zsv_slice_share_delivered_ratio{slice=\"b\""));
	EXPECT_NE(
		NULL,
		strstr(text,
		       "zsv_slice_info{slice=\"b\",device=\"zsv0\",id=\"3\",mediated=\"false\"} 1\n"));
	free(text);
}

TEST(stats_info_names_unknown_modes_by_number_and_mediated_slices)
{
	struct zsv_dev_info d = fake_dev("zsv0", 0);
	struct zsv_slice_info s = fake_slice("m", "zsv0");
	struct zsv_dev_info *devs[] = { &d };
	struct zsv_slice_info *slices[] = { &s };
	char *text;

	d.policy = 77;
	s.mem_mode = 9;
	s.mediated = 1;
	text = render(devs, 1, slices, 1);
	ASSERT_NE(NULL, text);
	EXPECT_NE(
		NULL,
		strstr(text,
		       "zsv_device_info{device=\"zsv0\",id=\"0\",backend=\"sim\",policy=\"77\"} 1\n"));
	EXPECT_NE(
		NULL,
		strstr(text,
		       "zsv_slice_info{slice=\"m\",device=\"zsv0\",id=\"3\",mem_mode=\"9\",mediated=\"true\"} 1\n"));
	free(text);
}

TEST(stats_escapes_label_values)
{
	struct zsv_slice_info s = fake_slice("a\\b\"c\nd", "zsv0");
	struct zsv_slice_info *slices[] = { &s };
	char *text = render(NULL, 0, slices, 1);

	ASSERT_NE(NULL, text);
	EXPECT_NE(
		NULL,
		strstr(text,
		       "zsv_slice_weight{slice=\"a\\\\b\\\"c\\nd\",device=\"zsv0\"} 200\n"));
	free(text);
}

TEST(stats_writes_extreme_values_exactly)
{
	struct zsv_slice_info s = fake_slice("a", "zsv0");
	struct zsv_slice_info *slices[] = { &s };
	char *text;

	s.busy_ns = UINT64_MAX;
	s.throttled_ns = 0;
	s.share_delivered_ppm = 1000000;
	s.share_promised_ppm = 1;
	s.mem_used_bytes = UINT64_MAX;
	text = render(NULL, 0, slices, 1);
	ASSERT_NE(NULL, text);
	EXPECT_NE(
		NULL,
		strstr(text,
		       "zsv_slice_busy_seconds_total{slice=\"a\",device=\"zsv0\"} 18446744073.709551615\n"));
	EXPECT_NE(
		NULL,
		strstr(text,
		       "zsv_slice_throttled_seconds_total{slice=\"a\",device=\"zsv0\"} 0\n"));
	EXPECT_NE(
		NULL,
		strstr(text,
		       "zsv_slice_share_delivered_ratio{slice=\"a\",device=\"zsv0\"} 1\n"));
	EXPECT_NE(
		NULL,
		strstr(text,
		       "zsv_slice_share_promised_ratio{slice=\"a\",device=\"zsv0\"} 0.000001\n"));
	EXPECT_NE(
		NULL,
		strstr(text,
		       "zsv_slice_memory_used_bytes{slice=\"a\",device=\"zsv0\"} 18446744073709551615\n"));
	free(text);
}

/* Debian's promtool, when installed, finds nothing to say. */
TEST(stats_passes_promtool_check_metrics)
{
	struct zsv_dev_info d0 = fake_dev("zsv0", 0), d1 = fake_dev("zsv1", 1);
	struct zsv_slice_info a = fake_slice("a", "zsv0");
	struct zsv_slice_info b = fake_slice("b\"x", "zsv1");
	struct zsv_dev_info *devs[] = { &d0, &d1 };
	struct zsv_slice_info *slices[] = { &a, &b };
	char *text = render(devs, 2, slices, 2);
	FILE *p;
	int status;

	ASSERT_NE(NULL, text);
	if (access("/usr/bin/promtool", X_OK)) {
		free(text);
		SKIP(return, "promtool is not installed");
	}
	/* promtool reads the metrics on stdin and says what it finds. */
	p = popen(
		"f=$(mktemp) && cat >\"$f\" && /usr/bin/promtool check metrics <\"$f\" 2>&1; s=$?; rm -f \"$f\"; exit $s",
		"w");
	ASSERT_NE(NULL, p);
	fputs(text, p);
	free(text);
	status = pclose(p);
	EXPECT_EQ(0, status);
}

/* ------------------------------------------------------------------ */
/* Tenants */

static char *render_tenants(struct zsv_tenant_info *const *tenants, size_t n)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		return NULL;
	ret = stats_write_tenants(f, tenants, n);
	fclose(f);
	if (ret) {
		free(text);
		return NULL;
	}
	return text;
}

static struct zsv_tenant_info fake_tenant(const char *name, uint32_t id)
{
	struct zsv_tenant_info t = {
		.present = ~0ULL,
		.id = id,
		.name = name,
		.mem_max_bytes = 64 * GiB,
		.slices_max = 8,
		.compute_max = 450,
		.mem_bytes = 3 * GiB,
		.slices = 2,
		.compute = 125,
		.mem_used_bytes = 4096,
		.busy_ns = 1500000000,
		.quota_hits = 3,
		.weight = ZSV_WEIGHT_DEFAULT,
	};

	return t;
}

TEST(stats_writes_every_tenant_family_in_base_units)
{
	struct zsv_tenant_info a = fake_tenant("acme", 0);
	struct zsv_tenant_info b = fake_tenant("free", 1);
	struct zsv_tenant_info *tenants[] = { &a, &b };
	char *text;

	/* No limit is no sample, not a huge number. */
	b.mem_max_bytes = ZSV_LIMIT_NONE;
	b.slices_max = ZSV_LIMIT_NONE;
	b.compute_max = ZSV_LIMIT_NONE;
	/* A weight always has a sample. */
	b.weight = 2500;
	text = render_tenants(tenants, 2);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ(
		"# HELP zsv_tenant_info Always 1; the labels describe the tenant.\n"
		"# TYPE zsv_tenant_info gauge\n"
		"zsv_tenant_info{tenant=\"acme\",id=\"0\"} 1\n"
		"zsv_tenant_info{tenant=\"free\",id=\"1\"} 1\n"
		"# HELP zsv_tenant_memory_limit_bytes Most memory the tenant's slices' partitions may sum to; no sample when unlimited.\n"
		"# TYPE zsv_tenant_memory_limit_bytes gauge\n"
		"zsv_tenant_memory_limit_bytes{tenant=\"acme\"} 68719476736\n"
		"# HELP zsv_tenant_slices_limit Most slices the tenant may have; no sample when unlimited.\n"
		"# TYPE zsv_tenant_slices_limit gauge\n"
		"zsv_tenant_slices_limit{tenant=\"acme\"} 8\n"
		"# HELP zsv_tenant_compute_limit_engines Most compute the tenant's slices may sum to (caps times engines), in whole engines; no sample when unlimited.\n"
		"# TYPE zsv_tenant_compute_limit_engines gauge\n"
		"zsv_tenant_compute_limit_engines{tenant=\"acme\"} 4.5\n"
		"# HELP zsv_tenant_weight Share of a device's engine time the tenant's busy slices get under the weighted policy, relative to the other busy tenants' weights.\n"
		"# TYPE zsv_tenant_weight gauge\n"
		"zsv_tenant_weight{tenant=\"acme\"} 100\n"
		"zsv_tenant_weight{tenant=\"free\"} 2500\n"
		"# HELP zsv_tenant_memory_bytes Size of the tenant's slices' partitions, summed (reserved sizes and shared quotas).\n"
		"# TYPE zsv_tenant_memory_bytes gauge\n"
		"zsv_tenant_memory_bytes{tenant=\"acme\"} 3221225472\n"
		"zsv_tenant_memory_bytes{tenant=\"free\"} 3221225472\n"
		"# HELP zsv_tenant_slices Slices of the tenant.\n"
		"# TYPE zsv_tenant_slices gauge\n"
		"zsv_tenant_slices{tenant=\"acme\"} 2\n"
		"zsv_tenant_slices{tenant=\"free\"} 2\n"
		"# HELP zsv_tenant_compute_engines Compute of the tenant's slices (caps times engines), in whole engines.\n"
		"# TYPE zsv_tenant_compute_engines gauge\n"
		"zsv_tenant_compute_engines{tenant=\"acme\"} 1.25\n"
		"zsv_tenant_compute_engines{tenant=\"free\"} 1.25\n"
		"# HELP zsv_tenant_memory_used_bytes Memory backing the live buffer objects of the tenant's slices.\n"
		"# TYPE zsv_tenant_memory_used_bytes gauge\n"
		"zsv_tenant_memory_used_bytes{tenant=\"acme\"} 4096\n"
		"zsv_tenant_memory_used_bytes{tenant=\"free\"} 4096\n"
		"# HELP zsv_tenant_busy_seconds Engine time charged to the tenant's live slices; drops when a slice goes.\n"
		"# TYPE zsv_tenant_busy_seconds gauge\n"
		"zsv_tenant_busy_seconds{tenant=\"acme\"} 1.5\n"
		"zsv_tenant_busy_seconds{tenant=\"free\"} 1.5\n"
		"# HELP zsv_tenant_quota_hits_total Slice admissions (creations, growth, moves) refused by the tenant's limits.\n"
		"# TYPE zsv_tenant_quota_hits_total counter\n"
		"zsv_tenant_quota_hits_total{tenant=\"acme\"} 3\n"
		"zsv_tenant_quota_hits_total{tenant=\"free\"} 3\n",
		text);
	free(text);
}

/* Also the weight of a kernel that does not report one. */
TEST(stats_leaves_out_unlimited_limits_and_unreported_usage)
{
	struct zsv_tenant_info a = fake_tenant("a", 0);
	struct zsv_tenant_info *tenants[] = { &a };
	char *text;

	/* Nothing at all: nothing written. */
	text = render_tenants(tenants, 0);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("", text);
	free(text);
	a.mem_max_bytes = ZSV_LIMIT_NONE;
	a.slices_max = ZSV_LIMIT_NONE;
	a.compute_max = ZSV_LIMIT_NONE;
	a.present = BIT(ZSV_A_TENANT_ID) | BIT(ZSV_A_TENANT_NAME) |
		    BIT(ZSV_A_TENANT_SLICES);
	text = render_tenants(tenants, 1);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("# HELP zsv_tenant_info Always 1; the labels describe the tenant.\n"
		     "# TYPE zsv_tenant_info gauge\n"
		     "zsv_tenant_info{tenant=\"a\",id=\"0\"} 1\n"
		     "# HELP zsv_tenant_slices Slices of the tenant.\n"
		     "# TYPE zsv_tenant_slices gauge\n"
		     "zsv_tenant_slices{tenant=\"a\"} 2\n",
		     text);
	free(text);
}

TEST(stats_tenants_pass_promtool_check_metrics)
{
	struct zsv_tenant_info a = fake_tenant("acme", 0);
	struct zsv_tenant_info b = fake_tenant("b\"x", 1);
	struct zsv_tenant_info *tenants[] = { &a, &b };
	char *text = render_tenants(tenants, 2);
	FILE *p;

	ASSERT_NE(NULL, text);
	if (access("/usr/bin/promtool", X_OK)) {
		free(text);
		SKIP(return, "promtool is not installed");
	}
	p = popen(
		"f=$(mktemp) && cat >\"$f\" && /usr/bin/promtool check metrics <\"$f\" 2>&1; s=$?; rm -f \"$f\"; exit $s",
		"w");
	ASSERT_NE(NULL, p);
	fputs(text, p);
	free(text);
	EXPECT_EQ(0, pclose(p));
}

TEST(stats_textfile_replaces_the_file_and_leaves_nothing_else)
{
	char dir[] = "/tmp/zsv-stats-XXXXXX", path[64], buf[64];
	struct dirent *e;
	struct stat st;
	size_t entries = 0;
	FILE *f;
	DIR *d;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/zsv.prom", dir);
	ASSERT_EQ(0, stats_textfile_write(dir, "a 1\n", 4));
	ASSERT_EQ(0, stats_textfile_write(dir, "b 2\n", 4));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0644, st.st_mode & 07777);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	EXPECT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	EXPECT_STREQ("b 2\n", buf);
	d = opendir(dir);
	ASSERT_NE(NULL, d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			entries++;
	closedir(d);
	EXPECT_EQ(1, entries);
	unlink(path);
	EXPECT_EQ(-ENOENT, stats_textfile_write("/nonexistent-zsv-dir", "", 0));
	rmdir(dir);
}

TEST_HARNESS_MAIN
