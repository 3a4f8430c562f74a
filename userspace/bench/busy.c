// SPDX-License-Identifier: GPL-2.0-only
/*
 * Samples of slices' busy_ns, as the kernel counts them: one slice dump
 * of a pdev, the figures of the slices asked for and when they were
 * read.  A slice's delivered share between two samples is
 *   delta busy_ns / (engines x delta wall time).
 * share.c and vfio.c measure shares with these.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* Retries of a slice dump the kernel flagged as inconsistent. */
#define BUSY_DUMP_RETRIES 5

int busy_sample_alloc(struct busy_sample *smp, size_t n)
{
	memset(smp, 0, sizeof(*smp));
	smp->busy_ns = calloc(n, sizeof(*smp->busy_ns));
	smp->promised_ppm = calloc(n, sizeof(*smp->promised_ppm));
	smp->delivered_ppm = calloc(n, sizeof(*smp->delivered_ppm));
	if (!smp->busy_ns || !smp->promised_ppm || !smp->delivered_ppm) {
		busy_sample_free(smp);
		return -ENOMEM;
	}
	return 0;
}

void busy_sample_free(struct busy_sample *smp)
{
	free(smp->busy_ns);
	free(smp->promised_ppm);
	free(smp->delivered_ppm);
	memset(smp, 0, sizeof(*smp));
}

struct busy_dump {
	const uint32_t *ids;
	size_t n;
	size_t hint;
	struct busy_sample *smp;
	bool missing_busy;
	bool kernel_shares;
};

static int busy_one(const struct zsv_slice_info *slice, void *arg)
{
	struct busy_dump *d = arg;
	size_t i = 0, k;

	/* The dump comes in id order, the ids mostly too: try next. */
	for (k = 0; k < d->n; k++) {
		i = (d->hint + k) % d->n;
		if (d->ids[i] == slice->id)
			break;
	}
	if (k == d->n)
		return 0;
	d->hint = i + 1;
	if (!zsv_slice_has(slice, ZSV_A_SLICE_BUSY_NS))
		d->missing_busy = true;
	if (zsv_slice_has(slice, ZSV_A_SLICE_SHARE_PROMISED_PPM))
		d->kernel_shares = true;
	d->smp->busy_ns[i] = slice->busy_ns;
	d->smp->promised_ppm[i] = slice->share_promised_ppm;
	d->smp->delivered_ppm[i] = slice->share_delivered_ppm;
	return 0;
}

int busy_sample_take(struct bench *b, const char *dev, const uint32_t *ids,
		     size_t n, struct busy_sample *smp, bool *kernel_shares)
{
	struct busy_dump d = { .ids = ids, .n = n, .smp = smp };
	uint64_t t0, t1;
	int err, tries = 0;

	do {
		t0 = bench_now_ns();
		err = zsv_slice_dump(b->zh, dev, busy_one, &d);
		t1 = bench_now_ns();
	} while (err == -EAGAIN && ++tries < BUSY_DUMP_RETRIES);
	if (err)
		return bench_fail(b, err, "slice dump of %s", dev);
	if (d.missing_busy) {
		fputs("zsv-bench: the kernel does not report busy_ns for slices\n",
		      stderr);
		return BENCH_EXIT_FAIL;
	}
	if (d.kernel_shares && kernel_shares)
		*kernel_shares = true;
	/* The slices were read somewhere in between. */
	smp->t_ns = t0 + (t1 - t0) / 2;
	smp->span_ns = t1 - t0;
	return BENCH_EXIT_OK;
}

double busy_share(const struct busy_sample *a, const struct busy_sample *b,
		  size_t i, uint32_t engines)
{
	uint64_t wall = b->t_ns - a->t_ns;
	uint64_t used = b->busy_ns[i] >= a->busy_ns[i] ?
				b->busy_ns[i] - a->busy_ns[i] :
				0;

	return wall ? (double)used / ((double)engines * wall) : 0;
}
