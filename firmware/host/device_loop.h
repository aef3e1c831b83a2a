/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The running device: one event loop that serves a list of services
 * (device_service.h) until it is told to stop. When a service asks for a
 * reset, the loop tells every service (on_reboot), prints "rebooting",
 * powers the device on through eboot (device_boot.h), prints what runs
 * and makes every service ready again.
 */
#ifndef ESPOTA_DEVICE_LOOP_H
#define ESPOTA_DEVICE_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "device.h"
#include "device_service.h"
#include "hal_net.h"
#include "log.h"

#define DEVICE_LOOP_MAX_SERVICES 8
#define DEVICE_LOOP_POLL_MAX HAL_NET_SOCKETS /* room for every service's sockets */
#define DEVICE_LOOP_IDLE_WAKE_MS 1000u       /* the longest wait, all quiet */

struct device_loop_opts {
	FILE *events;                      /* "rebooting", "running app ..." lines */
	const volatile sig_atomic_t *stop; /* non-zero: leave the loop (signal handler); may be NULL */
	bool once;                         /* leave after the first update attempt */
};

/* Makes every service ready, then serves them. Returns, when stop is
 * set, DEVICE_OK (DEVICE_ERR_FAILED with once); with once, DEVICE_OK
 * once an update has rebooted the device into its new app, or
 * DEVICE_ERR_FAILED once an attempt failed; DEVICE_ERR_FAILED when a
 * service cannot go on or the wait fails, or the power-on's failure;
 * DEVICE_ERR_INPUT for more than DEVICE_LOOP_MAX_SERVICES services.
 * Every service is stopped (on_stop) before it returns. */
enum device_error device_loop_run(struct device *d, struct device_service *const *svc, size_t n,
				  const struct device_loop_opts *o, const struct logger *lg);

#endif
