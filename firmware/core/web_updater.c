/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "web_updater.h"

#include "fwmem.h"
#include "ota_auth.h"
#include "updater.h"

#define DEFAULT_PATH "/update"
#define SUCCESS_TEXT "<META http-equiv=\"refresh\" content=\"15;URL=/\">Update Success! Rebooting..."
#define CORS_HEADERS "Access-Control-Allow-Headers: *\r\nAccess-Control-Allow-Origin: *\r\n"

/* The upload page: upstream's two forms (field names, buttons, accepted
 * files), in our own markup. */
static const char page[] =
	"<!DOCTYPE html>\n"
	"<html><head><meta charset=\"utf-8\"><title>Update</title></head><body>\n"
	"<form method='POST' action='' enctype='multipart/form-data'>Firmware:<br>\n"
	"<input type='file' accept='.bin,.bin.gz' name='firmware'>\n"
	"<input type='submit' value='Update Firmware'></form><br>\n"
	"<form method='POST' action='' enctype='multipart/form-data'>FileSystem:<br>\n"
	"<input type='file' accept='.bin,.bin.gz' name='filesystem'>\n"
	"<input type='submit' value='Update FileSystem'></form>\n"
	"</body></html>\n";

static bool due(uint32_t now, uint32_t t)
{
	return (int32_t)(now - t) >= 0;
}

/* A bounded text builder: what does not fit is dropped, and ok says so. */
struct text {
	char *p;
	size_t cap, len;
	bool ok;
};

static void put(struct text *t, const char *s)
{
	size_t n = fw_strlen(s);

	if (t->len + n >= t->cap) {
		t->ok = false;
		return;
	}
	fw_memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void put_u32(struct text *t, uint32_t v)
{
	char d[11];
	size_t i = sizeof(d) - 1;

	d[i] = '\0';
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(t, d + i);
}

static const char *status_text(uint16_t status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 417: return "Expectation Failed";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 505: return "HTTP Version Not Supported";
	}
	return "Error";
}

/* Queues the whole answer: status line, headers, body (payload, len bytes,
 * which must outlive the send). Every answer closes the connection. */
static void answer(struct web_conn *c, uint16_t status, const char *ctype, const char *extra,
		   const char *payload, size_t len, bool head_only)
{
	struct text t = { c->head, sizeof(c->head), 0, true };

	c->head[0] = '\0';
	put(&t, "HTTP/1.1 ");
	put_u32(&t, status);
	put(&t, " ");
	put(&t, status_text(status));
	put(&t, "\r\nContent-Type: ");
	put(&t, ctype);
	put(&t, "\r\nContent-Length: ");
	put_u32(&t, (uint32_t)len);
	put(&t, "\r\n");
	if (extra)
		put(&t, extra);
	put(&t, "Connection: close\r\n\r\n");
	c->head_len = t.len;
	c->payload = head_only ? "" : payload;
	c->payload_len = head_only ? 0 : len;
	c->sent = 0;
	c->state = WEB_CONN_SEND;
}

/* A short text answer held in c->text. */
static void answer_text(struct web_conn *c, uint16_t status, const char *extra, const char *a,
			const char *b)
{
	struct text t = { c->text, sizeof(c->text), 0, true };

	c->text[0] = '\0';
	put(&t, a);
	if (b)
		put(&t, b);
	answer(c, status, "text/plain", extra, c->text, t.len, false);
}

static void close_conn(struct web_updater *w, struct web_conn *c)
{
	if (c->uploading && updater_is_running(w->updater))
		updater_abort(w->updater); /* nothing scheduled: the running image stays */
	if (c->state != WEB_CONN_FREE)
		hal_sock_close(w->hal, c->sock);
	c->state = WEB_CONN_FREE;
	c->uploading = false;
}

/* The Updater's refusal: 413 for space, 500 for a flash fault, else 400,
 * with upstream's text. */
