// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: zsv_pci
 *
 * zsv_pci is the zsv backend for the virtual PCI accelerator that zsv_mdev
 * gives to VMs (Documentation/vfio.rst is its data sheet): loaded in the
 * guest next to zsv.ko, it registers one pdev per device, whose memory is
 * the host slice's partition (MEM_SIZE) and whose engine time the host
 * schedules, so that the guest's tenants use the same /dev/zsv API.
 *
 * Where the data lives. The core backs a buffer object with pages of
 * guest RAM (zsv_bo_page()), which its tenants mmap; the device computes
 * only on BAR2. The pdev's memory is therefore the partition as a quota:
 * the guest can never hold more BO bytes than the host gave the slice.
 * The first engines x ZSV_PCI_WINDOW bytes of BAR2 are the driver's
 * staging windows, one per engine, and every command streams through its
 * engine's window in rounds of at most ZSV_PCI_CHUNK bytes:
 *
 *   FILL      FILL the window; DMA_WRITE it to the destination pages
 *   COPY      DMA_READ the source pages into the window; DMA_WRITE it out
 *   CHECKSUM  DMA_READ the source pages into the window; CHECKSUM it into
 *             the window's last page; the driver reads that CRC and folds
 *             it into the running one (crc32_le_shift()), and stores the
 *             result in the destination BO when the last round is in
 *   COMPUTE   one COMPUTE entry for what is left of the budget
 *
 * Each DMA entry covers one piece of one guest page (the pages of a BO
 * are not contiguous), with the page mapped by the DMA API for the round.
 * A round is at most ZSV_PCI_ROUND_MAX entries, and an engine has at most
 * one round on the ring, so up to ZSV_RING_ENTRIES / ZSV_PCI_ROUND_MAX
 * engines never overflow the ring; the pdev has that many engines at most.
 *
 * Engines and rounds. The core's run() (atomic: under its scheduler lock,
 * with interrupts off, maybe in hard IRQ) only records the job and queues
 * the engine's work item. The work item
 * maps the pages, writes the round's entries and rings the doorbell. The
 * device completes entries in order and raises an interrupt; the hard
 * handler acknowledges it, and the threaded handler (process context)
 * walks RING_DONE, ends each finished round (unmaps, advances the job) and
 * either starts the engine's next round or, when the job is finished,
 * failed, cancelled or out of budget, calls zsv_engine_done().
 *
 * When the device goes away. A round on the ring ends when the device says
 * so, or when the driver gives up on it: its job then fails and the engine
 * goes back to the core. The driver gives up on every round on the ring
 *
 *  - when the device has vanished (a surprise removal: its registers read
 *    all ones): -ENODEV, and nothing more is submitted;
 *  - when the ring was reset beneath the driver (by the host, or by anyone
 *    with access to BAR0): RING_DONE or RING_TAIL no longer match what was
 *    given, which the IRQ thread sees at the next interrupt and a watchdog
 *    within a second while rounds are outstanding. Its rounds fail with
 *    -EIO, the driver resets the ring to a known state and goes on
 *    (debugfs zsv_pci/<device>/reset_device makes such a reset, for tests);
 *  - in remove(): rounds still on the ring after a grace period (or at once
 *    if the device has vanished) fail with -ENODEV after the device has
 *    been reset and its interrupt disabled, so that no completion races.
 *
 * Then zsv_pdev_unregister() revokes the pdev's slices (their contexts get
 * -ENODEV, their mappings show a dummy page) and returns once the core has
 * every engine back.
 */
#include <linux/bits.h>
#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <uapi/linux/zsv.h>

#include "../compat.h"
#include "../zsv_backend.h"

#define ZSV_PCI_NAME		"zsv_pci"
#define ZSV_PCI_MAJOR		1
/* Bytes of a command one round moves: any such range spans <= 4 pages. */
#define ZSV_PCI_CHUNK		(3 * PAGE_SIZE)
/* An engine's staging window: a chunk, then a page for the CRC. */
#define ZSV_PCI_WINDOW		(4 * PAGE_SIZE)
#define ZSV_PCI_CRC_OFF		ZSV_PCI_CHUNK
/* Entries of a round: a COPY's 4 DMA_READs and 4 DMA_WRITEs at most. */
#define ZSV_PCI_ROUND_MAX	8
#define ZSV_PCI_ENGINES_MAX	(ZSV_RING_ENTRIES / ZSV_PCI_ROUND_MAX)
#define ZSV_PCI_NO_ENGINE	0xff
/* How long remove() lets rounds on the ring end before giving up on them. */
#define ZSV_PCI_DRAIN_MS	500

/* A ring entry as the device reads it: little endian. */
struct zsv_pci_entry {
	__le32 op;
	__le32 flags;
	__le64 dst;
	__le64 src;
	__le64 length;
	__le64 arg;
	__le32 status;
	__le32 pad;
	__le64 reserved[2];
};

