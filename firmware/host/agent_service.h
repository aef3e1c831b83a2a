/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OTA agent (firmware/core/agent.h, ArduinoOTA's receiver) as a
 * service of the device's loop. It drives the device's Updater, prints
 * one line per ArduinoOTA callback on the events stream, and after a
 * reset listens again on the port it had.
 *
 * Events: "start flash|filesystem N bytes from ADDR:PORT md5 M" (M as the
 * uploader sent it), "progress DONE/TOTAL", "end",
 * "error OTA_..._ERROR[: text]". The first time it is ready it prints
 * "listening on ADDR:PORT" there too, and logs the authentication in use.
 */
#ifndef ESPOTA_AGENT_SERVICE_H
#define ESPOTA_AGENT_SERVICE_H

#include <stdint.h>
#include <stdio.h>

#include "device_service.h"
#include "log.h"
#include "ota_auth.h"

struct agent_service_config {
	uint32_t bind_ip;           /* 0: any address */
	uint16_t port;              /* UDP port; 0: one the system picks */
	enum ota_auth_scheme scheme;
	/* For this run: setPassword(password), else setPasswordHash
	 * (password_hash), else the MD5 kept by init, else no
	 * authentication. */
	const char *password;
	const char *password_hash;  /* at most OTA_AUTH_STORED_MAX characters */
	uint32_t stream_timeout_ms; /* 0: the Updater's 60 s */
	FILE *events;
};

struct agent_service;

/* Returns the service, or NULL having logged why (out of memory, a
 * password hash too long). The configuration's strings are copied. */
struct agent_service *agent_service_new(const struct agent_service_config *cfg,
					const struct logger *lg);
/* Its hooks, for device_loop_run. */
struct device_service *agent_service_hooks(struct agent_service *s);
/* Wipes the password hash and frees it. */
void agent_service_free(struct agent_service *s);

#endif