static void answer_update_error(struct web_updater *w, struct web_conn *c)
{
	char err[UPDATER_ERROR_TEXT_MAX];
	enum updater_error e = updater_error(w->updater);
	uint16_t status = 400;

	if (e == UPDATE_ERROR_SPACE)
		status = 413;
	else if (e == UPDATE_ERROR_WRITE || e == UPDATE_ERROR_ERASE || e == UPDATE_ERROR_READ)
		status = 500;
	updater_error_text(w->updater, err, sizeof(err));
	if (c->uploading && updater_is_running(w->updater))
		updater_abort(w->updater);
	c->uploading = false;
	if (w->cfg.on_end)
		w->cfg.on_end(w->cfg.ctx, false, err);
	answer_text(c, status, CORS_HEADERS, "Update error: ", err);
}

static bool start_update(struct web_updater *w, struct web_conn *c, bool filesystem)
{
	c->uploading = true;
	if (!updater_begin(w->updater, c->req.content_length,
			   filesystem ? UPDATE_CMD_FS : UPDATE_CMD_FLASH)) {
		c->failed = true;
		return false;
	}
	if (w->cfg.on_start)
		w->cfg.on_start(w->cfg.ctx, filesystem);
	return true;
}

static bool write_update(struct web_updater *w, struct web_conn *c, const uint8_t *d, size_t n)
{
	if (updater_write(w->updater, d, n) != n) {
		c->failed = true;
		return false;
	}
	return true;
}

/* The multipart sink: the first file part goes to the Updater. */
static int part_begin(void *ctx, const struct multipart_part *p)
{
	struct web_updater *w = ctx;
	struct web_conn *c = w->sink_conn;

	if (!p->has_filename || c->file_started)
		return 0;
	c->file_started = true;
	c->in_file = true;
	return start_update(w, c, fw_strlen(p->name) == 10 && fw_memcmp(p->name, "filesystem", 10) == 0)
		       ? 0
		       : 1;
}

static int part_data(void *ctx, const uint8_t *d, size_t n)
{
	struct web_updater *w = ctx;
	struct web_conn *c = w->sink_conn;

	return c->in_file && !write_update(w, c, d, n) ? 1 : 0;
}

static int part_end(void *ctx)
{
	struct web_updater *w = ctx;

	w->sink_conn->in_file = false;
	return 0;
}

static bool is_path(const struct web_updater *w, const char *path)
{
	size_t n = fw_strlen(w->cfg.path);

	return fw_strlen(path) == n && fw_memcmp(path, w->cfg.path, n) == 0;
}

static void answer_info(struct web_updater *w, struct web_conn *c, bool head_only)
{
	struct web_info in;
	struct text t = { c->text, sizeof(c->text), 0, true };

	fw_memset(&in, 0, sizeof(in));
	if (w->cfg.info)
		w->cfg.info(w->cfg.ctx, &in);
	for (char *p = in.version; *p; p++)
		if (*p < 0x20 || *p == '"' || *p == '\\')
			*p = '?'; /* a JSON string without escapes */
	in.app_md5[32] = '\0';
	put(&t, "{\"chip_id\":");
	put_u32(&t, in.chip_id);
	put(&t, ",\"flash_size\":");
	put_u32(&t, in.flash_size);
	put(&t, ",\"free_sketch_space\":");
	put_u32(&t, in.free_sketch_space);
	put(&t, ",\"app_size\":");
	put_u32(&t, in.app_size);
	put(&t, ",\"app_md5\":\"");
	put(&t, in.app_md5);
	put(&t, "\",\"version\":\"");
	put(&t, in.version);
	put(&t, "\",\"uptime_ms\":");
	put_u32(&t, hal_millis(w->hal));
	put(&t, "}\n");
	answer(c, 200, "application/json", NULL, c->text, t.len, head_only);
}