/**
 * struct zsv_pci_engine - one engine of the device, as the guest drives it
 * @zp: its device
 * @index: its number
 * @window: BAR2 offset of its staging window
 * @exec: the job, from run() to zsv_engine_done()
 * @deadline_ns: when the job's budget runs out
 * @rounds: rounds run since run()
 * @work: starts the first round of a job
 * @nr_ent: entries of the round being built
 * @ent: the round's entries
 * @nr_maps: pages mapped for the round
 * @map: their DMA addresses
 * @dir: their directions
 * @round_len: bytes (or COMPUTE nanoseconds) of the command the round does
 * @round_err: negative errno of the round's first failed entry, or 0
 *
 * Lifetime and ownership: every field from @exec on belongs to one context
 * at a time. run() sets @exec, @deadline_ns and @rounds and queues @work;
 * the work item owns the engine until it rings the doorbell for its round,
 * after which it touches nothing; from then the threaded IRQ handler owns
 * it: it ends the round and starts the next (ringing the doorbell again)
 * or calls zsv_engine_done(), after which the engine is the core's until
 * its next run(). So no lock is needed for them.
 */
struct zsv_pci_engine {
	struct zsv_pci *zp;
	unsigned int index;
	u64 window;
	struct zsv_job_exec *exec;
	u64 deadline_ns;
	unsigned int rounds;
	struct work_struct work;
	unsigned int nr_ent;
	struct zsv_pci_entry ent[ZSV_PCI_ROUND_MAX];
	unsigned int nr_maps;
	dma_addr_t map[ZSV_PCI_ROUND_MAX];
	enum dma_data_direction dir[ZSV_PCI_ROUND_MAX];
	u64 round_len;
	int round_err;
};

/**
 * struct zsv_pci - one virtual accelerator
 * @pci: the PCI function
 * @regs: BAR0 (registers and ring), devres-mapped
 * @win: the staging windows at the start of BAR2, devres-mapped
 * @zpdev: its pdev; NULL until registered
 * @irq: its interrupt
 * @ring_lock: serializes the ring: @tail, @done, @owner, @last, @gone,
 *	@lost and the writes of entries and of RING_TAIL. Taken in process
 *	context only (the engines' work items, the threaded IRQ handler, the
 *	watchdog and remove()), never nested with the core's locks:
 *	zsv_engine_done() is called after dropping it.
 * @tail: entries given (RING_TAIL as last written)
 * @done: entries seen complete
 * @owner: for each slot given and not seen complete, its engine
 * @last: for each such slot, whether it ends its engine's round
 * @gone: remove() has begun: nothing more is submitted
 * @lost: the device has vanished: nothing more is submitted
 * @watchdog: while rounds are on the ring, checks every second that the
 *	device has not been reset or taken away beneath the driver
 * @debugfs: its directory in debugfs, removed first by remove()
 * @nr_engines: entries in @engine
 * @engine: the engines
 *
 * Allocated with devm_kzalloc(): it lives from probe until the driver is
 * unbound, after remove() has unregistered the pdev (the core hands every
 * engine back first) and cancelled the work items and the watchdog, and
 * before devres
 * frees the IRQ and then the vectors (registered in that order).
 */
struct zsv_pci {
	struct pci_dev *pci;
	void __iomem *regs;
	void __iomem *win;
	struct zsv_pdev *zpdev;
	int irq;
	spinlock_t ring_lock; /* see above */
	u32 tail;
	u32 done;
	u8 owner[ZSV_RING_ENTRIES];
	bool last[ZSV_RING_ENTRIES];
	bool gone;
	bool lost;
	struct delayed_work watchdog;
	struct dentry *debugfs;
	unsigned int nr_engines;
	struct zsv_pci_engine engine[] __counted_by(nr_engines);
};

static void zsv_pci_run(struct zsv_pdev *pdev, unsigned int engine,
			struct zsv_job_exec *exec, u64 budget_ns);

static const struct zsv_backend_ops zsv_pci_ops = {
	.run = zsv_pci_run,
};

static struct zsv_backend zsv_pci_backend = {
	.name = "pci",
	.owner = THIS_MODULE,
	.ops = &zsv_pci_ops,
};

static void __iomem *zsv_pci_slot(struct zsv_pci *zp, u32 n)
{
	return zp->regs + ZSV_RING_OFFSET +
	       (n % ZSV_RING_ENTRIES) * sizeof(struct zsv_pci_entry);
}

static void zsv_pci_add(struct zsv_pci_engine *e, u32 op, u64 dst, u64 src,
			u64 length, u64 arg)
{
	struct zsv_pci_entry *ent = &e->ent[e->nr_ent++];

	memset(ent, 0, sizeof(*ent));
	ent->op = cpu_to_le32(op);
	ent->dst = cpu_to_le64(dst);
	ent->src = cpu_to_le64(src);
	ent->length = cpu_to_le64(length);
	ent->arg = cpu_to_le64(arg);
}

