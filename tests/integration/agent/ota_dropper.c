/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ota-dropper: a misbehaving uploader for the agent's tests. It invites
 * the device as espota does (no password), then sends only the first
 * --bytes of the image and either closes the connection (a dropped
 * upload) or stays connected and silent for --hold seconds (a stalled
 * one). --md5 announces another MD5 than the file's. Whatever the device
 * sends back on TCP is printed on stdout.
 *
 * usage: ota-dropper -p DEVICE_PORT -f FILE [--bytes N] [--hold S] [--md5 HEX]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "ota-dropper: %s: %s\n", what, strerror(errno));
	return 2;
}

static int wait_in(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bytes", required_argument, NULL, 'b' },
		{ "hold", required_argument, NULL, 'H' },
		{ "md5", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *md5_arg = NULL;
	long bytes = -1, hold = 0;
	int dev_port = 0, c;
	unsigned char *img, digest[16];
	char md5[33], msg[160], reply[128];
	unsigned dl = 0;
	long len;
	FILE *f;
	struct sockaddr_in sa = { 0 };
	socklen_t salen = sizeof(sa);
	int lfd, ufd, tfd;
	ssize_t n;

	while ((c = getopt_long(argc, argv, "p:f:", opts, NULL)) != -1) {
		switch (c) {
		case 'p': dev_port = atoi(optarg); break;
		case 'f': file = optarg; break;
		case 'b': bytes = atol(optarg); break;
		case 'H': hold = atol(optarg); break;
		case 'm': md5_arg = optarg; break;
		default: return 2;
		}
	}
	if (!file || dev_port <= 0) {
		fprintf(stderr, "usage: ota-dropper -p DEVICE_PORT -f FILE [--bytes N] [--hold S] "
				"[--md5 HEX]\n");
		return 2;
	}
	f = fopen(file, "rb");
	if (!f)
		return die(file);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	img = malloc((size_t)len + 1);
	if (!img || fread(img, 1, (size_t)len, f) != (size_t)len)
		return die(file);
	fclose(f);
	EVP_Digest(img, (size_t)len, digest, &dl, EVP_md5(), NULL);
	for (int i = 0; i < 16; i++)
		snprintf(md5 + 2 * i, 3, "%02x", digest[i]);
	if (bytes < 0 || bytes > len)
		bytes = len;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &salen) < 0)
		return die("listen");
	snprintf(msg, sizeof(msg), "0 %u %ld %s\n", ntohs(sa.sin_port), len,
		 md5_arg ? md5_arg : md5);

	ufd = socket(AF_INET, SOCK_DGRAM, 0);
	sa.sin_port = htons((uint16_t)dev_port);
	if (ufd < 0 || sendto(ufd, msg, strlen(msg), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return die("invitation");
	if (wait_in(ufd, 10000) <= 0)
		return fprintf(stderr, "ota-dropper: no answer\n"), 1;
	n = recv(ufd, reply, sizeof(reply) - 1, 0);
	reply[n > 0 ? n : 0] = '\0';
	if (strcmp(reply, "OK") != 0)
		return fprintf(stderr, "ota-dropper: answer '%s'\n", reply), 1;
	if (wait_in(lfd, 10000) <= 0)
		return fprintf(stderr, "ota-dropper: no connection from the device\n"), 1;
	tfd = accept(lfd, NULL, NULL);
	if (tfd < 0)
		return die("accept");
	for (long off = 0; off < bytes;) {
		long take = bytes - off < 1460 ? bytes - off : 1460;

		n = send(tfd, img + off, (size_t)take, MSG_NOSIGNAL);
		if (n <= 0)
			return die("send");
		off += n;
		if (wait_in(tfd, 10000) > 0) {
			n = recv(tfd, reply, sizeof(reply) - 1, 0);
			if (n > 0)
				fwrite(reply, 1, (size_t)n, stdout);
		}
	}
	/* Stalled: keep reading whatever the device says until it closes or
	 * the hold time is over. Dropped: close at once. */
	for (long waited = 0; waited < hold * 10; waited++) {
		if (wait_in(tfd, 100) > 0) {
			n = recv(tfd, reply, sizeof(reply) - 1, 0);
			if (n <= 0)
				break;
			fwrite(reply, 1, (size_t)n, stdout);
		}
	}
	printf("\n");
	close(tfd);
	close(lfd);
	close(ufd);
	free(img);
	return 0;
}