/* A POST to the upload path, its headers read and the login passed. */
static void route_upload(struct web_updater *w, struct web_conn *c)
{
	const struct http_request *r = &c->req;
	char mode[16], boundary[MULTIPART_BOUNDARY_MAX + 1];

	if (!r->has_length || r->content_length == 0) {
		answer_text(c, 411, CORS_HEADERS, "Update error: send the image with a Content-Length",
			    NULL);
		return;
	}
	for (size_t i = 0; i < WEB_CONNS; i++) {
		if (w->conn[i].uploading || updater_is_running(w->updater)) {
			answer_text(c, 409, CORS_HEADERS,
				    "Update error: another upload is running: try again when it is done",
				    NULL);
			return;
		}
	}
	if (http_query_param(r->query, "mode", mode, sizeof(mode))) {
		bool fs = fw_strlen(mode) == 10 && fw_memcmp(mode, "filesystem", 10) == 0;

		if (!fs && !(fw_strlen(mode) == 8 && fw_memcmp(mode, "firmware", 8) == 0)) {
			answer_text(c, 400, CORS_HEADERS,
				    "Update error: mode must be firmware or filesystem", NULL);
			return;
		}
		if (!http_token_eq(r->content_type, "application/octet-stream")) {
			answer_text(c, 415, CORS_HEADERS,
				    "Update error: a raw upload is sent as application/octet-stream",
				    NULL);
			return;
		}
		if (!start_update(w, c, fs) ||
		    (r->x_md5[0] && !updater_set_md5(w->updater, r->x_md5, 32))) {
			answer_update_error(w, c);
			return;
		}
		c->check_sha256 = r->x_sha256[0] != '\0';
		sha256_init(&c->sha);
		c->body = WEB_BODY_RAW;
	} else {
		if (!multipart_boundary(r->content_type, boundary, sizeof(boundary))) {
			answer_text(c, 415, CORS_HEADERS, "Update error: ",
				    multipart_strerror(MULTIPART_ERR_BOUNDARY));
			return;
		}
		w->sink = (struct multipart_sink){ w, part_begin, part_data, part_end };
		multipart_init(&c->mp, boundary, &w->sink);
		c->body = WEB_BODY_MULTIPART;
	}
	c->state = WEB_CONN_BODY;
	c->deadline = hal_millis(w->hal) +
		      (w->cfg.stream_timeout_ms ? w->cfg.stream_timeout_ms : WEB_STREAM_TIMEOUT_MS);
	if (r->expect_continue) {
		static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

		/* a fresh connection's send buffer always has room for it */
		(void)hal_tcp_send(w->hal, c->sock, cont, sizeof(cont) - 1);
	}
}

/* The request head is complete: answer it, or start reading its body. */
static void route(struct web_updater *w, struct web_conn *c)
{
	const struct http_request *r = &c->req;
	bool head_only = r->method == HTTP_METHOD_HEAD;
	bool get = r->method == HTTP_METHOD_GET || head_only;
	bool info = fw_strlen(r->path) == 5 && fw_memcmp(r->path, "/info", 5) == 0;
	char uri[HTTP_PATH_MAX + HTTP_QUERY_MAX + 2];
	struct text t = { uri, sizeof(uri), 0, true };

	c->body_left = r->has_length ? r->content_length : 0;
	c->body = c->body_left ? WEB_BODY_DISCARD : WEB_BODY_NONE;
	if (!is_path(w, r->path) && !info) {
		answer_text(c, 404, NULL, "Not found: ", r->path);
		return;
	}
	if (r->method == HTTP_METHOD_OPTIONS) {
		answer(c, 200, "text/html", CORS_HEADERS, "y", 1, false);
		return;
	}
	put(&t, r->path);
	if (r->query[0]) {
		put(&t, "?");
		put(&t, r->query);
	}
	if (!http_auth_check(&w->auth, r->authorization, r->method_text, uri)) {
		char challenge[256];

		http_auth_renew(&w->auth, w->hal);
		http_auth_challenge(&w->auth, challenge, sizeof(challenge));
		fw_memcpy(c->text, challenge, fw_strlen(challenge) + 1);
		answer(c, 401, "text/html", c->text, "", 0, false);
		return;
	}
	if (info && get)
		answer_info(w, c, head_only);
	else if (get)
		answer(c, 200, "text/html", NULL, page, sizeof(page) - 1, head_only);
	else if (r->method == HTTP_METHOD_POST && !info)
		route_upload(w, c);
	else
		answer_text(c, 405, "Allow: GET, HEAD, POST, OPTIONS\r\n", "Method Not Allowed", NULL);
}