/*
 * Map the page of @bo holding byte @off for a DMA in direction @dir, or
 * the zero page for an unbacked source page. Return: the bus address of
 * byte @off, or 0 with the round's error set.
 */
static dma_addr_t zsv_pci_map(struct zsv_pci_engine *e, struct zsv_bo *bo,
			      u64 off, enum dma_data_direction dir)
{
	struct device *dev = &e->zp->pci->dev;
	struct page *page;
	dma_addr_t addr;

	if (dir == DMA_TO_DEVICE)
		page = zsv_bo_peek_page(bo, off >> PAGE_SHIFT) ?: ZERO_PAGE(0);
	else
		page = zsv_bo_page(bo, off >> PAGE_SHIFT);
	if (!page) {
		e->round_err = -ENOMEM;
		return 0;
	}
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, dir);
	if (dma_mapping_error(dev, addr)) {
		e->round_err = -ENOMEM;
		return 0;
	}
	e->map[e->nr_maps] = addr;
	e->dir[e->nr_maps++] = dir;
	return addr + offset_in_page(off);
}

static void zsv_pci_unmap(struct zsv_pci_engine *e)
{
	struct device *dev = &e->zp->pci->dev;

	while (e->nr_maps) {
		e->nr_maps--;
		dma_unmap_page(dev, e->map[e->nr_maps], PAGE_SIZE,
			       e->dir[e->nr_maps]);
	}
}

/*
 * Add the DMA entries moving @len bytes between @bo from @off and the
 * window from @woff, one per guest page touched (at most 4).
 */
static void zsv_pci_add_dma(struct zsv_pci_engine *e, struct zsv_bo *bo,
			    u64 off, u64 woff, u64 len, bool to_device)
{
	while (len && !e->round_err) {
		u64 n = min_t(u64, len, PAGE_SIZE - offset_in_page(off));
		dma_addr_t addr;

		addr = zsv_pci_map(e, bo, off, to_device ? DMA_TO_DEVICE :
						      DMA_FROM_DEVICE);
		if (e->round_err)
			return;
		if (to_device)
			zsv_pci_add(e, ZSV_RING_OP_DMA_READ, e->window + woff,
				    addr, n, 0);
		else
			zsv_pci_add(e, ZSV_RING_OP_DMA_WRITE, addr,
				    e->window + woff, n, 0);
		off += n;
		woff += n;
		len -= n;
	}
}

/* Build the entries of the next round of the current command. */
static void zsv_pci_build(struct zsv_pci_engine *e)
{
	struct zsv_job_exec *exec = e->exec;
	const struct zsv_cmd *cmd = &exec->cmds[exec->cmd];
	u64 len = min_t(u64, cmd->length - exec->done, ZSV_PCI_CHUNK);
	u64 now, left;

	e->nr_ent = 0;
	e->nr_maps = 0;
	e->round_err = 0;
	e->round_len = len;

	switch (cmd->op) {
	case ZSV_OP_COMPUTE:
		now = ktime_get_ns();
		left = e->deadline_ns > now ? e->deadline_ns - now : 1;
		e->round_len = min(cmd->arg - exec->done, left);
		zsv_pci_add(e, ZSV_RING_OP_COMPUTE, 0, 0, 0, e->round_len);
		break;
	case ZSV_OP_FILL:
		/* Offsets and lengths are multiples of 4, and so is a chunk. */
		zsv_pci_add(e, ZSV_RING_OP_FILL, e->window, 0, len,
			    (u32)cmd->arg);
		zsv_pci_add_dma(e, cmd->dst, cmd->dst_offset + exec->done, 0,
				len, false);
		break;
	case ZSV_OP_COPY:
		zsv_pci_add_dma(e, cmd->src, cmd->src_offset + exec->done, 0,
				len, true);
		zsv_pci_add_dma(e, cmd->dst, cmd->dst_offset + exec->done, 0,
				len, false);
		break;
	case ZSV_OP_CHECKSUM:
		zsv_pci_add_dma(e, cmd->src, cmd->src_offset + exec->done, 0,
				len, true);
		zsv_pci_add(e, ZSV_RING_OP_CHECKSUM,
			    e->window + ZSV_PCI_CRC_OFF, e->window, len, 0);
		break;
	default:
		e->round_err = -EINVAL;
		break;
	}
}

/*
 * Write the round's entries and ring the doorbell. The engine is the IRQ
 * thread's as soon as the lock is dropped: touch nothing of it after.
 * Return: 0, or -ENODEV (nothing written) once the device is going away.
 */
