/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One upload as a table of legs: image, device address, listener,
 * invitation and auth, connect-back and stream. Each leg names itself in
 * the message when it fails, so the user knows which part to fix. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "clock.h"
#include "espota.h"
#include "handshake.h"
#include "image.h"
#include "invite.h"
#include "resolve.h"
#include "sock.h"
#include "stream.h"

#define ACCEPT_MS 10000 /* espota.py's wait for the device to connect back */

uint16_t espota_random_host_port(void)
{
	uint32_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
		v = (uint32_t)clock_us();
	return (uint16_t)(10000 + v % 50001);
}

static enum espota_error fail(struct espota_result *r, enum espota_error err)
{
	r->err = err;
	return err;
}

static int open_udp(struct in_addr dev, uint16_t port, const char *host_ip)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr = dev };
	int fd;

	/* The device connects back to the invitation's source address: with -I,
	 * send from that address so it reaches the listener (pitfall 8). */
	if (host_ip && strcmp(host_ip, "0.0.0.0") != 0)
		fd = sock_udp_bind(host_ip, 0);
	else
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	/* connected: replies from elsewhere are dropped, ICMP errors come back */
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static enum espota_error no_connect(struct espota_result *r, struct in_addr dev, const char *host_ip,
				    uint16_t port)
{
	struct in_addr src;
	char addr[INET_ADDRSTRLEN] = "this host";

	if (host_ip && strcmp(host_ip, "0.0.0.0") != 0)
		snprintf(addr, sizeof(addr), "%s", host_ip);
	else if (sock_route_source(dev, &src) == 0)
		inet_ntop(AF_INET, &src, addr, sizeof(addr));
	snprintf(r->message, sizeof(r->message),
		 "the device at '%s' accepted the invitation but never connected back to %s:%u "
		 "within %d s: a firewall on this host probably blocks inbound TCP to that port: "
		 "allow it, or pick an allowed port with -P (an esp32 that cannot start the "
		 "update, e.g. for an image too big, also stays silent)",
		 r->device_addr, addr, port, ACCEPT_MS / 1000);
	return fail(r, ESPOTA_ERR_NO_CONNECT);
}

/* The open sockets, the password and the image of one upload, closed and
 * freed at the end. */
struct session {
	struct espota_secret password;
	struct espota_image img;
	struct in_addr dev;
	uint16_t port; /* the host TCP port the device is told */
	int listener, udp, conn;
};

/* Leg 0: a config that names a device and an image, and its password. */
static enum espota_error check_config(const struct espota_config *cfg, struct espota_result *r,
				      struct session *s)
{
	bool password_set = (cfg->password && *cfg->password) || cfg->password_file ||
			    (cfg->password_env && *cfg->password_env);
	enum espota_error err;

	/* the password is left out on purpose, unlike espota.py's dump */
	log_debug(cfg->log, "Options: ip=%s host_ip=%s port=%u host_port=%u auth=%s file=%s spiffs=%d "
		  "timeout=%d wait=%d md5_target=%d compress=%d stop_and_wait=%d chunk_size=%zu",
		  cfg->esp_host ? cfg->esp_host : "-", cfg->host_ip ? cfg->host_ip : "-",
		  cfg->esp_port, cfg->host_port, password_set ? "(set)" : "(none)",
		  cfg->image_path ? cfg->image_path : "-", cfg->command == ESPOTA_CMD_FS,
		  cfg->timeout_s, cfg->wait_s, cfg->md5_target, cfg->compress, cfg->stop_and_wait,
		  cfg->chunk_size);
	if (!cfg->esp_host || !cfg->image_path) {
		log_msg(cfg->log, LOG_CRITICAL, "Not enough arguments."); /* espota.py's words */
		snprintf(r->message, sizeof(r->message),
			 "give the device with -i and the image with -f (see espota-c --help)");
		return fail(r, ESPOTA_ERR_USAGE);
	}
	err = espota_password_pick(cfg, &s->password, r->message, sizeof(r->message));
	return err == ESPOTA_OK ? ESPOTA_OK : fail(r, err);
}

/* Leg 1: the bytes to send, FILE.signed when there is one. */
static enum espota_error load_image(const struct espota_config *cfg, struct espota_result *r,
				    struct session *s)
{
	enum espota_error err;

	err = espota_image_load(cfg->image_path, cfg->compress, &s->img, r->message,
				sizeof(r->message));
	if (err != ESPOTA_OK)
		return fail(r, err);
	snprintf(r->file, sizeof(r->file), "%s", s->img.path);
	r->signed_substituted = s->img.signed_substituted;
	r->compressed = s->img.compressed;
	r->file_size = s->img.file_size;
	r->size = s->img.len;
	memcpy(r->md5, s->img.md5, sizeof(r->md5));
	if (s->img.signed_substituted) {
		log_info(cfg->notice, "Detected Signed Update. %s will be uploaded instead.",
			 s->img.path);
		log_info(cfg->log, "Detected Signed Update. %s will be uploaded instead.", s->img.path);
	}
	return ESPOTA_OK;
}