/* A refusal of the upload that is not the Updater's own: the staged
 * bytes are dropped, nothing is scheduled. */
static void refuse_upload(struct web_updater *w, struct web_conn *c, const char *a, const char *b)
{
	if (c->uploading && updater_is_running(w->updater))
		updater_abort(w->updater);
	c->uploading = false;
	answer_text(c, 400, CORS_HEADERS, a, b);
}

/* True when the body's SHA-256 is the one X-SHA256 named (any hex case);
 * hex gets the calculated one. */
static bool sha256_matches(struct web_conn *c, char hex[2 * SHA256_SIZE + 1])
{
	uint8_t sum[SHA256_SIZE];
	bool same = true;

	sha256_out(&c->sha, sum);
	ota_hex_lower(sum, sizeof(sum), hex);
	for (size_t i = 0; i < 2 * SHA256_SIZE; i++) {
		char x = c->req.x_sha256[i];

		if (fw_ascii_lower(x) != hex[i])
			same = false;
	}
	return same;
}

/* The whole body is in: end the update and say how it went. */
static void finish_upload(struct web_updater *w, struct web_conn *c)
{
	char hex[2 * SHA256_SIZE + 1];

	if (c->body == WEB_BODY_MULTIPART && !c->failed) {
		enum multipart_error e = multipart_finish(&c->mp);

		if (e != MULTIPART_OK) {
			refuse_upload(w, c, "Update error: ", multipart_strerror(e));
			return;
		}
		if (!c->file_started) {
			refuse_upload(w, c, "Update error: no file in the upload", NULL);
			return;
		}
	}
	if (c->failed) {
		answer_update_error(w, c);
		return;
	}
	if (c->check_sha256 && !sha256_matches(c, hex)) {
		refuse_upload(w, c, "Update error: SHA-256 verification failed: calculated: ", hex);
		return;
	}
	if (!updater_end(w->updater, true)) {
		answer_update_error(w, c);
		return;
	}
	c->uploading = false;
	c->reboot_after = true;
	if (w->cfg.on_end)
		w->cfg.on_end(w->cfg.ctx, true, "");
	answer(c, 200, "text/html", CORS_HEADERS, SUCCESS_TEXT, sizeof(SUCCESS_TEXT) - 1, false);
}

/* Body bytes: into the multipart reader or the Updater, or dropped. */
static void take_body(struct web_updater *w, struct web_conn *c, const uint8_t *d, size_t n)
{
	if (c->body == WEB_BODY_MULTIPART && c->mp.state == MULTIPART_MORE && !c->failed) {
		w->sink_conn = c;
		(void)multipart_feed(&c->mp, d, n);
	} else if (c->body == WEB_BODY_RAW && !c->failed) {
		if (write_update(w, c, d, n) && c->check_sha256)
			sha256_update(&c->sha, d, n);
	}
}

/* Bytes that arrived on c, in order. */
static void take(struct web_updater *w, struct web_conn *c, const uint8_t *d, size_t n, uint32_t now)
{
	while (n > 0) {
		if (c->state == WEB_CONN_HEAD) {
			size_t used = http_request_feed(&c->req, d, n);

			d += used;
			n -= used;
			if (c->req.state == HTTP_REQ_ERROR) {
				answer_text(c, c->req.status, NULL, "Bad request: ", c->req.reason);
				c->body_left = 0;
			} else if (c->req.state == HTTP_REQ_DONE) {
				route(w, c);
			}
			continue;
		}
		if (c->body_left == 0)
			return; /* past the body: nothing more is read from this request */
		{
			size_t use = n < c->body_left ? n : c->body_left;

			if (c->state == WEB_CONN_BODY)
				take_body(w, c, d, use);
			c->body_left -= (uint32_t)use;
			d += use;
			n -= use;
		}
		if (c->body_left == 0 && c->state == WEB_CONN_BODY)
			finish_upload(w, c);
	}
	(void)now;
}

