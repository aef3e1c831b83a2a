/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "agent_service.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "device.h"
#include "device_stage.h"
#include "escape.h"
#include "updater.h"

struct agent_service {
	struct device_service hooks;
	struct agent agent;
	struct updater updater;
	struct agent_config ac;
	struct agent_service_config cfg; /* password fields unused after new */
	const struct logger *lg;
	struct device *d;
	bool have_hash;  /* ac.password_hash set from the run's options */
	bool announced;  /* "listening on" printed */
	bool busy;       /* an attempt is under way */
	bool failed;     /* an error callback since the last turn */
};

static void ev_start(void *ctx)
{
	struct agent_service *s = ctx;
	const struct agent *a = &s->agent;
	struct in_addr ip = { htonl(a->ota_ip) };
	char md5[ESCAPE_TEXT_SIZE(sizeof(a->invite.md5))];

	/* the MD5 field is the uploader's bytes, never checked for hex */
	escape_text(md5, sizeof(md5), a->invite.md5, strlen(a->invite.md5));
	fprintf(s->cfg.events, "start %s %lu bytes from %s:%u md5 %s\n",
		a->invite.command == UPDATE_CMD_FS ? "filesystem" : "flash",
		(unsigned long)a->invite.size, inet_ntoa(ip), a->invite.host_port, md5);
}

static void ev_progress(void *ctx, uint32_t done, uint32_t total)
{
	struct agent_service *s = ctx;

	fprintf(s->cfg.events, "progress %lu/%lu\n", (unsigned long)done, (unsigned long)total);
}

static void ev_end(void *ctx)
{
	struct agent_service *s = ctx;

	fprintf(s->cfg.events, "end\n");
}

static void ev_error(void *ctx, enum agent_error err)
{
	struct agent_service *s = ctx;
	const char *text = agent_error_text(&s->agent);

	s->failed = true;
	if ((err == AGENT_BEGIN_ERROR || err == AGENT_END_ERROR) && text[0])
		fprintf(s->cfg.events, "error %s: %s\n", agent_error_name(err), text);
	else
		fprintf(s->cfg.events, "error %s\n", agent_error_name(err));
}

/* Without a password from the run, the one init kept; and a warning for a
 * hash no uploader's response can match. */
static void pick_hash(struct agent_service *s)
{
	char *hash = s->ac.password_hash;

	if (!s->have_hash) {
		memcpy(hash, s->d->cfg.password_md5, sizeof(s->d->cfg.password_md5));
		s->have_hash = true;
	}
	for (size_t i = 0; hash[i]; i++)
		if (hash[i] >= 'A' && hash[i] <= 'F') {
			log_warn(s->lg, "warning: the password hash has upper-case hex, which no "
					"uploader's response matches (the device compares text): give "
					"it in lower case");
			break;
		}
}

static const char *auth_name(const struct agent_service *s)
{
	if (!s->ac.password_hash[0])
		return "off";
	return s->ac.scheme == OTA_AUTH_SHA256 ? "sha256/pbkdf2" : "md5";
}

static int on_ready(void *ctx, struct device *d)
{
	struct agent_service *s = ctx;
	struct agent_callbacks cb = { ev_start, ev_progress, ev_end, ev_error, s };
	char addr[INET_ADDRSTRLEN];
	struct in_addr ip = { htonl(s->ac.bind_ip) };

	s->d = d;
	if (!s->announced)
		pick_hash(s);
	s->busy = s->failed = false;
	updater_init(&s->updater, d->hal, &d->ucfg, NULL);
	if (agent_begin(&s->agent, d->hal, &s->updater, &s->ac, &cb) < 0) {
		log_error(s->lg, "cannot listen on UDP port %u: %s: stop the program using it or "
				 "give another --port",
			  s->ac.port, errno ? strerror(errno) : "network error");
		return -1;
	}
	if (s->announced)
		return 0;
	/* After a reset the device listens on the same port again. */
	s->ac.port = agent_port(&s->agent);
	inet_ntop(AF_INET, &ip, addr, sizeof(addr));
	fprintf(s->cfg.events, "listening on %s:%u\n", addr, s->ac.port);
	fflush(s->cfg.events);
	log_info(s->lg, "authentication %s", auth_name(s));
	s->announced = true;
	return 0;
}

static size_t poll_set(void *ctx, struct hal_pollset *set, size_t cap, uint32_t now,
		       uint32_t *wait_ms)
{
	struct agent_service *s = ctx;

	return agent_poll_set(&s->agent, set, cap, now, wait_ms);
}

static bool attempt_over(enum agent_state st)
{
	return st == AGENT_IDLE || st == AGENT_WAITAUTH;
}

static enum device_service_event on_tick(void *ctx, const struct hal_pollset *set, size_t n,
					 uint32_t now)
{
	struct agent_service *s = ctx;

	s->failed = false;
	agent_step(&s->agent, set, n, now);
	if (!attempt_over(agent_get_state(&s->agent))) {
		s->busy = true; /* under way, or done and resetting */
		return DEVICE_SERVICE_QUIET;
	}
	if (s->busy || s->failed) {
		/* Refused (auth, begin) or failed: the image is untouched. */
		s->busy = false;
		return DEVICE_SERVICE_ATTEMPT_FAILED;
	}
	return DEVICE_SERVICE_QUIET;
}

static void on_reboot(void *ctx, struct device *d)
{
	struct agent_service *s = ctx;
	const struct ota_invite *inv = &s->agent.invite;

	if (inv->command == UPDATE_CMD_FS && !d->cfg.atomic_fs)
		device_note_fs_upload(d, inv->size, s->lg);
	agent_stop(&s->agent);
}

static void on_stop(void *ctx)
{
	struct agent_service *s = ctx;

	agent_stop(&s->agent);
}

struct agent_service *agent_service_new(const struct agent_service_config *cfg,
					const struct logger *lg)
{
	struct agent_service *s;

	if (cfg->password_hash && strlen(cfg->password_hash) > OTA_AUTH_STORED_MAX) {
		log_error(lg, "the password hash is longer than %u characters",
			  OTA_AUTH_STORED_MAX);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		log_error(lg, "out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	s->cfg.password = s->cfg.password_hash = NULL;
	s->lg = lg;
	s->ac.bind_ip = cfg->bind_ip;
	s->ac.port = cfg->port;
	s->ac.scheme = cfg->scheme;
	s->ac.reboot_on_success = true;
	s->ac.stream_timeout_ms = cfg->stream_timeout_ms;
	if (cfg->password) {
		ota_auth_password_hash(cfg->scheme, cfg->password, strlen(cfg->password),
				       s->ac.password_hash);
		s->have_hash = true;
	} else if (cfg->password_hash) {
		memcpy(s->ac.password_hash, cfg->password_hash, strlen(cfg->password_hash) + 1);
		s->have_hash = true;
	}
	s->hooks.name = "ota-agent";
	s->hooks.ctx = s;
	s->hooks.on_ready = on_ready;
	s->hooks.poll_set = poll_set;
	s->hooks.on_tick = on_tick;
	s->hooks.on_reboot = on_reboot;
	s->hooks.on_stop = on_stop;
	return s;
}

struct device_service *agent_service_hooks(struct agent_service *s)
{
	return &s->hooks;
}

void agent_service_free(struct agent_service *s)
{
	if (!s)
		return;
	agent_stop(&s->agent);
	explicit_bzero(s->ac.password_hash, sizeof(s->ac.password_hash));
	explicit_bzero(s->agent.cfg.password_hash, sizeof(s->agent.cfg.password_hash));
	free(s);
}
