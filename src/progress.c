/*
 * progress.c: the progress line; see progress.h.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "progress.h"

#define REDRAW_INTERVAL	0.2	/* seconds */

/* Set p up; fp NULL makes every other call a no-op. */
void
progress_init(struct progress *p, FILE *fp, const char *unit, double start)
{
	memset(p, 0, sizeof(*p));
	p->fp = fp;
	p->unit = unit;
	p->start = start;
	p->last = start - REDRAW_INTERVAL;
}

/* Record the total number of units (0: unknown). */
void
progress_set_total(struct progress *p, size_t total)
{
	p->total = total;
}

static void
duration(double s, char *buf, size_t len)
{
	unsigned long	 t = s > 0 ? (unsigned long)(s + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, len, "%luh%02lum", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(buf, len, "%lum%02lus", t / 60, t % 60);
	else
		snprintf(buf, len, "%lus", t);
}

/*
 * "1234/5000 files, 410/s, ETA 9s, 87 findings" (no total: no ETA).
 */
void
progress_format(const struct progress *p, double now, char *buf, size_t len)
{
	double	 elapsed = now - p->start, rate;
	char	 eta[32];

	rate = elapsed > 0 ? (double)p->done / elapsed : 0;
	if (p->total > 0 && p->done <= p->total && rate > 0) {
		duration((double)(p->total - p->done) / rate, eta,
		    sizeof(eta));
		snprintf(buf, len, "%zu/%zu %s, %.0f/s, ETA %s, %zu finding%s",
		    p->done, p->total, p->unit, rate, eta, p->findings,
		    p->findings == 1 ? "" : "s");
	} else
		snprintf(buf, len, "%zu %s, %.0f/s, %zu finding%s", p->done,
		    p->unit, rate, p->findings, p->findings == 1 ? "" : "s");
}

static void
draw(struct progress *p, double now)
{
	char	 line[160];

	p->last = now;
	progress_format(p, now, line, sizeof(line));
	fprintf(p->fp, "\r\033[K%s", line);
	fflush(p->fp);
	p->drawn = 1;
	p->hidden = 0;
}

/* Count and, when due, redraw the line in place. */
void
progress_step(struct progress *p, size_t done, size_t findings, double now)
{
	p->done += done;
	p->findings += findings;
	if (p->fp == NULL || p->hidden || now - p->last < REDRAW_INTERVAL)
		return;
	draw(p, now);
}

static void
erase(struct progress *p)
{
	fputs("\r\033[K", p->fp);
	fflush(p->fp);
	p->drawn = 0;
}

/* Erase the line until progress_show. */
void
progress_hide(struct progress *p)
{
	if (p->fp == NULL || !p->drawn)
		return;
	erase(p);
	p->hidden = 1;
}

/* Draw the line again if it was hidden. */
void
progress_show(struct progress *p, double now)
{
	if (p->fp == NULL || !p->hidden)
		return;
	draw(p, now);
}

/* Erase the line if one is shown. */
void
progress_finish(struct progress *p)
{
	if (p->fp != NULL && p->drawn)
		erase(p);
	p->hidden = 0;
}

/* Seconds on CLOCK_MONOTONIC. */
double
progress_clock(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
