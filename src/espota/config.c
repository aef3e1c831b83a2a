/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The config's defaults (espota.py's) and the exit status of a result. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "espota.h"

void espota_config_init(struct espota_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->esp_port = ESPOTA_DEFAULT_PORT;
	cfg->host_ip = "0.0.0.0";
	cfg->host_port = espota_random_host_port();
	cfg->host_port_random = true;
	cfg->command = ESPOTA_CMD_FLASH;
	cfg->timeout_s = ESPOTA_DEFAULT_TIMEOUT_S;
	cfg->chunk_size = ESPOTA_DEFAULT_CHUNK;
	cfg->progress = PROGRESS_NONE;
	cfg->password_env = getenv(ESPOTA_PASSWORD_ENV);
}

void espota_result_fail(struct espota_result *r, enum espota_error err, const char *fmt, ...)
{
	va_list ap;

	memset(r, 0, sizeof(*r));
	r->err = err;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

int espota_exit_status(enum espota_error err)
{
	if (err == ESPOTA_OK)
		return 0;
	return err == ESPOTA_ERR_USAGE ? 2 : 1;
}
