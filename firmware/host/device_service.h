/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A service the running device serves beside others in one event loop
 * (device_loop.h): the OTA agent today (agent_service.h); the web
 * updater, the pull client and the mDNS responder are meant to plug in
 * the same way, each a struct of these hooks, without a change to the
 * loop.
 *
 * Each turn the loop asks every service for its part of one poll set,
 * waits for any of it in hal_poll (never longer than the earliest timer
 * a service names), then hands each service its own slice back. Hooks
 * never block or sleep: the device's delays are timers. A service that
 * wants the device reset (an update is in) calls hal_request_reset; the
 * loop then reboots it through eboot and makes every service ready again.
 */
#ifndef ESPOTA_DEVICE_SERVICE_H
#define ESPOTA_DEVICE_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "hal.h"

struct device;

/* What a turn of a service tells the loop. */
enum device_service_event {
	DEVICE_SERVICE_QUIET = 0,      /* nothing the loop must act on */
	DEVICE_SERVICE_ATTEMPT_FAILED, /* an update attempt ended without an install */
	DEVICE_SERVICE_FAILED,         /* the service cannot go on (logged): the loop stops */
};

struct device_service {
	const char *name;
	void *ctx; /* handed to every hook */

	/* The device is up (after the loop starts, and after each reboot):
	 * open sockets, start listening. Returns 0, or -1 having logged
	 * why; the loop then stops with failure. */
	int (*on_ready)(void *ctx, struct device *d);
	/* Fills up to cap entries of set with what the service waits for
	 * and lowers *wait_ms to the time until its next timer. Returns the
	 * number of entries. */
	size_t (*poll_set)(void *ctx, struct hal_pollset *set, size_t cap, uint32_t now,
			   uint32_t *wait_ms);
	/* Handles its slice of the set (set[0..n), revents filled by
	 * hal_poll) and every timer due at now. */
	enum device_service_event (*on_tick)(void *ctx, const struct hal_pollset *set, size_t n,
					     uint32_t now);
	/* The device is about to reset: record what must outlive it, close
	 * every socket. on_ready follows once it is up again. */
	void (*on_reboot)(void *ctx, struct device *d);
	/* The loop ends: close every socket (it may follow on_reboot with
	 * no on_ready between, when the device did not come up again). */
	void (*on_stop)(void *ctx);
};

#endif