static void receive(struct web_updater *w, struct web_conn *c, uint32_t now)
{
	for (;;) {
		int got = hal_tcp_recv(w->hal, c->sock, w->io, sizeof(w->io));

		if (got == HAL_EAGAIN)
			return;
		if (got <= 0) {
			close_conn(w, c); /* a client that went away: the running image stays */
			return;
		}
		if (c->state == WEB_CONN_HEAD || c->state == WEB_CONN_BODY) {
			enum web_conn_state before = c->state;

			take(w, c, w->io, (size_t)got, now);
			if (before == WEB_CONN_BODY || c->state == WEB_CONN_BODY)
				c->deadline = now + (w->cfg.stream_timeout_ms ? w->cfg.stream_timeout_ms
									     : WEB_STREAM_TIMEOUT_MS);
		}
		if (c->state == WEB_CONN_SEND)
			return; /* answer first; the rest waits in the socket */
	}
}

static void transmit(struct web_updater *w, struct web_conn *c, uint32_t now)
{
	while (c->sent < c->head_len + c->payload_len) {
		const char *p = c->sent < c->head_len ? c->head + c->sent
						      : c->payload + (c->sent - c->head_len);
		size_t n = c->sent < c->head_len ? c->head_len - c->sent
						 : c->payload_len - (c->sent - c->head_len);
		int rc = hal_tcp_send(w->hal, c->sock, p, n);

		if (rc == HAL_EAGAIN)
			return;
		if (rc <= 0) {
			close_conn(w, c);
			return;
		}
		c->sent += (size_t)rc;
		c->deadline = now + WEB_HEAD_TIMEOUT_MS;
	}
	if (c->reboot_after) {
		w->reboot_pending = true;
		w->reboot_at = now + WEB_REBOOT_PAUSE_MS;
	}
	/* what the client may still send (an early answer) is read and
	 * dropped for a moment, so closing does not reset the connection
	 * before the client has read the answer */
	c->state = WEB_CONN_DRAIN;
	c->deadline = now + WEB_DRAIN_MS;
}

static void drain(struct web_updater *w, struct web_conn *c)
{
	for (;;) {
		int got = hal_tcp_recv(w->hal, c->sock, w->io, sizeof(w->io));

		if (got == HAL_EAGAIN)
			return;
		if (got <= 0) {
			close_conn(w, c);
			return;
		}
	}
}

int web_begin(struct web_updater *w, struct hal *h, struct updater *u, const struct web_config *cfg)
{
	int rc;

	fw_memset(w, 0, sizeof(*w));
	w->hal = h;
	w->updater = u;
	w->cfg = *cfg;
	if (!w->cfg.path[0])
		fw_memcpy(w->cfg.path, DEFAULT_PATH, sizeof(DEFAULT_PATH));
	if (!http_auth_init(&w->auth, h, cfg->user ? cfg->user : "", cfg->password ? cfg->password : ""))
		return HAL_ERANGE;
	w->cfg.password = NULL; /* kept only in the login state */
	rc = hal_tcp_listen(h, cfg->bind_ip, cfg->port, &w->listener);
	if (rc != HAL_OK)
		return rc;
	w->listening = true;
	w->port = hal_sock_port(h, w->listener);
	return 0;
}