static int zsv_pci_submit(struct zsv_pci_engine *e)
{
	struct zsv_pci *zp = e->zp;
	unsigned int i;

	spin_lock(&zp->ring_lock);
	if (zp->gone || zp->lost) {
		spin_unlock(&zp->ring_lock);
		return -ENODEV;
	}
	for (i = 0; i < e->nr_ent; i++) {
		u32 slot = (zp->tail + i) % ZSV_RING_ENTRIES;

		zp->owner[slot] = e->index;
		zp->last[slot] = i == e->nr_ent - 1;
		memcpy_toio(zsv_pci_slot(zp, zp->tail + i), &e->ent[i],
			    sizeof(e->ent[i]));
	}
	zp->tail += e->nr_ent;
	/* writel() orders the entries' writes before the doorbell. */
	writel(zp->tail, zp->regs + ZSV_REG_RING_TAIL);
	queue_delayed_work(system_wq, &zp->watchdog, HZ);
	spin_unlock(&zp->ring_lock);
	return 0;
}

/*
 * Start the engine's next round, or hand the engine back: the job is
 * finished, failed, cancelled, or out of budget (after its first round).
 */
static void zsv_pci_next(struct zsv_pci_engine *e)
{
	struct zsv_job_exec *exec = e->exec;

	if (!exec->error && (READ_ONCE(e->zp->gone) || READ_ONCE(e->zp->lost)))
		exec->error = -ENODEV;
	if (exec->cmd >= exec->ncmds || exec->error ||
	    READ_ONCE(exec->cancel) ||
	    (e->rounds && ktime_get_ns() >= e->deadline_ns)) {
		zsv_engine_done(e->zp->zpdev, e->index);
		return;
	}
	zsv_pci_build(e);
	if (e->round_err) {
		zsv_pci_unmap(e);
		exec->error = e->round_err;
		zsv_engine_done(e->zp->zpdev, e->index);
		return;
	}
	e->rounds++;
	exec->error = zsv_pci_submit(e);
	if (exec->error) {
		zsv_pci_unmap(e);
		zsv_engine_done(e->zp->zpdev, e->index);
	}
}

/* Store a CHECKSUM's result, a little-endian u32, in its destination. */
static int zsv_pci_store_crc(const struct zsv_cmd *cmd, u32 crc)
{
	__le32 result = cpu_to_le32(crc);
	struct page *page;
	void *addr;

	page = zsv_bo_page(cmd->dst, cmd->dst_offset >> PAGE_SHIFT);
	if (!page)
		return -ENOMEM;
	addr = kmap_local_page(page);
	memcpy(addr + offset_in_page(cmd->dst_offset), &result,
	       sizeof(result));
	kunmap_local(addr);
	return 0;
}

/* The engine's round has completed: advance its job. */
static void zsv_pci_round_end(struct zsv_pci_engine *e)
{
	struct zsv_job_exec *exec = e->exec;
	const struct zsv_cmd *cmd = &exec->cmds[exec->cmd];
	u64 total = cmd->op == ZSV_OP_COMPUTE ? cmd->arg : cmd->length;
	u32 chunk;

	zsv_pci_unmap(e);
	if (e->round_err) {
		exec->error = e->round_err;
		return;
	}
	if (cmd->op == ZSV_OP_CHECKSUM) {
		/*
		 * The device's CRC of this chunk alone, folded into the
		 * running state: crc(s, B) = shift(s ^ ~0, |B|) ^ ~crc(B).
		 */
		if (!exec->done)
			exec->crc = ~0U;
		chunk = readl(e->zp->win + e->window + ZSV_PCI_CRC_OFF);
		exec->crc = crc32_le_shift(exec->crc ^ ~0U, e->round_len) ^
			    ~chunk;
	}
	exec->done += e->round_len;
	if (exec->done < total)
		return;
	if (cmd->op == ZSV_OP_CHECKSUM) {
		exec->error = zsv_pci_store_crc(cmd, ~exec->crc);
		if (exec->error)
			return;
	}
	exec->cmd++;
	exec->done = 0;
}

static void zsv_pci_engine_work(struct work_struct *work)
{
	zsv_pci_next(container_of(work, struct zsv_pci_engine, work));
}

/* Called under the core's scheduler lock, maybe in hard IRQ: only queue. */
static void zsv_pci_run(struct zsv_pdev *pdev, unsigned int engine,
			struct zsv_job_exec *exec, u64 budget_ns)
{
	struct zsv_pci *zp = zsv_pdev_priv(pdev);
	struct zsv_pci_engine *e = &zp->engine[engine];

	e->exec = exec;
	e->deadline_ns = ktime_get_ns() + budget_ns;
	e->rounds = 0;
	queue_work(system_highpri_wq, &e->work);
}

/*
 * Hard IRQ: acknowledge the causes (which lowers INTx) and wake the
 * thread. A shared INTx line that is not ours reads 0; a device that has
 * gone away reads all ones.
 */
static irqreturn_t zsv_pci_irq(int irq, void *data)
{
	struct zsv_pci *zp = data;
	u32 status = readl(zp->regs + ZSV_REG_IRQ_STATUS);

	if (!status || status == ~0U)
		return IRQ_NONE;
	writel(status, zp->regs + ZSV_REG_IRQ_STATUS);
	return IRQ_WAKE_THREAD;
}

