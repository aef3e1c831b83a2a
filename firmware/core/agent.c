/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "agent.h"

#include "fwmem.h"
#include "updater.h"

const char *agent_error_name(enum agent_error err)
{
	switch (err) {
	case AGENT_AUTH_ERROR:
		return "OTA_AUTH_ERROR";
	case AGENT_BEGIN_ERROR:
		return "OTA_BEGIN_ERROR";
	case AGENT_CONNECT_ERROR:
		return "OTA_CONNECT_ERROR";
	case AGENT_RECEIVE_ERROR:
		return "OTA_RECEIVE_ERROR";
	case AGENT_END_ERROR:
		return "OTA_END_ERROR";
	}
	return "OTA_UNKNOWN_ERROR";
}

const char *agent_state_name(enum agent_state s)
{
	switch (s) {
	case AGENT_STOPPED:
		return "stopped";
	case AGENT_IDLE:
		return "idle";
	case AGENT_WAITAUTH:
		return "wait-auth";
	case AGENT_RUNUPDATE:
		return "run-update";
	case AGENT_REFUSED:
		return "refused";
	case AGENT_ACCEPTED:
		return "accepted";
	case AGENT_CONNECTING:
		return "connecting";
	case AGENT_RECEIVING:
		return "receiving";
	case AGENT_FINISHING:
		return "finishing";
	case AGENT_CLOSING:
		return "closing";
	case AGENT_REBOOTING:
		return "rebooting";
	case AGENT_RESET:
		return "reset";
	}
	return "unknown";
}

/* Wrap-safe "now is at or past t" for the 32-bit millisecond clock. */
static bool due(uint32_t now, uint32_t t)
{
	return (int32_t)(now - t) >= 0;
}

static void lower_wait(uint32_t *wait_ms, uint32_t now, uint32_t t)
{
	uint32_t left = due(now, t) ? 0 : t - now;

	if (left < *wait_ms)
		*wait_ms = left;
}

static void report_error(struct agent *a, enum agent_error err)
{
	if (a->cb.on_error)
		a->cb.on_error(a->cb.ctx, err);
}

static void udp_reply(struct agent *a, const void *text, size_t len)
{
	/* A lost reply is the uploader's timeout to handle, as on the chip. */
	(void)hal_udp_send(a->hal, a->udp, a->reply_ip, a->reply_port, text, len);
}

