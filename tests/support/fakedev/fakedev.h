/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ota-fakedev: the device half of the ArduinoOTA protocol for tests. */
#ifndef ESPOTA_TESTS_FAKEDEV_H
#define ESPOTA_TESTS_FAKEDEV_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fd_acks { ACKS_NORMAL, ACKS_SPLIT, ACKS_JOIN };

struct fd_options {
	const char *bind_addr;
	uint16_t port;
	const char *password;   /* NULL: no authentication */
	int nonce_len;          /* 32 (MD5 scheme) or 64 (SHA-256/PBKDF2 scheme) */
	bool hash_md5;          /* 64-nonce device storing md5hex(password) */
	enum fd_acks acks;
	long long drop_after;   /* < 0: never */
	long long stall_after;  /* < 0: never; else stop reading after this many bytes */
	long long trickle_after; /* < 0: never; else read one byte a second after this many */
	bool trickle_result;    /* after the image, one ack digit a second and never a result */
	bool early_ok;          /* say OK at once, read nothing, close after 1 s (a rogue peer) */
	bool silent, never_connect, no_delays, inflate;
	const char *refuse;     /* UDP reply instead of OK */
	const char *final_text; /* TCP text instead of OK */
	int rx_window;          /* 0: system default */
	int sector_ms;
	int reply_delay_ms;     /* a slow sketch loop: wait this long before each datagram */
	const char *out_path;
	int count;
};

/* What one accepted invitation asked for. */
struct fd_invite {
	int cmd;
	uint16_t host_port;
	long long size;
	char md5[33];
	struct sockaddr_in from; /* the invitation's source: where to connect back */
};

/* Waits for a valid invitation (and, with a password, a right auth reply).
 * Returns 1 with inv filled and the UDP OK (or refusal) sent, 0 when the
 * device refused the update, -1 on a socket error. */
int fd_handshake(int udp, const struct fd_options *o, struct fd_invite *inv);

/* Connects back, receives the image, checks it and answers. Returns 0 when
 * size and MD5 matched; fills why with the outcome either way. */
int fd_receive(const struct fd_options *o, const struct fd_invite *inv, char *why, size_t whylen);

#endif