/*
 * Under the ring lock: give up on every round on the ring, with @err, and
 * mark the engines whose rounds end in @ended.
 */
static void zsv_pci_take_all_locked(struct zsv_pci *zp, unsigned long *ended,
				    int err)
{
	lockdep_assert_held(&zp->ring_lock);
	for (; zp->done != zp->tail; zp->done++) {
		u32 slot = zp->done % ZSV_RING_ENTRIES;
		struct zsv_pci_engine *e = &zp->engine[zp->owner[slot]];

		if (!e->round_err)
			e->round_err = err;
		if (zp->last[slot])
			__set_bit(e->index, ended);
		zp->owner[slot] = ZSV_PCI_NO_ENGINE;
	}
}

/*
 * Under the ring lock: the ring's registers do not match what was given.
 * Either the device has vanished (it reads all ones) or its ring was reset
 * beneath the driver: give up on the rounds on the ring, and in the second
 * case reset the ring again, so that it starts from zero, as the driver.
 */
static void zsv_pci_lost_locked(struct zsv_pci *zp, unsigned long *ended,
				u32 reg)
{
	struct device *dev = &zp->pci->dev;

	lockdep_assert_held(&zp->ring_lock);
	if (readl(zp->regs + ZSV_REG_ID) == ~0U) {
		if (!zp->lost)
			dev_warn(dev, "the device has gone away: %u ring entries fail\n",
				 zp->tail - zp->done);
		zp->lost = true;
		zsv_pci_take_all_locked(zp, ended, -ENODEV);
		return;
	}
	dev_warn_ratelimited(dev, "the ring was reset beneath the driver (register %u, entries %u-%u given): they fail\n",
			     reg, zp->done, zp->tail);
	zsv_pci_take_all_locked(zp, ended, -EIO);
	writel(ZSV_CONTROL_RESET, zp->regs + ZSV_REG_CONTROL);
	zp->tail = 0;
	zp->done = 0;
}

/* End the rounds of the engines in @ended and move those engines on. */
static void zsv_pci_end(struct zsv_pci *zp, unsigned long *ended)
{
	unsigned int i;

	for_each_set_bit(i, ended, ZSV_PCI_ENGINES_MAX) {
		zsv_pci_round_end(&zp->engine[i]);
		zsv_pci_next(&zp->engine[i]);
	}
}

/*
 * IRQ thread: collect the entries completed since the last run, then end
 * the rounds they finish and move those engines on, outside the lock.
 */
static irqreturn_t zsv_pci_irq_thread(int irq, void *data)
{
	struct zsv_pci *zp = data;
	DECLARE_BITMAP(ended, ZSV_PCI_ENGINES_MAX);
	u32 done;

	bitmap_zero(ended, ZSV_PCI_ENGINES_MAX);
	spin_lock(&zp->ring_lock);
	done = readl(zp->regs + ZSV_REG_RING_DONE);
	/* Never past what was given: a device that says so was reset. */
	if (done - zp->done > zp->tail - zp->done)
		zsv_pci_lost_locked(zp, ended, done);
	for (; zp->done != done && zp->done != zp->tail; zp->done++) {
		u32 slot = zp->done % ZSV_RING_ENTRIES;
		struct zsv_pci_engine *e = &zp->engine[zp->owner[slot]];
		u32 status = readl(zsv_pci_slot(zp, zp->done) +
				   offsetof(struct zsv_pci_entry, status));

		if (status && !e->round_err)
			e->round_err = -(int)min_t(u32, status, MAX_ERRNO);
		if (zp->last[slot])
			__set_bit(e->index, ended);
		zp->owner[slot] = ZSV_PCI_NO_ENGINE;
	}
	spin_unlock(&zp->ring_lock);

	zsv_pci_end(zp, ended);
	return IRQ_HANDLED;
}

/*
 * While rounds are on the ring: a device reset or taken away beneath the
 * driver raises no interrupt for them, so look at RING_TAIL (as written
 * under the ring lock, unless the ring was reset or the device is gone).
 */
static void zsv_pci_watchdog(struct work_struct *work)
{
	struct zsv_pci *zp = container_of(to_delayed_work(work),
					  struct zsv_pci, watchdog);
	DECLARE_BITMAP(ended, ZSV_PCI_ENGINES_MAX);
	bool more;
	u32 tail;

	bitmap_zero(ended, ZSV_PCI_ENGINES_MAX);
	spin_lock(&zp->ring_lock);
	if (zp->done != zp->tail) {
		tail = readl(zp->regs + ZSV_REG_RING_TAIL);
		if (tail != zp->tail)
			zsv_pci_lost_locked(zp, ended, tail);
	}
	more = zp->done != zp->tail;
	spin_unlock(&zp->ring_lock);

	zsv_pci_end(zp, ended);
	if (more)
		queue_delayed_work(system_wq, &zp->watchdog, HZ);
}

/* debugfs "zsv_pci", with a directory per device. */
static struct dentry *zsv_pci_debugfs;