static size_t format_u32(uint32_t v, char *out)
{
	char tmp[10];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* Queues text for the TCP peer; sent by flush_out as the socket allows. */
static void queue_out(struct agent *a, const char *text, size_t len)
{
	size_t room = sizeof(a->out) - a->out_len;

	if (len > room)
		len = room; /* only if the peer stopped reading acks entirely */
	fw_memcpy(a->out + a->out_len, text, len);
	a->out_len += len;
}

static void flush_out(struct agent *a)
{
	while (a->tcp_open && a->out_len > 0) {
		int n = hal_tcp_send(a->hal, a->tcp, a->out, a->out_len);

		if (n <= 0) {
			if (n != HAL_EAGAIN)
				a->out_len = 0; /* the peer is gone: nothing can reach it */
			return;
		}
		/* forward byte copy: safe for this overlapping move down */
		fw_memcpy(a->out, a->out + n, a->out_len - (size_t)n);
		a->out_len -= (size_t)n;
	}
}

static void close_tcp(struct agent *a)
{
	if (a->tcp_open)
		hal_sock_close(a->hal, a->tcp);
	a->tcp_open = false;
	a->out_len = 0;
}

/* The Updater's text for its current error, without the line end. */
static void keep_error_text(struct agent *a)
{
	size_t n = updater_error_text(a->updater, a->error_text, sizeof(a->error_text));

	while (n > 0 && (a->error_text[n - 1] == '\n' || a->error_text[n - 1] == '\r'))
		a->error_text[--n] = '\0';
}

static void go_idle(struct agent *a)
{
	close_tcp(a);
	if (updater_is_running(a->updater))
		updater_abort(a->updater);
	a->state = AGENT_IDLE;
}

/* ---- UDP: invitation and authentication ---- */

static void drain_udp(struct agent *a)
{
	uint32_t ip;
	uint16_t port;

	while (hal_udp_recv(a->hal, a->udp, a->io, sizeof(a->io), &ip, &port) >= 0)
		;
}

/* One datagram in IDLE. Returns true when the queue is to be drained. */
static bool on_invitation(struct agent *a, size_t len, uint32_t ip, uint16_t port)
{
	struct ota_invite inv;

	if (ota_parse_invite(a->io, len, &inv) != OTA_PARSE_OK)
		return false; /* silently ignored */
	a->invite = inv;
	a->ota_ip = ip;
	a->ota_udp_port = port;
	a->reply_ip = ip;
	a->reply_port = port;
	if (a->cfg.password_hash[0] != '\0') {
		char reply[5 + OTA_AUTH_HEX_MAX];
		size_t n = ota_auth_hex_len(a->cfg.scheme);

		if (ota_auth_nonce(a->hal, a->cfg.scheme, a->nonce) < 0)
			return false; /* no randomness: no challenge */
		fw_memcpy(reply, "AUTH ", 5);
		fw_memcpy(reply + 5, a->nonce, n);
		udp_reply(a, reply, 5 + n);
		a->state = AGENT_WAITAUTH;
		return false;
	}
	a->state = AGENT_RUNUPDATE;
	return true;
}

/* One datagram in WAITAUTH. Returns true when the queue is to be drained. */
static bool on_auth_reply(struct agent *a, size_t len, uint32_t ip, uint16_t port)
{
	static const char failed[] = "Authentication Failed";
	struct ota_auth_reply r;
	size_t n = ota_auth_hex_len(a->cfg.scheme);
	bool ok;

	if (ota_parse_auth(a->io, len, n, &r) != OTA_PARSE_OK) {
		a->state = AGENT_IDLE;
		return false;
	}
	/* esp8266 answers the invitation's port; arduino-esp32 (the SHA-256
	 * scheme's device) answers whoever sent the datagram, and its host
	 * sends the auth reply from a fresh socket. */
	if (a->cfg.scheme == OTA_AUTH_SHA256) {
		a->reply_ip = ip;
		a->reply_port = port;
	}
	ok = ota_auth_verify(a->cfg.scheme, a->cfg.password_hash,
			     fw_strlen(a->cfg.password_hash), a->nonce, r.cnonce, r.response,
			     r.response_len);
	fw_memset(&r, 0, sizeof(r));
	if (ok) {
		a->state = AGENT_RUNUPDATE;
	} else {
		udp_reply(a, failed, sizeof(failed) - 1);
		report_error(a, AGENT_AUTH_ERROR);
		a->state = AGENT_IDLE;
	}
	return true;
}

static void step_udp(struct agent *a)
{
	for (;;) {
		uint32_t ip;
		uint16_t port;
		int len;
		bool drain;

		if (a->state != AGENT_IDLE && a->state != AGENT_WAITAUTH) {
			/* Busy: the device drops whatever arrives meanwhile. */
			drain_udp(a);
			return;
		}
		len = hal_udp_recv(a->hal, a->udp, a->io, sizeof(a->io), &ip, &port);
		if (len < 0)
			return;
		if (a->state == AGENT_IDLE)
			drain = on_invitation(a, (size_t)len, ip, port);
		else
			drain = on_auth_reply(a, (size_t)len, ip, port);
		if (drain) {
			drain_udp(a);
			return;
		}
	}
}

/* ---- the update ---- */

static void run_update(struct agent *a, uint32_t now)
{
	a->error_text[0] = '\0';
	if (!updater_begin(a->updater, a->invite.size, a->invite.command)) {
		size_t n;

		keep_error_text(a);
		report_error(a, AGENT_BEGIN_ERROR);
		fw_memcpy(a->io, "ERR: ", 5);
		n = updater_error_text(a->updater, (char *)a->io + 5, sizeof(a->io) - 5);
		udp_reply(a, a->io, 5 + n);
		a->state = AGENT_REFUSED;
		a->deadline = now + AGENT_REPLY_PAUSE_MS;
		return;
	}
	udp_reply(a, "OK", 2);
	a->state = AGENT_ACCEPTED;
	a->deadline = now + AGENT_REPLY_PAUSE_MS;
}

/* As the core: a failed connect reports OTA_CONNECT_ERROR and then falls
 * through to end(), which fails (nothing written) with OTA_END_ERROR. */
static void connect_failed(struct agent *a)
{
	close_tcp(a);
	report_error(a, AGENT_CONNECT_ERROR);
	if (!updater_end(a->updater, false)) {
		keep_error_text(a);
		report_error(a, AGENT_END_ERROR);
	}
	go_idle(a);
}

static void start_connect(struct agent *a, uint32_t now)
{
	(void)updater_set_md5(a->updater, a->invite.md5, OTA_MD5_HEX);
	if (a->cb.on_start)
		a->cb.on_start(a->cb.ctx);
	if (a->cb.on_progress)
		a->cb.on_progress(a->cb.ctx, 0, a->invite.size);
	a->received = 0;
	if (hal_tcp_connect(a->hal, a->ota_ip, a->invite.host_port, &a->tcp) < 0) {
		connect_failed(a);
		return;
	}
	a->tcp_open = true;
	a->state = AGENT_CONNECTING;
	a->deadline = now + AGENT_CONNECT_TIMEOUT_MS;
}

static void finish_update(struct agent *a, uint32_t now)
{
	flush_out(a);
	if (updater_end(a->updater, false)) {
		a->state = AGENT_FINISHING;
		a->deadline = now + AGENT_FINAL_PAUSE_MS;
		return;
	}
	keep_error_text(a);
	report_error(a, AGENT_END_ERROR);
	queue_out(a, (const char *)a->io,
		  updater_error_text(a->updater, (char *)a->io, sizeof(a->io)));
	flush_out(a);
	go_idle(a);
}

/* The Updater's stream timeout: what its write(Stream) does after
 * stream_timeout_ms without a byte, then end() fails with that error. */
static void stream_timeout(struct agent *a)
{
	static const char prefix[] = "ERROR[";
	const char *text = updater_strerror(UPDATE_ERROR_STREAM);
	size_t n = 0, tl = fw_strlen(text);

	fw_memcpy(a->error_text, prefix, sizeof(prefix) - 1);
	n = sizeof(prefix) - 1;
	n += format_u32(UPDATE_ERROR_STREAM, a->error_text + n);
	fw_memcpy(a->error_text + n, "]: ", 3);
	n += 3;
	if (tl > sizeof(a->error_text) - n - 2)
		tl = sizeof(a->error_text) - n - 2;
	fw_memcpy(a->error_text + n, text, tl);
	n += tl;
	a->error_text[n] = '\0';
	report_error(a, AGENT_END_ERROR);
	queue_out(a, a->error_text, n);
	queue_out(a, "\n", 1);
	flush_out(a);
	go_idle(a);
}

static void step_receive(struct agent *a, uint32_t now)
{
	/* A few reads per step, so other services get their turn. */
	for (int i = 0; i < 8; i++) {
		uint32_t remaining = updater_remaining(a->updater);
		size_t want = remaining < sizeof(a->io) ? remaining : sizeof(a->io);
		int n;

		if (!updater_is_running(a->updater) || want == 0) {
			finish_update(a, now);
			return;
		}
		n = hal_tcp_recv(a->hal, a->tcp, a->io, want);
		if (n == HAL_EAGAIN)
			break;
		if (n <= 0) {
			/* The uploader went away: end() decides what that means. */
			finish_update(a, now);
			return;
		}
		size_t written = updater_write(a->updater, a->io, (size_t)n);
		a->last_data = now;
		a->next_report = now + AGENT_STALL_REPORT_MS;
		if (written > 0) {
			char digits[10];

			queue_out(a, digits, format_u32((uint32_t)written, digits));
			a->received += (uint32_t)written;
			if (a->cb.on_progress)
				a->cb.on_progress(a->cb.ctx, a->received, a->invite.size);
		}
		flush_out(a);
	}
	if (!updater_is_running(a->updater) || updater_remaining(a->updater) == 0) {
		finish_update(a, now);
		return;
	}
	flush_out(a);
	if (due(now, a->last_data + a->cfg.stream_timeout_ms)) {
		stream_timeout(a);
		return;
	}
	if (due(now, a->next_report)) {
		report_error(a, AGENT_RECEIVE_ERROR);
		a->next_report = now + AGENT_STALL_REPORT_MS;
	}
}

/* ---- the public side ---- */

int agent_begin(struct agent *a, struct hal *h, struct updater *u, const struct agent_config *cfg,
		const struct agent_callbacks *cb)
{
	int rc;

	fw_memset(a, 0, sizeof(*a));
	a->hal = h;
	a->updater = u;
	a->cfg = *cfg;
	a->cfg.password_hash[OTA_AUTH_STORED_MAX] = '\0';
	if (a->cfg.stream_timeout_ms == 0)
		a->cfg.stream_timeout_ms = AGENT_STREAM_TIMEOUT_MS;
	if (cb)
		a->cb = *cb;
	rc = hal_udp_open(h, cfg->bind_ip, cfg->port, &a->udp);
	if (rc < 0)
		return rc;
	a->udp_open = true;
	a->udp_port = hal_sock_port(h, a->udp);
	a->state = AGENT_IDLE;
	return 0;
}

void agent_stop(struct agent *a)
{
	if (a->state == AGENT_STOPPED)
		return;
	close_tcp(a);
	if (updater_is_running(a->updater))
		updater_abort(a->updater);
	if (a->udp_open)
		hal_sock_close(a->hal, a->udp);
	a->udp_open = false;
	a->state = AGENT_STOPPED;
}

size_t agent_poll_set(struct agent *a, struct hal_pollset *set, size_t cap, uint32_t now,
		      uint32_t *wait_ms)
{
	size_t n = 0;

	if (a->udp_open && n < cap) {
		set[n].sock = a->udp;
		set[n].events = HAL_POLL_IN;
		set[n].revents = 0;
		n++;
	}
	if (a->tcp_open && n < cap) {
		unsigned ev = 0;

		if (a->state == AGENT_CONNECTING)
			ev = HAL_POLL_OUT;
		else if (a->state == AGENT_RECEIVING)
			ev = HAL_POLL_IN;
		if (a->out_len > 0)
			ev |= HAL_POLL_OUT;
		if (ev) {
			set[n].sock = a->tcp;
			set[n].events = ev;
			set[n].revents = 0;
			n++;
		}
	}
	switch (a->state) {
	case AGENT_RUNUPDATE:
		*wait_ms = 0;
		break;
	case AGENT_RECEIVING:
		lower_wait(wait_ms, now, a->next_report);
		lower_wait(wait_ms, now, a->last_data + a->cfg.stream_timeout_ms);
		break;
	case AGENT_REFUSED:
	case AGENT_ACCEPTED:
	case AGENT_CONNECTING:
	case AGENT_FINISHING:
	case AGENT_CLOSING:
	case AGENT_REBOOTING:
		lower_wait(wait_ms, now, a->deadline);
		break;
	case AGENT_STOPPED:
	case AGENT_IDLE:
	case AGENT_WAITAUTH:
	case AGENT_RESET:
		break;
	}
	return n;
}

static unsigned revents_of(const struct agent *a, const struct hal_pollset *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a->tcp_open && set[i].sock == a->tcp)
			return set[i].revents;
	return 0;
}

