/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One upload, leg by leg: image, listener, invitation and auth, the
 * device's connect-back, the stream. Each leg names itself on failure. */
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

static enum espota_error run(const struct espota_config *cfg, struct espota_result *r,
			     struct espota_image *img, int *listener, int *udp, int *conn)
{
	struct in_addr dev;
	char invitation[ESPOTA_INVITE_MAX], *cnonce_text;
	uint16_t port;
	int n, window_s;
	enum espota_error err;

	err = espota_image_load(cfg->image_path, cfg->compress, img, r->message, sizeof(r->message));
	if (err != ESPOTA_OK)
		return fail(r, err);
	snprintf(r->file, sizeof(r->file), "%s", img->path);
	r->signed_substituted = img->signed_substituted;
	r->compressed = img->compressed;
	r->file_size = img->file_size;
	r->size = img->len;
	memcpy(r->md5, img->md5, sizeof(r->md5));
	if (img->signed_substituted) {
		fprintf(stderr, "Detected Signed Update. %s will be uploaded instead.\n", img->path);
		log_info(cfg->log, "Detected Signed Update. %s will be uploaded instead.", img->path);
	}

	snprintf(r->device_addr, sizeof(r->device_addr), "%s:%u", cfg->esp_host, cfg->esp_port);
	if (espota_resolve(cfg->esp_host, &dev, cfg->log, r->message, sizeof(r->message)) != 0)
		return fail(r, ESPOTA_ERR_RESOLVE);
	if (strcmp(cfg->esp_host, inet_ntoa(dev)) != 0)
		snprintf(r->device_addr, sizeof(r->device_addr), "%s:%u", inet_ntoa(dev), cfg->esp_port);

	/* listen before inviting: the device may connect back at once */
	port = cfg->host_port;
	for (int tries = 0;; tries++) {
		log_info(cfg->log, "Starting on %s:%u", cfg->host_ip, port);
		*listener = sock_tcp_listen(cfg->host_ip, port, 1);
		/* a default port that happens to be taken: draw another */
		if (*listener >= 0 || errno != EADDRINUSE || !cfg->host_port_random || tries == 7)
			break;
		port = espota_random_host_port();
	}
	if (*listener < 0) {
		snprintf(r->message, sizeof(r->message),
			 "cannot listen on TCP '%s:%u': %s: pick another port with -P (or another "
			 "address with -I)",
			 cfg->host_ip, port, strerror(errno));
		return fail(r, ESPOTA_ERR_LISTEN);
	}
	port = sock_local_port(*listener);
	log_info(cfg->log, "Upload size: %zu", img->len);

	n = espota_invite_format(cfg->command, port, img->len, img->md5, invitation, sizeof(invitation));
	cnonce_text = espota_cnonce_text(img->path, img->len, img->md5, cfg->esp_host);
	if (n < 0 || !cnonce_text) {
		free(cnonce_text);
		return fail(r, ESPOTA_ERR_NOMEM);
	}
	*udp = open_udp(dev, cfg->esp_port, cfg->host_ip);
	if (*udp < 0) {
		free(cnonce_text);
		snprintf(r->message, sizeof(r->message), "cannot send the invitation to '%s': %s",
			 r->device_addr, strerror(errno));
		return fail(r, ESPOTA_ERR_UDP);
	}
	window_s = cfg->wait_s > cfg->timeout_s ? cfg->wait_s : cfg->timeout_s;
	{
		struct handshake h = {
			.udp = *udp,
			.invitation = invitation,
			.invitation_len = (size_t)n,
			.cnonce_text = cnonce_text,
			.password = cfg->password ? cfg->password : "",
			.md5_target = cfg->md5_target,
			.window_ms = window_s * 1000,
			.log = cfg->log,
		};

		err = espota_handshake(&h, r);
	}
	free(cnonce_text);
	if (err != ESPOTA_OK)
		return err;

	log_info(cfg->log, "Waiting for device...");
	*conn = espota_accept(*listener, ACCEPT_MS);
	if (*conn < 0)
		return no_connect(r, dev, cfg->host_ip, port);
	{
		struct progress prog;
		struct stream_opts so = {
			.stop_and_wait = cfg->stop_and_wait,
			.chunk_size = cfg->chunk_size,
			.progress = cfg->progress != PROGRESS_NONE ? &prog : NULL,
			.log = cfg->log,
		};

		if (so.progress)
			progress_start(&prog, cfg->progress_out ? cfg->progress_out : stderr, cfg->progress,
				       img->len);
		err = espota_stream(*conn, img->data, img->len, &so, r);
	}
	if (err == ESPOTA_OK)
		log_info(cfg->log, "Result: OK");
	return err;
}

enum espota_error espota_upload(const struct espota_config *cfg, struct espota_result *r)
{
	struct espota_image img = { 0 };
	int listener = -1, udp = -1, conn = -1;
	uint64_t start = clock_us();
	enum espota_error err;

	memset(r, 0, sizeof(*r));
	err = run(cfg, r, &img, &listener, &udp, &conn);
	r->err = err;
	r->seconds = (double)(clock_us() - start) / 1e6;
	if (conn >= 0)
		close(conn);
	if (udp >= 0)
		close(udp);
	if (listener >= 0)
		close(listener);
	espota_image_free(&img);
	return err;
}