/*
 * reset_device: writing 1 resets the device beneath the driver, which is
 * not told, as when the host resets it: a test of the recovery above.
 */
static int zsv_pci_debugfs_reset(void *data, u64 val)
{
	struct zsv_pci *zp = data;

	if (val != 1)
		return -EINVAL;
	writel(ZSV_CONTROL_RESET, zp->regs + ZSV_REG_CONTROL);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(zsv_pci_reset_fops, NULL, zsv_pci_debugfs_reset,
			 "%llu\n");

static void zsv_pci_free_vectors(void *data)
{
	pci_free_irq_vectors(data);
}

/*
 * fail_probe: writing N makes the next probe fail at its Nth step, as if
 * that step had failed (-ENOMEM; -ENODEV for the device's identity), so
 * that tests can walk every way out of probe: the stock kernels that run
 * the nested guest have no fault injection of their own. Taken (set back
 * to 0) by the next probe, whether or not it gets that far.
 */
static atomic_t zsv_pci_fail_probe = ATOMIC_INIT(0);

static int zsv_pci_debugfs_fail_probe_get(void *data, u64 *val)
{
	*val = atomic_read(&zsv_pci_fail_probe);
	return 0;
}

static int zsv_pci_debugfs_fail_probe_set(void *data, u64 val)
{
	if (val > INT_MAX)
		return -EINVAL;
	atomic_set(&zsv_pci_fail_probe, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(zsv_pci_fail_probe_fops,
			 zsv_pci_debugfs_fail_probe_get,
			 zsv_pci_debugfs_fail_probe_set, "%llu\n");

/**
 * struct zsv_pci_steps - probe's steps, for fail_probe
 * @dev: the device being probed
 * @fail_at: the step to fail, 0 for none
 * @step: the steps started so far
 */
struct zsv_pci_steps {
	struct device *dev;
	int fail_at;
	int step;
};

/* Return @err if the step about to run is the one to fail, else 0. */
static int zsv_pci_step(struct zsv_pci_steps *st, int err)
{
	if (++st->step != st->fail_at)
		return 0;
	dev_err(st->dev, "probe step %d fails: fail_probe\n", st->step);
	return err;
}

/* Identity, version and limits; the device is reset and quiet after. */
static int zsv_pci_check(struct pci_dev *pci, void __iomem *regs,
			 u64 *mem_bytes, u32 *engines)
{
	u32 id = readl(regs + ZSV_REG_ID);
	u32 version = readl(regs + ZSV_REG_VERSION);
	u32 ring = readl(regs + ZSV_REG_RING_SIZE);

	if (id != ZSV_DEV_MAGIC) {
		dev_err(&pci->dev, "ID register reads %#x, not %#x: not a zsv device\n",
			id, ZSV_DEV_MAGIC);
		return -ENODEV;
	}
	if (version >> 16 != ZSV_PCI_MAJOR) {
		dev_err(&pci->dev, "device version %u.%u is not supported: this driver knows version %u.x only\n",
			version >> 16, version & 0xffff, ZSV_PCI_MAJOR);
		return -ENODEV;
	}
	if (ring != ZSV_RING_ENTRIES) {
		dev_err(&pci->dev, "ring of %u entries, expected %u\n", ring,
			ZSV_RING_ENTRIES);
		return -ENODEV;
	}
	*mem_bytes = lo_hi_readq(regs + ZSV_REG_MEM_SIZE);
	*engines = readl(regs + ZSV_REG_ENGINES);
	if (!*engines || *engines > ZSV_ENGINES_MAX) {
		dev_err(&pci->dev, "device has %u engines (1-%u expected)\n",
			*engines, ZSV_ENGINES_MAX);
		return -ENODEV;
	}
	if (*mem_bytes < ZSV_PCI_WINDOW ||
	    *mem_bytes > pci_resource_len(pci, 2)) {
		dev_err(&pci->dev, "memory of %llu bytes does not fit BAR2 (%llu bytes) or is below %lu\n",
			*mem_bytes, (u64)pci_resource_len(pci, 2),
			ZSV_PCI_WINDOW);
		return -ENODEV;
	}
	return 0;
}

static int zsv_pci_probe(struct pci_dev *pci, const struct pci_device_id *id)
{
	struct device *dev = &pci->dev;
	struct zsv_pdev_desc desc = {};
	void __iomem *regs;
	unsigned int i, n;
	struct zsv_pci *zp;
	u32 engines;
	u64 mem;
	int err, irq;
	struct zsv_pci_steps st = {
		.dev = dev,
		.fail_at = atomic_xchg(&zsv_pci_fail_probe, 0),
	};

	err = zsv_pci_step(&st, -ENOMEM) ?: pcim_enable_device(pci);
	if (err)
		return dev_err_probe(dev, err, "cannot enable the device\n");
	err = zsv_pci_step(&st, -ENOMEM) ?:
	      pcim_iomap_regions(pci, BIT(0), ZSV_PCI_NAME);
	if (err)
		return dev_err_probe(dev, err, "cannot map BAR0\n");
	regs = pcim_iomap_table(pci)[0];
	err = zsv_pci_step(&st, -ENODEV) ?:
	      zsv_pci_check(pci, regs, &mem, &engines);
	if (err)
		return err;

	/* Each engine needs its window in the partition and room in the ring. */
	n = min_t(u64, min_t(u32, engines, ZSV_PCI_ENGINES_MAX),
		  mem / ZSV_PCI_WINDOW);
	zp = zsv_pci_step(&st, -ENOMEM) ? NULL :
	     devm_kzalloc(dev, struct_size(zp, engine, n), GFP_KERNEL);
	if (!zp)
		return -ENOMEM;
	zp->nr_engines = n;
	zp->pci = pci;
	zp->regs = regs;
	spin_lock_init(&zp->ring_lock);
	INIT_DELAYED_WORK(&zp->watchdog, zsv_pci_watchdog);
	memset(zp->owner, ZSV_PCI_NO_ENGINE, sizeof(zp->owner));
	for (i = 0; i < n; i++) {
		zp->engine[i].zp = zp;
		zp->engine[i].index = i;
		zp->engine[i].window = (u64)i * ZSV_PCI_WINDOW;
		INIT_WORK(&zp->engine[i].work, zsv_pci_engine_work);
	}

	err = zsv_pci_step(&st, -ENOMEM) ?:
	      pci_request_region(pci, 2, ZSV_PCI_NAME);
	if (err)
		return dev_err_probe(dev, err, "cannot claim BAR2\n");
	zp->win = zsv_pci_step(&st, -ENOMEM) ? NULL :
		  pcim_iomap(pci, 2, n * ZSV_PCI_WINDOW);
	if (!zp->win)
		return dev_err_probe(dev, -ENOMEM, "cannot map BAR2\n");

	err = zsv_pci_step(&st, -ENOMEM) ?:
	      dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (err)
		return dev_err_probe(dev, err, "no 64-bit DMA\n");
	pci_set_master(pci);

	/* Start from a clean ring, with interrupts masked until the IRQ is in. */
	writel(ZSV_CONTROL_RESET, regs + ZSV_REG_CONTROL);
	writel(ZSV_IRQ_DONE | ZSV_IRQ_ERROR, regs + ZSV_REG_IRQ_MASK);

	err = zsv_pci_step(&st, -ENOMEM) ?:
	      pci_alloc_irq_vectors(pci, 1, 1, PCI_IRQ_MSI | PCI_IRQ_INTX);
	if (err < 0)
		return dev_err_probe(dev, err, "no MSI or INTx interrupt\n");
	/* Devres frees the vectors after the IRQ, which is requested later. */
	err = devm_add_action_or_reset(dev, zsv_pci_free_vectors, pci);
	if (err)
		return err;
	irq = pci_irq_vector(pci, 0);
	if (irq < 0)
		return irq;
	err = zsv_pci_step(&st, -ENOMEM) ?:
	      devm_request_threaded_irq(dev, irq, zsv_pci_irq,
					zsv_pci_irq_thread, IRQF_ONESHOT |
					(pci->msi_enabled ? 0 : IRQF_SHARED),
					ZSV_PCI_NAME, zp);
	if (err)
		return dev_err_probe(dev, err, "cannot request IRQ %d\n", irq);
	zp->irq = irq;
	writel(0, regs + ZSV_REG_IRQ_MASK);

	desc.mem_bytes = mem;
	desc.engines = n;
	desc.parent = dev;
	desc.priv = zp;
	zp->zpdev = zsv_pci_step(&st, -ENOMEM) ? ERR_PTR(-ENOMEM) :
		    zsv_pdev_register(&zsv_pci_backend, &desc);
	if (IS_ERR(zp->zpdev)) {
		err = PTR_ERR(zp->zpdev);
		goto err_mask;
	}
	pci_set_drvdata(pci, zp);
	/* debugfs is best effort: its functions take its errors as input. */
	zp->debugfs = debugfs_create_dir(pci_name(pci), zsv_pci_debugfs);
	debugfs_create_file_unsafe("reset_device", 0200, zp->debugfs, zp,
				   &zsv_pci_reset_fops);
	dev_info(dev, "%s: %llu bytes, %u of %u engines, %s\n",
		 zsv_pdev_name(zp->zpdev), mem, n, engines,
		 pci->msi_enabled ? "MSI" : "INTx");
	return 0;

err_mask:
	/* Devres does not quiet the device: mask it before the IRQ goes. */
	writel(ZSV_IRQ_DONE | ZSV_IRQ_ERROR, regs + ZSV_REG_IRQ_MASK);
	dev_err(dev, "cannot register the pdev: %d\n", err);
	return err;
}

/*
 * Whether rounds are still on the ring, or the device is gone; under the
 * ring lock, so that an IRQ thread ending them is seen.
 */
static bool zsv_pci_draining(struct zsv_pci *zp)
{
	bool busy;

	spin_lock(&zp->ring_lock);
	busy = zp->done != zp->tail && !zp->lost &&
	       readl(zp->regs + ZSV_REG_ID) != ~0U;
	spin_unlock(&zp->ring_lock);
	return busy;
}

/*
 * The device is going away, maybe already gone (a surprise removal), with
 * jobs running. Submit nothing more; let the rounds on the ring end for a
 * while; then stop the device and its interrupt, and give up on what is
 * left, so that the core gets every engine back and unregistering returns.
 * Devres frees the IRQ and the vectors after this.
 */
static void zsv_pci_remove(struct pci_dev *pci)
{
	struct zsv_pci *zp = pci_get_drvdata(pci);
	DECLARE_BITMAP(ended, ZSV_PCI_ENGINES_MAX);
	unsigned long timeout;
	unsigned int i;

	/* Waits for writers of reset_device. */
	debugfs_remove_recursive(zp->debugfs);
	spin_lock(&zp->ring_lock);
	zp->gone = true;
	spin_unlock(&zp->ring_lock);
	timeout = jiffies + msecs_to_jiffies(ZSV_PCI_DRAIN_MS);
	while (zsv_pci_draining(zp) && time_before(jiffies, timeout))
		usleep_range(1000, 2000);

	writel(ZSV_IRQ_DONE | ZSV_IRQ_ERROR, zp->regs + ZSV_REG_IRQ_MASK);
	writel(ZSV_CONTROL_RESET, zp->regs + ZSV_REG_CONTROL);
	disable_irq(zp->irq);
	cancel_delayed_work_sync(&zp->watchdog);
	bitmap_zero(ended, ZSV_PCI_ENGINES_MAX);
	spin_lock(&zp->ring_lock);
	/* Unplugged before the IRQ thread or the watchdog saw it vanish. */
	if (!zp->lost && readl(zp->regs + ZSV_REG_ID) == ~0U)
		dev_warn(&pci->dev, "the device has gone away: %u ring entries fail\n",
			 zp->tail - zp->done);
	else if (zp->done != zp->tail)
		dev_warn(&pci->dev, "%u ring entries did not end: they fail\n",
			 zp->tail - zp->done);
	zsv_pci_take_all_locked(zp, ended, -ENODEV);
	spin_unlock(&zp->ring_lock);
	zsv_pci_end(zp, ended);

	/* New jobs fail at once from the work items: nothing is submitted. */
	zsv_pdev_unregister(zp->zpdev);
	for (i = 0; i < zp->nr_engines; i++)
		cancel_work_sync(&zp->engine[i].work);
	cancel_delayed_work_sync(&zp->watchdog);
	enable_irq(zp->irq);
}

static const struct pci_device_id zsv_pci_ids[] = {
	{ PCI_DEVICE_SUB(ZSV_PCI_VENDOR_ID, ZSV_PCI_DEVICE_ID,
			 ZSV_PCI_SUBSYS_VENDOR_ID, ZSV_PCI_SUBSYS_ID),
	  .class = ZSV_PCI_CLASS, .class_mask = 0xffffff },
	{ }
};
MODULE_DEVICE_TABLE(pci, zsv_pci_ids);

static struct pci_driver zsv_pci_driver = {
	.name = ZSV_PCI_NAME,
	.id_table = zsv_pci_ids,
	.probe = zsv_pci_probe,
	.remove = zsv_pci_remove,
};

static int __init zsv_pci_init(void)
{
	int err;

	BUILD_BUG_ON(sizeof(struct zsv_pci_entry) !=
		     sizeof(struct zsv_ring_entry));
	BUILD_BUG_ON(ZSV_PCI_ENGINES_MAX * ZSV_PCI_ROUND_MAX >
		     ZSV_RING_ENTRIES);
	err = zsv_backend_register(&zsv_pci_backend);
	if (err)
		return err;
	zsv_pci_debugfs = debugfs_create_dir(ZSV_PCI_NAME, NULL);
	debugfs_create_file_unsafe("fail_probe", 0600, zsv_pci_debugfs, NULL,
				   &zsv_pci_fail_probe_fops);
	err = pci_register_driver(&zsv_pci_driver);
	if (err) {
		debugfs_remove_recursive(zsv_pci_debugfs);
		zsv_backend_unregister(&zsv_pci_backend);
	}
	return err;
}

/* The module cannot unload while slices exist: each holds a reference. */
static void __exit zsv_pci_exit(void)
{
	pci_unregister_driver(&zsv_pci_driver);
	debugfs_remove_recursive(zsv_pci_debugfs);
	zsv_backend_unregister(&zsv_pci_backend);
}

module_init(zsv_pci_init);
module_exit(zsv_pci_exit);
MODULE_DESCRIPTION("zsv_pci: zsv backend for the virtual PCI accelerator");
MODULE_LICENSE("GPL");
