/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "device_loop.h"

#include "device_boot.h"
#include "hal_posix.h"

static bool stop_requested(const struct device_loop_opts *o)
{
	return o->stop && *o->stop;
}

static int ready_all(struct device *d, struct device_service *const *svc, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (svc[i]->on_ready(svc[i]->ctx, d) != 0)
			return -1;
	return 0;
}

/* A service asked for the reset: every service lets go, eboot runs, the
 * new app is checked and every service comes up again. */
static enum device_error reboot(struct device *d, struct device_service *const *svc, size_t n,
				const struct device_loop_opts *o, const struct logger *lg)
{
	struct device_boot boot;
	enum device_error rc;

	for (size_t i = 0; i < n; i++)
		svc[i]->on_reboot(svc[i]->ctx, d);
	hal_posix_clear_reset(d->hal);
	fprintf(o->events, "rebooting\n");
	rc = device_power_on(d, lg, &boot);
	if (rc != DEVICE_OK)
		return rc;
	device_print_running(o->events, &boot);
	return DEVICE_OK;
}

/* One turn: collect, wait, hand out. Sets *attempt_failed when a service
 * reports a failed update attempt. */
static enum device_error turn(struct device *d, struct device_service *const *svc, size_t n,
			      bool *attempt_failed, const struct logger *lg)
{
	struct hal_pollset set[DEVICE_LOOP_POLL_MAX];
	size_t start[DEVICE_LOOP_MAX_SERVICES], count[DEVICE_LOOP_MAX_SERVICES];
	uint32_t wait = DEVICE_LOOP_IDLE_WAKE_MS, now = hal_millis(d->hal);
	size_t used = 0;

	for (size_t i = 0; i < n; i++) {
		start[i] = used;
		count[i] = svc[i]->poll_set(svc[i]->ctx, set + used, DEVICE_LOOP_POLL_MAX - used, now,
					    &wait);
		used += count[i];
	}
	if (hal_poll(d->hal, set, used, wait) < 0) {
		log_error(lg, "waiting on the network failed");
		return DEVICE_ERR_FAILED;
	}
	now = hal_millis(d->hal);
	for (size_t i = 0; i < n; i++) {
		switch (svc[i]->on_tick(svc[i]->ctx, set + start[i], count[i], now)) {
		case DEVICE_SERVICE_QUIET:
			break;
		case DEVICE_SERVICE_ATTEMPT_FAILED:
			*attempt_failed = true;
			break;
		case DEVICE_SERVICE_FAILED:
			return DEVICE_ERR_FAILED;
		}
	}
	return DEVICE_OK;
}

enum device_error device_loop_run(struct device *d, struct device_service *const *svc, size_t n,
				  const struct device_loop_opts *o, const struct logger *lg)
{
	enum device_error rc = DEVICE_ERR_FAILED;

	if (n > DEVICE_LOOP_MAX_SERVICES) {
		log_error(lg, "%zu services: the loop serves at most %u", n,
			  (unsigned)DEVICE_LOOP_MAX_SERVICES);
		return DEVICE_ERR_INPUT;
	}
	if (ready_all(d, svc, n) != 0)
		goto out;
	while (!stop_requested(o)) {
		bool attempt_failed = false;

		rc = turn(d, svc, n, &attempt_failed, lg);
		if (rc != DEVICE_OK)
			goto out;
		/* A reset wins over a failure reported in the same turn. */
		if (hal_posix_reset_requested(d->hal)) {
			rc = reboot(d, svc, n, o, lg);
			if (rc != DEVICE_OK || o->once)
				goto out;
			if (ready_all(d, svc, n) != 0) {
				rc = DEVICE_ERR_FAILED;
				goto out;
			}
			continue;
		}
		if (attempt_failed && o->once) {
			rc = DEVICE_ERR_FAILED;
			goto out;
		}
	}
	log_info(lg, "stopped");
	rc = o->once ? DEVICE_ERR_FAILED : DEVICE_OK;
out:
	for (size_t i = 0; i < n; i++)
		svc[i]->on_stop(svc[i]->ctx);
	fflush(o->events);
	return rc;
}