void web_stop(struct web_updater *w)
{
	for (size_t i = 0; i < WEB_CONNS; i++)
		close_conn(w, &w->conn[i]);
	if (w->listening)
		hal_sock_close(w->hal, w->listener);
	w->listening = false;
	fw_memset(&w->auth, 0, sizeof(w->auth));
}

uint16_t web_port(const struct web_updater *w)
{
	return w->port;
}

bool web_busy(const struct web_updater *w)
{
	for (size_t i = 0; i < WEB_CONNS; i++)
		if (w->conn[i].uploading)
			return true;
	return false;
}

size_t web_poll_set(struct web_updater *w, struct hal_pollset *set, size_t cap, uint32_t now,
		    uint32_t *wait_ms)
{
	size_t n = 0;

	if (!w->listening)
		return 0;
	if (w->reboot_pending) {
		uint32_t left = due(now, w->reboot_at) ? 0 : w->reboot_at - now;

		if (left < *wait_ms)
			*wait_ms = left;
	}
	if (n < cap)
		set[n++] = (struct hal_pollset){ w->listener, HAL_POLL_IN, 0 };
	for (size_t i = 0; i < WEB_CONNS && n < cap; i++) {
		struct web_conn *c = &w->conn[i];
		uint32_t left;

		if (c->state == WEB_CONN_FREE)
			continue;
		set[n++] = (struct hal_pollset){ c->sock,
						 c->state == WEB_CONN_SEND ? HAL_POLL_OUT : HAL_POLL_IN, 0 };
		left = due(now, c->deadline) ? 0 : c->deadline - now;
		if (left < *wait_ms)
			*wait_ms = left;
	}
	return n;
}

static unsigned revents_of(hal_sock s, const struct hal_pollset *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set[i].sock == s)
			return set[i].revents;
	return 0;
}

static void accept_new(struct web_updater *w, uint32_t now)
{
	for (;;) {
		struct web_conn *c = NULL;
		hal_sock s;

		if (hal_tcp_accept(w->hal, w->listener, &s, NULL) != HAL_OK)
			return;
		for (size_t i = 0; i < WEB_CONNS && !c; i++)
			if (w->conn[i].state == WEB_CONN_FREE)
				c = &w->conn[i];
		if (!c) {
			hal_sock_close(w->hal, s); /* as lwIP with every PCB in use */
			continue;
		}
		fw_memset(c, 0, sizeof(*c));
		c->sock = s;
		c->state = WEB_CONN_HEAD;
		c->deadline = now + WEB_HEAD_TIMEOUT_MS;
		http_request_init(&c->req);
	}
}

void web_step(struct web_updater *w, const struct hal_pollset *set, size_t n, uint32_t now)
{
	if (!w->listening)
		return;
	if (w->reboot_pending && due(now, w->reboot_at)) {
		w->reboot_pending = false;
		web_stop(w);
		hal_request_reset(w->hal);
		return;
	}
	if (revents_of(w->listener, set, n) & HAL_POLL_IN)
		accept_new(w, now);
	for (size_t i = 0; i < WEB_CONNS; i++) {
		struct web_conn *c = &w->conn[i];
		unsigned ev;

		if (c->state == WEB_CONN_FREE)
			continue;
		ev = revents_of(c->sock, set, n);
		if (c->state == WEB_CONN_SEND && (ev & (HAL_POLL_OUT | HAL_POLL_ERR)))
			transmit(w, c, now);
		else if ((c->state == WEB_CONN_HEAD || c->state == WEB_CONN_BODY) &&
			 (ev & (HAL_POLL_IN | HAL_POLL_ERR)))
			receive(w, c, now);
		else if (c->state == WEB_CONN_DRAIN && (ev & (HAL_POLL_IN | HAL_POLL_ERR)))
			drain(w, c);
		if (c->state == WEB_CONN_SEND)
			transmit(w, c, now); /* an answer made this turn goes out at once */
		if (c->state != WEB_CONN_FREE && due(now, c->deadline))
			close_conn(w, c); /* a stalled or silent client: released, image intact */
	}
}
