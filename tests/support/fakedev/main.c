/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ota-fakedev: an ArduinoOTA device for tests and benchmarks, written from
 * docs/protocol/ota-protocol.md. It listens for invitations on UDP, checks the
 * challenge answer, connects back and takes the image, and can misbehave
 * on request (refuse, stay silent, drop the stream, split or join acks).
 *
 * stdout: "listening on ADDR:PORT" first, then one line per event, and a
 * final "result: ..." line per update. Exit 0 when every update's bytes
 * matched the invitation's size and MD5.
 *
 * An update is counted (--count) once the device said OK or refused it;
 * a wrong password does not count: the device goes on listening, as a real
 * one does. --rx-window sets SO_RCVBUF to half the value because Linux
 * doubles what it is given. --no-delays skips the real device's 100 ms
 * before connecting and its 1 s waits around the final OK.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fakedev.h"
#include "sock.h"

static void usage(FILE *f)
{
	fputs("usage: ota-fakedev --port P [--bind ADDR] [--password PW] [--nonce-len 32|64]\n"
	      "         [--hash md5|sha256] [--acks normal|split|join] [--drop-after BYTES]\n"
	      "         [--silent] [--refuse TEXT] [--never-connect] [--final TEXT]\n"
	      "         [--rx-window BYTES] [--sector-ms MS] [--no-delays]\n"
	      "         [--out FILE] [--inflate] [--count N] [--reply-delay MS] [--stall-after BYTES]\n",
	      f);
}

static int parse_long(const char *opt, const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "ota-fakedev: invalid value '%s' for %s: give a number from %lld to %lld\n",
			s, opt, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_options(int argc, char **argv, struct fd_options *o)
{
	enum { O_BIND = 256, O_PW, O_NONCE, O_HASH, O_ACKS, O_DROP, O_SILENT, O_REFUSE, O_NEVER,
	       O_FINAL, O_RXWIN, O_SECTOR, O_NODELAY, O_OUT, O_INFLATE, O_COUNT, O_PORT, O_REPLY_DELAY, O_STALL };
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, O_PORT },
		{ "bind", required_argument, NULL, O_BIND },
		{ "password", required_argument, NULL, O_PW },
		{ "nonce-len", required_argument, NULL, O_NONCE },
		{ "hash", required_argument, NULL, O_HASH },
		{ "acks", required_argument, NULL, O_ACKS },
		{ "drop-after", required_argument, NULL, O_DROP },
		{ "silent", no_argument, NULL, O_SILENT },
		{ "refuse", required_argument, NULL, O_REFUSE },
		{ "never-connect", no_argument, NULL, O_NEVER },
		{ "final", required_argument, NULL, O_FINAL },
		{ "rx-window", required_argument, NULL, O_RXWIN },
		{ "sector-ms", required_argument, NULL, O_SECTOR },
		{ "no-delays", no_argument, NULL, O_NODELAY },
		{ "out", required_argument, NULL, O_OUT },
		{ "inflate", no_argument, NULL, O_INFLATE },
		{ "count", required_argument, NULL, O_COUNT },
		{ "reply-delay", required_argument, NULL, O_REPLY_DELAY },
		{ "stall-after", required_argument, NULL, O_STALL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_port = false;
	long long v;
	int c;

	*o = (struct fd_options){ .bind_addr = "127.0.0.1", .nonce_len = 32, .drop_after = -1,
				  .stall_after = -1, .count = 1 };
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case O_PORT:
			if (parse_long("--port", optarg, 0, 65535, &v))
				return -1;
			o->port = (uint16_t)v;
			have_port = true;
			break;
		case O_BIND: o->bind_addr = optarg; break;
		case O_PW: o->password = optarg; break;
		case O_NONCE:
			if (parse_long("--nonce-len", optarg, 32, 64, &v) || (v != 32 && v != 64)) {
				fprintf(stderr, "ota-fakedev: --nonce-len takes 32 or 64\n");
				return -1;
			}
			o->nonce_len = (int)v;
			break;
		case O_HASH:
			if (strcmp(optarg, "md5") && strcmp(optarg, "sha256")) {
				fprintf(stderr, "ota-fakedev: --hash takes md5 or sha256\n");
				return -1;
			}
			o->hash_md5 = strcmp(optarg, "md5") == 0;
			break;
		case O_ACKS:
			if (!strcmp(optarg, "normal"))
				o->acks = ACKS_NORMAL;
			else if (!strcmp(optarg, "split"))
				o->acks = ACKS_SPLIT;
			else if (!strcmp(optarg, "join"))
				o->acks = ACKS_JOIN;
			else {
				fprintf(stderr, "ota-fakedev: --acks takes normal, split or join\n");
				return -1;
			}
			break;
		case O_DROP:
			if (parse_long("--drop-after", optarg, 0, 1LL << 40, &o->drop_after))
				return -1;
			break;
		case O_STALL:
			if (parse_long("--stall-after", optarg, 0, 1LL << 40, &o->stall_after))
				return -1;
			break;
		case O_SILENT: o->silent = true; break;
		case O_REFUSE: o->refuse = optarg; break;
		case O_NEVER: o->never_connect = true; break;
		case O_FINAL: o->final_text = optarg; break;
		case O_RXWIN:
			if (parse_long("--rx-window", optarg, 0, 1 << 26, &v))
				return -1;
			o->rx_window = (int)v;
			break;
		case O_SECTOR:
			if (parse_long("--sector-ms", optarg, 0, 10000, &v))
				return -1;
			o->sector_ms = (int)v;
			break;
		case O_NODELAY: o->no_delays = true; break;
		case O_REPLY_DELAY:
			if (parse_long("--reply-delay", optarg, 0, 60000, &v))
				return -1;
			o->reply_delay_ms = (int)v;
			break;
		case O_OUT: o->out_path = optarg; break;
		case O_INFLATE: o->inflate = true; break;
		case O_COUNT:
			if (parse_long("--count", optarg, 1, 1000000, &v))
				return -1;
			o->count = (int)v;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (!have_port) {
		fprintf(stderr, "ota-fakedev: missing --port: give a UDP port (0 = any free port)\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct fd_options o;
	int udp, failures = 0;

	if (parse_options(argc, argv, &o) != 0)
		return 2;
	udp = sock_udp_bind(o.bind_addr, o.port);
	if (udp < 0) {
		fprintf(stderr, "ota-fakedev: cannot bind UDP '%s:%u': %s\n", o.bind_addr, o.port,
			strerror(errno));
		return 2;
	}
	printf("listening on %s:%u\n", o.bind_addr, sock_local_port(udp));
	fflush(stdout);
	for (int i = 0; i < o.count; i++) {
		struct fd_invite inv;
		char why[256];
		int rc = fd_handshake(udp, &o, &inv);

		if (rc < 0) {
			fprintf(stderr, "ota-fakedev: receive failed: %s\n", strerror(errno));
			return 2;
		}
		if (rc == 0) {
			printf("result: refused\n");
			failures++;
		} else if (o.never_connect) {
			printf("result: never connected\n");
			failures++;
		} else if (fd_receive(&o, &inv, why, sizeof(why)) == 0) {
			printf("result: %s\n", why);
		} else {
			printf("result: fail %s\n", why);
			failures++;
		}
		fflush(stdout);
	}
	close(udp);
	return failures ? 1 : 0;
}