void agent_step(struct agent *a, const struct hal_pollset *set, size_t n, uint32_t now)
{
	unsigned tcp_ev = revents_of(a, set, n);

	if (a->state == AGENT_STOPPED || a->state == AGENT_RESET)
		return;
	step_udp(a);
	switch (a->state) {
	case AGENT_RUNUPDATE:
		run_update(a, now);
		break;
	case AGENT_REFUSED:
		if (due(now, a->deadline))
			a->state = AGENT_IDLE;
		break;
	case AGENT_ACCEPTED:
		if (due(now, a->deadline))
			start_connect(a, now);
		break;
	case AGENT_CONNECTING:
		if (tcp_ev & HAL_POLL_ERR) {
			connect_failed(a);
		} else if (tcp_ev & HAL_POLL_OUT) {
			a->state = AGENT_RECEIVING;
			a->last_data = now;
			a->next_report = now + AGENT_STALL_REPORT_MS;
			step_receive(a, now);
		} else if (due(now, a->deadline)) {
			connect_failed(a);
		}
		break;
	case AGENT_RECEIVING:
		step_receive(a, now);
		break;
	case AGENT_FINISHING:
		flush_out(a);
		if (due(now, a->deadline)) {
			queue_out(a, "OK", 2);
			flush_out(a);
			a->state = AGENT_CLOSING;
			a->deadline = now + AGENT_FINAL_PAUSE_MS;
		}
		break;
	case AGENT_CLOSING:
		flush_out(a);
		if (due(now, a->deadline)) {
			close_tcp(a);
			if (a->cb.on_end)
				a->cb.on_end(a->cb.ctx);
			if (a->cfg.reboot_on_success) {
				a->state = AGENT_REBOOTING;
				a->deadline = now + AGENT_REBOOT_PAUSE_MS;
			} else {
				a->state = AGENT_IDLE;
			}
		}
		break;
	case AGENT_REBOOTING:
		if (due(now, a->deadline)) {
			hal_request_reset(a->hal);
			a->state = AGENT_RESET;
		}
		break;
	case AGENT_STOPPED:
	case AGENT_IDLE:
	case AGENT_WAITAUTH:
	case AGENT_RESET:
		break;
	}
}

enum agent_state agent_get_state(const struct agent *a)
{
	return a->state;
}

uint16_t agent_port(const struct agent *a)
{
	return a->udp_port;
}

const char *agent_error_text(const struct agent *a)
{
	return a->error_text;
}