/* Leg 2: the device's address. */
static enum espota_error resolve_device(const struct espota_config *cfg, struct espota_result *r,
					struct session *s)
{
	snprintf(r->device_addr, sizeof(r->device_addr), "%s:%u", cfg->esp_host, cfg->esp_port);
	if (espota_resolve(cfg->esp_host, &s->dev, cfg->log, r->message, sizeof(r->message)) != 0)
		return fail(r, ESPOTA_ERR_RESOLVE);
	if (strcmp(cfg->esp_host, inet_ntoa(s->dev)) != 0)
		snprintf(r->device_addr, sizeof(r->device_addr), "%s:%u", inet_ntoa(s->dev),
			 cfg->esp_port);
	return ESPOTA_OK;
}

/* Leg 3: listen before inviting, since the device may connect back at once. */
static enum espota_error listen_host(const struct espota_config *cfg, struct espota_result *r,
				     struct session *s)
{
	uint16_t port = cfg->host_port;

	for (int tries = 0;; tries++) {
		log_info(cfg->log, "Starting on %s:%u", cfg->host_ip, port);
		s->listener = sock_tcp_listen(cfg->host_ip, port, 1);
		/* a default port that happens to be taken: draw another */
		if (s->listener >= 0 || errno != EADDRINUSE || !cfg->host_port_random || tries == 7)
			break;
		port = espota_random_host_port();
	}
	if (s->listener < 0) {
		snprintf(r->message, sizeof(r->message),
			 "cannot listen on TCP '%s:%u': %s: pick another port with -P (or another "
			 "address with -I)",
			 cfg->host_ip, port, strerror(errno));
		return fail(r, ESPOTA_ERR_LISTEN);
	}
	s->port = sock_local_port(s->listener);
	return ESPOTA_OK;
}

/* Leg 4: invitation and challenge over UDP. */
static enum espota_error invite_device(const struct espota_config *cfg, struct espota_result *r,
				       struct session *s)
{
	char invitation[ESPOTA_INVITE_MAX], *cnonce_text;
	int n, window_s = cfg->wait_s > cfg->timeout_s ? cfg->wait_s : cfg->timeout_s;
	enum espota_error err;

	log_info(cfg->log, "Upload size: %zu", s->img.len);
	n = espota_invite_format(cfg->command, s->port, s->img.len, s->img.md5, invitation,
				 sizeof(invitation));
	if (n < 0)
		return fail(r, ESPOTA_ERR_NOMEM);
	s->udp = open_udp(s->dev, cfg->esp_port, cfg->host_ip);
	if (s->udp < 0) {
		snprintf(r->message, sizeof(r->message), "cannot send the invitation to '%s': %s",
			 r->device_addr, strerror(errno));
		return fail(r, ESPOTA_ERR_UDP);
	}
	/* espota.py's cnonce uses -i as typed, not the resolved address */
	cnonce_text = espota_cnonce_text(s->img.path, s->img.len, s->img.md5, cfg->esp_host);
	if (!cnonce_text)
		return fail(r, ESPOTA_ERR_NOMEM);
	{
		struct handshake h = {
			.udp = s->udp,
			.invitation = invitation,
			.invitation_len = (size_t)n,
			.cnonce_text = cnonce_text,
			.password = s->password.value,
			.md5_target = cfg->md5_target,
			.window_ms = window_s * 1000,
			.log = cfg->log,
		};

		err = espota_handshake(&h, r);
	}
	free(cnonce_text);
	return err;
}

/* Legs 5 and 6: the device's connection back, then the stream. */
static enum espota_error send_image(const struct espota_config *cfg, struct espota_result *r,
				    struct session *s)
{
	struct progress prog;
	struct stream_opts so = {
		.stop_and_wait = cfg->stop_and_wait,
		.chunk_size = cfg->chunk_size,
		.progress = cfg->progress != PROGRESS_NONE && cfg->progress_out ? &prog : NULL,
		.log = cfg->log,
	};
	enum espota_error err;

	log_info(cfg->log, "Waiting for device...");
	s->conn = espota_accept(s->listener, ACCEPT_MS);
	if (s->conn < 0)
		return no_connect(r, s->dev, cfg->host_ip, s->port);
	if (so.progress)
		progress_start(&prog, cfg->progress_out, cfg->progress, s->img.len);
	err = espota_stream(s->conn, s->img.data, s->img.len, &so, r);
	if (err == ESPOTA_OK)
		log_info(cfg->log, "Result: OK");
	return err;
}

enum espota_error espota_upload(const struct espota_config *cfg, struct espota_result *r)
{
	static enum espota_error (*const legs[])(const struct espota_config *, struct espota_result *,
						  struct session *) = {
		check_config, load_image, resolve_device, listen_host, invite_device, send_image,
	};
	struct session s = { .password = { .value = "" }, .listener = -1, .udp = -1, .conn = -1 };
	uint64_t start = clock_us();
	enum espota_error err = ESPOTA_OK;

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < sizeof(legs) / sizeof(legs[0]) && err == ESPOTA_OK; i++)
		err = legs[i](cfg, r, &s);
	r->err = err;
	r->seconds = (double)(clock_us() - start) / 1e6;
	if (s.conn >= 0)
		close(s.conn);
	if (s.udp >= 0)
		close(s.udp);
	if (s.listener >= 0)
		close(s.listener);
	espota_image_free(&s.img);
	espota_secret_free(&s.password);
	return err;
}
