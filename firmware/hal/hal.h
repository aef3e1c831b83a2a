/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one interface between device logic (firmware/core, firmware/eboot)
 * and the world. firmware/host implements it over POSIX for the simulator;
 * firmware/target over the ESP8266 mask ROM and SDK.
 *
 * Every call takes the port's context (struct hal, defined by the port), so
 * device logic holds no global state. Calls return 0 on success and a
 * negative HAL_E* code on failure unless documented otherwise.
 */
#ifndef ESPOTA_HAL_H
#define ESPOTA_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hal; /* defined by the port */

enum hal_status {
	HAL_OK = 0,
	HAL_EIO = -1,       /* the operation failed (flash error, socket error) */
	HAL_EALIGN = -2,    /* address or length not aligned as required */
	HAL_ERANGE = -3,    /* outside the device */
	HAL_EAGAIN = -4,    /* nothing available now (non-blocking socket) */
	HAL_ECLOSED = -5,   /* the peer closed the connection */
	HAL_EPOWER = -6,    /* simulated power cut: stop at once, touch nothing */
};

/* What a HAL code means, in words ("flash or socket operation failed").
 * Written once for every port (firmware/core/hal_strerror.c). */
const char *hal_strerror(int status);

/* ---- SPI flash (NOR rules: erase sets a 4096-byte sector to 0xFF, a write
 * only clears bits, addresses and lengths are multiples of 4). ---- */
#define HAL_FLASH_SECTOR 4096u

uint32_t hal_flash_size(struct hal *h); /* real chip size in bytes */
int hal_flash_read(struct hal *h, uint32_t addr, void *buf, size_t len);
int hal_flash_write(struct hal *h, uint32_t addr, const void *buf, size_t len);
int hal_flash_erase_sector(struct hal *h, uint32_t addr);

/* ---- RTC user memory: kept across resets, lost on power loss. ---- */
#define HAL_RTC_USER_SIZE 512u
int hal_rtc_read(struct hal *h, uint32_t offset, void *buf, size_t len);
int hal_rtc_write(struct hal *h, uint32_t offset, const void *buf, size_t len);

/* ---- time, randomness, console, reset ---- */
uint32_t hal_millis(struct hal *h);
uint32_t hal_micros(struct hal *h);
void hal_delay_ms(struct hal *h, uint32_t ms);
/* Fills buf from the hardware/OS random source. */
int hal_random(struct hal *h, void *buf, size_t len);
/* Writes len bytes of text to the serial console / log. */
void hal_console(struct hal *h, const char *text, size_t len);
/* Requests a software reset; the port performs it when control returns to
 * its main loop (host: re-exec through eboot; target: system_restart). */
void hal_request_reset(struct hal *h);

/* ---- network (IPv4; addresses and ports in host byte order) ----
 * Sockets are small non-negative handles owned by the port. All socket
 * calls are non-blocking; hal_poll waits for any of them. */
typedef int hal_sock;

int hal_udp_open(struct hal *h, uint32_t bind_ip, uint16_t port, hal_sock *out);
/* Returns the datagram length (>= 0) or HAL_EAGAIN; a longer datagram is cut to cap. */
int hal_udp_recv(struct hal *h, hal_sock s, void *buf, size_t cap, uint32_t *from_ip,
		 uint16_t *from_port);
int hal_udp_send(struct hal *h, hal_sock s, uint32_t ip, uint16_t port, const void *buf,
		 size_t len);
/* The local port a socket is bound to. */
uint16_t hal_sock_port(struct hal *h, hal_sock s);

/* Starts a TCP connection; completes when hal_poll reports it writable. */
int hal_tcp_connect(struct hal *h, uint32_t ip, uint16_t port, hal_sock *out);
/* A listening TCP socket (port 0: the port picks one; hal_sock_port says
 * which). Ready for reading when a connection waits. */
int hal_tcp_listen(struct hal *h, uint32_t bind_ip, uint16_t port, hal_sock *out);
/* Takes a waiting connection: HAL_OK with *out (and the peer's address
 * when peer_ip is not NULL), or HAL_EAGAIN when none waits. */
int hal_tcp_accept(struct hal *h, hal_sock listener, hal_sock *out, uint32_t *peer_ip);
/* Returns bytes moved (> 0), HAL_EAGAIN, HAL_ECLOSED or HAL_EIO. */
int hal_tcp_send(struct hal *h, hal_sock s, const void *buf, size_t len);
int hal_tcp_recv(struct hal *h, hal_sock s, void *buf, size_t cap);
void hal_sock_close(struct hal *h, hal_sock s);

#define HAL_POLL_IN 1u
#define HAL_POLL_OUT 2u
#define HAL_POLL_ERR 4u /* error or hang-up */

struct hal_pollset {
	hal_sock sock;
	unsigned events;  /* HAL_POLL_IN | HAL_POLL_OUT wanted */
	unsigned revents; /* filled by hal_poll */
};

/* Waits up to timeout_ms for any socket to be ready. Returns the number of
 * ready entries (0 on timeout) or a negative HAL_E* code. */
int hal_poll(struct hal *h, struct hal_pollset *set, size_t n, uint32_t timeout_ms);

#endif
