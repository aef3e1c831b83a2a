/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The moments of a simulated device's life, through the library over real
 * files and sockets: device_create (the serial flasher), device_stage and
 * device_power_on (eboot's install, power cuts, the one reset limit), and
 * device_loop_run serving a list of services on 127.0.0.1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app_image.h"
#include "crc32.h"
#include "device.h"
#include "device_boot.h"
#include "device_create.h"
#include "flash_layout.h"
#include "stage2_standin.h"
#include "device_loop.h"
#include "device_stage.h"
#include "fwmem.h"
#include "hal_posix.h"
#include "journal.h"
#include "sample_app.h"
#include "spec_test_key.h"

#define CHIP 0x100000u
#define LOCALHOST 0x7F000001u

struct fixture {
	char dir[64];
	char flash[128];
	char log_path[128];
	FILE *log_file;
	struct logger lg;
	uint8_t *sample;
	size_t sample_len;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/devicelife.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->flash, sizeof(f->flash), "%s/dev.flash", f->dir);
	snprintf(f->log_path, sizeof(f->log_path), "%s/log.txt", f->dir);
	f->log_file = fopen(f->log_path, "w+");
	if (!f->log_file)
		return -1;
	log_init(&f->lg, "test", f->log_file, LOG_INFO, LOG_STYLE_PLAIN);
	f->sample_len = sample_app_build(&f->sample, CHIP, 2);
	if (f->sample_len == 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];

	fclose(f->log_file);
	free(f->sample);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* What was logged since the last call (the log starts empty again). */
static const char *logged(struct fixture *f)
{
	static char text[8192];
	size_t n;

	fflush(f->log_file);
	rewind(f->log_file);
	n = fread(text, 1, sizeof(text) - 1, f->log_file);
	text[n] = '\0';
	if (ftruncate(fileno(f->log_file), 0) != 0)
		text[0] = '\0';
	rewind(f->log_file);
	return text;
}

static unsigned count_of(const char *text, const char *needle)
{
	unsigned n = 0;

	for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void md5_hex(const uint8_t *data, size_t len, char out[33])
{
	unsigned char d[16];
	unsigned n = 0;

	assert_int_equal(EVP_Digest(data, len, d, &n, EVP_md5(), NULL), 1);
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* The whole file, for before/after comparisons. */
static size_t read_file(const char *path, uint8_t **out)
{
	struct stat st;
	FILE *fp;

	assert_int_equal(stat(path, &st), 0);
	*out = malloc((size_t)st.st_size);
	assert_non_null(*out);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(*out, 1, (size_t)st.st_size, fp), (size_t)st.st_size);
	fclose(fp);
	return (size_t)st.st_size;
}

/* The sample app with one byte of .text changed and its checksum and
 * elf2bin CRC made right again: a different, bootable image. */
static uint8_t *other_app(struct fixture *f)
{
	uint8_t *img = malloc(f->sample_len);
	uint32_t crc;

	assert_non_null(img);
	memcpy(img, f->sample, f->sample_len);
	img[0xD100] ^= 0x5A;               /* .text starts at 0xD018 */
	img[f->sample_len - 1] ^= 0x5A;    /* the ROM checksum byte */
	memset(img + 0x1010, 0, 8);
	crc = crc32_mpeg2(0xFFFFFFFFu, img, f->sample_len);
	fw_store_le32(img + 0x1010, (uint32_t)f->sample_len);
	fw_store_le32(img + 0x1014, crc);
	return img;
}

static void create_default(struct fixture *f)
{
	struct device_create_opts o = { .flash = f->flash, .flash_size = CHIP, .flash_mode = -1 };
	struct device_created made;

	assert_int_equal(device_create(&o, &made, &f->lg), DEVICE_OK);
}

static void open_device(struct fixture *f, struct device *d, const struct device_power *p)
{
	char err[512];

	if (device_open(d, f->flash, p, err, sizeof(err)) != 0)
		fail_msg("device_open: %s", err);
}

/* ---- device_create ---- */

static void test_create_fresh_device(void **state)
{
	struct fixture *f = *state;
	struct device_create_opts o = { .flash = f->flash, .flash_size = CHIP, .flash_mode = -1 };
	struct device_created made;
	struct device d;
	char want[32];
	uint8_t *bytes;
	size_t n;

	assert_int_equal(device_create(&o, &made, &f->lg), DEVICE_OK);
	assert_string_equal(logged(f), "");
	assert_int_equal(made.app_len, f->sample_len);
	assert_int_equal(made.cfg.flash_size, CHIP);
	assert_int_equal(made.cfg.flash_mode, 2); /* the sample's dio */
	assert_true(made.cfg.chip_id <= 0xFFFFFFu);
	snprintf(want, sizeof(want), "esp8266-%06lx", (unsigned long)made.cfg.chip_id);
	assert_string_equal(made.cfg.hostname, want);
	assert_string_equal(made.cfg.password_md5, "");
	assert_false(made.cfg.signing || made.cfg.accept_legacy || made.cfg.atomic_fs);
	/* A blank chip with the app at 0, as esptool leaves it, and eboot's
	 * stage 2 (the simulator's stand-in) in its region. */
	n = read_file(f->flash, &bytes);
	assert_int_equal(n, CHIP);
	assert_memory_equal(bytes, f->sample, f->sample_len);
	{
		struct flash_layout l;
		uint8_t standin[STAGE2_STANDIN_SIZE];

		assert_int_equal(flash_layout_default(&l, CHIP), 0);
		stage2_standin_build(standin);
		assert_memory_equal(bytes + l.stage2, standin, sizeof(standin));
		for (size_t i = f->sample_len; i < n; i++)
			if (bytes[i] != 0xFF && (i < l.stage2 || i >= l.stage2 + sizeof(standin)))
				fail_msg("byte 0x%zx is 0x%02x, not erased", i, bytes[i]);
		free(bytes);
		/* --no-stage2: the region stays erased */
		o.no_stage2 = true;
		assert_int_equal(device_create(&o, &made, &f->lg), DEVICE_OK);
		n = read_file(f->flash, &bytes);
		for (size_t i = f->sample_len; i < n; i++)
			if (bytes[i] != 0xFF)
				fail_msg("no_stage2: byte 0x%zx is 0x%02x, not erased", i, bytes[i]);
		free(bytes);
		o.no_stage2 = false;
		assert_int_equal(device_create(&o, &made, &f->lg), DEVICE_OK);
	}
	/* The configuration reads back as written. */
	open_device(f, &d, NULL);
	assert_int_equal(d.cfg.chip_id, made.cfg.chip_id);
	assert_string_equal(d.cfg.hostname, made.cfg.hostname);
	device_close(&d);
	assert_int_equal(access(made.paths.pubkey, F_OK), -1);
}

static void test_create_with_every_option(void **state)
{
	struct fixture *f = *state;
	char app[160], key[160];
	struct device_create_opts o = { .flash = f->flash, .flash_size = CHIP, .flash_mode = 0,
					.app = app, .sign_key = key, .accept_legacy = true,
					.password = "secret", .hostname = "node-1",
					.atomic_fs = true };
	struct device_created made;
	struct device d;
	uint8_t *bytes;

	snprintf(app, sizeof(app), "%s/app.bin", f->dir);
	snprintf(key, sizeof(key), "%s/pub.pem", f->dir);
	write_file(app, f->sample, f->sample_len);
	write_file(key, spec_public_key, strlen(spec_public_key));
	assert_int_equal(device_create(&o, &made, &f->lg), DEVICE_OK);
	assert_int_equal(made.cfg.flash_mode, 0);
	/* RFC 1321 style: md5("secret") */
	assert_string_equal(made.cfg.password_md5, "5ebe2294ecd0e0f08eab7690d2a6ee69");
	assert_string_equal(made.cfg.hostname, "node-1");
	assert_true(made.cfg.signing && made.cfg.accept_legacy && made.cfg.atomic_fs);
	/* esptool --flash_mode qio: byte 2 of the eboot header rewritten. */
	read_file(f->flash, &bytes);
	assert_int_equal(bytes[2], 0);
	assert_memory_equal(bytes + 3, f->sample + 3, f->sample_len - 3);
	free(bytes);
	/* The key was copied beside the flash and loads as the build's. */
	open_device(f, &d, NULL);
	assert_true(d.cfg.signing);
	assert_ptr_equal(d.ucfg.key, &d.key);
	device_close(&d);
}

/* Each refused create names its input and leaves the device as it was. */
static void test_create_refuses_without_touching(void **state)
{
	struct fixture *f = *state;
	char notimg[160], big[160], key[160];
	static uint8_t huge[0x100000];
	struct {
		struct device_create_opts o;
		enum device_error want;
		const char *says;
	} cases[] = {
		{ { .flash_size = 0x300000u, .flash_mode = -1 }, DEVICE_ERR_INPUT,
		  "no flash layout for a 3145728-byte chip" },
		{ { .flash_size = CHIP, .flash_mode = 4 }, DEVICE_ERR_INPUT, "unknown flash mode 4" },
		{ { .flash_size = CHIP, .flash_mode = -1, .accept_legacy = true }, DEVICE_ERR_INPUT,
		  "--accept-legacy needs --sign-key" },
		{ { .flash_size = CHIP, .flash_mode = -1, .hostname = "no spaces" }, DEVICE_ERR_INPUT,
		  "bad hostname 'no spaces'" },
		{ { .flash_size = CHIP, .flash_mode = -1, .app = notimg }, DEVICE_ERR_FAILED,
		  "is not an ESP8266 image" },
		{ { .flash_size = CHIP, .flash_mode = -1, .app = big }, DEVICE_ERR_FAILED,
		  "does not fit: 962564 bytes, but only 962560 fit before the filesystem" },
		{ { .flash_size = CHIP, .flash_mode = -1, .sign_key = key }, DEVICE_ERR_FAILED,
		  "is not an RSA public key in PEM" },
		{ { .flash_size = CHIP, .flash_mode = -1, .app = "/nonexistent/app.bin" },
		  DEVICE_ERR_FAILED, "cannot read app '/nonexistent/app.bin'" },
	};
	struct device_created made;
	uint8_t *before, *after, *conf_before, *conf_after;
	size_t n, cn;
	char conf[160];

	snprintf(notimg, sizeof(notimg), "%s/not.bin", f->dir);
	snprintf(big, sizeof(big), "%s/big.bin", f->dir);
	snprintf(key, sizeof(key), "%s/key.pem", f->dir);
	snprintf(conf, sizeof(conf), "%s.conf", f->flash);
	{
		static const char gz[] = "\x1f\x8b\x08\x00gzip, not an app";

		write_file(notimg, gz, sizeof(gz) - 1);
	}
	memcpy(huge, f->sample, f->sample_len);
	write_file(big, huge, 962564); /* one word past the filesystem's start */
	write_file(key, spec_private_key, strlen(spec_private_key));
	create_default(f);
	n = read_file(f->flash, &before);
	cn = read_file(conf, &conf_before);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *text;

		cases[i].o.flash = f->flash;
		assert_int_equal(device_create(&cases[i].o, &made, &f->lg), cases[i].want);
		text = logged(f);
		if (!strstr(text, cases[i].says))
			fail_msg("case %zu logged '%s', not '%s'", i, text, cases[i].says);
		assert_int_equal(read_file(f->flash, &after), n);
		assert_memory_equal(after, before, n);
		free(after);
		assert_int_equal(read_file(conf, &conf_after), cn);
		assert_memory_equal(conf_after, conf_before, cn);
		free(conf_after);
	}
	free(before);
	free(conf_before);
}

/* ---- device_stage and device_power_on ---- */

static void test_power_on_fresh_device(void **state)
{
	struct fixture *f = *state;
	struct device_boot boot;
	struct device d;
	char md5[33];

	create_default(f);
	open_device(f, &d, NULL);
	assert_int_equal(device_power_on(&d, &f->lg, &boot), DEVICE_OK);
	assert_int_equal(boot.offset, 0);
	assert_int_equal(boot.app_size, f->sample_len);
	md5_hex(f->sample, f->sample_len, md5);
	assert_string_equal(boot.app_md5, md5);
	assert_int_equal(boot.image.segments, 3);
	assert_int_equal(boot.image.entry, 0x40100004u);
	assert_int_equal(boot.resets, 0);
	assert_int_equal(hal_posix_flash_ops(d.hal), 0); /* nothing to install */
	assert_string_equal(logged(f), "");
	device_close(&d);
}

static void test_stage_then_power_on_installs(void **state)
{
	struct fixture *f = *state;
	uint8_t *img = other_app(f);
	struct app_image_info info;
	struct device_boot boot;
	struct device d;
	char text[160], md5[33];
	bool in_place = true;

	create_default(f);
	open_device(f, &d, NULL);
	assert_int_equal(app_image_check(d.hal, 0, &info), APP_IMAGE_OK); /* sanity */
	assert_int_equal(device_stage(&d, "other.bin", img, f->sample_len, false, &in_place, text,
				      sizeof(text), &f->lg),
			 DEVICE_OK);
	assert_false(in_place);
	assert_true(journal_update_pending(d.hal, &d.layout));
	device_close(&d);

	open_device(f, &d, NULL);
	assert_int_equal(device_power_on(&d, &f->lg, &boot), DEVICE_OK);
	md5_hex(img, f->sample_len, md5);
	assert_string_equal(boot.app_md5, md5);
	assert_int_equal(boot.app_size, f->sample_len);
	assert_true(hal_posix_flash_ops(d.hal) > 0);
	device_close(&d);
	/* The next power-on finds nothing to do. */
	open_device(f, &d, NULL);
	assert_int_equal(device_power_on(&d, &f->lg, &boot), DEVICE_OK);
	assert_string_equal(boot.app_md5, md5);
	assert_int_equal(hal_posix_flash_ops(d.hal), 0);
	device_close(&d);
	free(img);
}

static void test_stage_refusal_gives_updater_text(void **state)
{
	struct fixture *f = *state;
	struct device d;
	char text[160];
	bool in_place;

	create_default(f);
	open_device(f, &d, NULL);
	assert_int_equal(device_stage(&d, "junk", (const uint8_t *)"not an image", 12, false,
				      &in_place, text, sizeof(text), &f->lg),
			 DEVICE_ERR_FAILED);
	assert_non_null(strstr(text, "ERROR[10]: Magic byte is not 0xE9"));
	assert_false(journal_update_pending(d.hal, &d.layout));
	device_close(&d);
}

static void test_power_cut_during_install_then_resume(void **state)
{
	struct fixture *f = *state;
	struct device_power cut = { .cut_after = 1 };
	uint8_t *img = other_app(f);
	struct device_boot boot;
	struct device d;
	char text[160], md5[33];
	bool in_place;

	create_default(f);
	open_device(f, &d, NULL);
	assert_int_equal(device_stage(&d, "other.bin", img, f->sample_len, false, &in_place, text,
				      sizeof(text), &f->lg),
			 DEVICE_OK);
	device_close(&d);
	open_device(f, &d, &cut);
	assert_int_equal(device_power_on(&d, &f->lg, &boot), DEVICE_ERR_POWER_LOST);
	assert_string_equal(logged(f), "test: power lost after 1 flash operations\n");
	device_close(&d);
	open_device(f, &d, NULL);
	assert_int_equal(device_power_on(&d, &f->lg, &boot), DEVICE_OK);
	md5_hex(img, f->sample_len, md5);
	assert_string_equal(boot.app_md5, md5);
	device_close(&d);
	free(img);
}

/* An install whose staged bytes go bad after it started fails at every
 * run of eboot: the device is called stuck after the one reset limit. */
static void test_stuck_after_max_resets(void **state)
{
	struct fixture *f = *state;
	uint8_t *img = other_app(f);
	struct device_power power = { .cut_after = -1 };
	struct journal_view v;
	struct device_boot boot;
	struct device d;
	char text[160], console_path[160], *console_text;
	const char *log_text;
	bool in_place;
	FILE *console;
	uint8_t *bytes;
	size_t n;
	int fd;
	long k;

	create_default(f);
	open_device(f, &d, NULL);
	assert_int_equal(device_stage(&d, "other.bin", img, f->sample_len, false, &in_place, text,
				      sizeof(text), &f->lg),
			 DEVICE_OK);
	device_close(&d);
	/* Cut the power at each op in turn until eboot has logged START. */
	for (k = 1; k < 200; k++) {
		power.cut_after = k;
		open_device(f, &d, &power);
		assert_int_equal(device_power_on(&d, &f->lg, &boot), DEVICE_ERR_POWER_LOST);
		device_close(&d);
		open_device(f, &d, NULL);
		assert_int_equal(journal_read(d.hal, d.layout.journal, &v), HAL_OK);
		device_close(&d);
		if (v.state == JOURNAL_IN_PROGRESS)
			break;
	}
	assert_int_equal(v.state, JOURNAL_IN_PROGRESS);
	(void)logged(f);
	/* Flip a staged byte behind eboot's back. */
	read_file(f->flash, &bytes);
	fd = open(f->flash, O_WRONLY);
	assert_true(fd >= 0);
	bytes[v.cmd.src + 0x2000] ^= 0xFF;
	assert_int_equal(pwrite(fd, bytes + v.cmd.src + 0x2000, 1, v.cmd.src + 0x2000), 1);
	close(fd);
	free(bytes);

	snprintf(console_path, sizeof(console_path), "%s/console.txt", f->dir);
	console = fopen(console_path, "w+");
	assert_non_null(console);
	power.cut_after = -1;
	power.console = console;
	open_device(f, &d, &power);
	assert_int_equal(device_power_on(&d, &f->lg, &boot), DEVICE_ERR_FAILED);
	device_close(&d);
	assert_int_equal(boot.resets, DEVICE_BOOT_MAX_RESETS);
	log_text = logged(f);
	assert_int_equal(count_of(log_text, ": resetting\n"), DEVICE_BOOT_MAX_RESETS);
	assert_non_null(strstr(log_text, "eboot failed 9 times in a row"));
	assert_non_null(strstr(log_text, "reflash it with 'espota-device init'"));
	/* eboot itself ran DEVICE_BOOT_MAX_RESETS + 1 times. */
	fclose(console);
	n = read_file(console_path, &bytes);
	console_text = realloc(bytes, n + 1);
	assert_non_null(console_text);
	console_text[n] = '\0';
	assert_int_equal(count_of(console_text, "cp:"), DEVICE_BOOT_MAX_RESETS + 1);
	free(console_text);
	free(img);
}

static void test_no_bootable_app(void **state)
{
	struct fixture *f = *state;
	struct device_boot boot;
	struct device d;

	create_default(f);
	open_device(f, &d, NULL);
	assert_int_equal(hal_flash_erase_sector(d.hal, 0x1000), HAL_OK);
	assert_int_equal(device_power_on(&d, &f->lg, &boot), DEVICE_ERR_FAILED);
	assert_non_null(strstr(logged(f), "no bootable app at 0x001000: "));
	device_close(&d);
}

/* ---- device_loop_run ---- */

/* A service for the loop's tests: a UDP socket of its own, a datagram
 * to a peer's socket when ready, a timer, and a record of every call. */
struct probe {
	struct device_service svc;
	struct hal *hal;
	hal_sock sock;
	bool open;
	uint16_t port;
	struct probe *peer;       /* sends "ping" to the peer when ready */
	uint32_t timer_ms;        /* 0: none */
	uint32_t due;
	unsigned timer_fired, stop_after_timers;
	int ready_result;
	unsigned ready, ticks, reboots, stops, datagrams;
	size_t slice_n;           /* what the last tick was handed */
	bool slice_ok;            /* every tick's slice was its own socket */
	/* what to do at the n-th datagram (1-based): reset, fail, stop */
	unsigned reset_at, attempt_failed_at, failed_at, stop_at;
	volatile sig_atomic_t *stop;
	char order[64];           /* 'R'eady, 'B'oot (reboot), 'S'top, per call */
};

static void note(struct probe *p, char c)
{
	size_t n = strlen(p->order);

	if (n + 1 < sizeof(p->order)) {
		p->order[n] = c;
		p->order[n + 1] = '\0';
	}
}

static int probe_ready(void *ctx, struct device *d)
{
	struct probe *p = ctx;

	p->hal = d->hal;
	p->ready++;
	note(p, 'R');
	if (p->ready_result != 0)
		return p->ready_result;
	assert_int_equal(hal_udp_open(d->hal, LOCALHOST, 0, &p->sock), 0);
	p->open = true;
	p->port = hal_sock_port(d->hal, p->sock);
	if (p->peer && p->peer->open)
		assert_int_equal(hal_udp_send(d->hal, p->sock, LOCALHOST, p->peer->port, "ping", 4),
				 HAL_OK);
	if (p->timer_ms)
		p->due = hal_millis(d->hal) + p->timer_ms;
	return 0;
}

static size_t probe_poll_set(void *ctx, struct hal_pollset *set, size_t cap, uint32_t now,
			     uint32_t *wait_ms)
{
	struct probe *p = ctx;

	if (p->timer_ms) {
		uint32_t left = (int32_t)(p->due - now) > 0 ? p->due - now : 0;

		if (left < *wait_ms)
			*wait_ms = left;
	}
	if (!p->open || cap == 0)
		return 0;
	set[0].sock = p->sock;
	set[0].events = HAL_POLL_IN;
	set[0].revents = 0;
	return 1;
}

static enum device_service_event probe_tick(void *ctx, const struct hal_pollset *set, size_t n,
					    uint32_t now)
{
	struct probe *p = ctx;
	char buf[16];
	uint32_t ip;
	uint16_t port;

	p->ticks++;
	p->slice_n = n;
	if (n != (p->open ? 1u : 0u) || (n == 1 && set[0].sock != p->sock))
		p->slice_ok = false;
	if (p->timer_ms && (int32_t)(now - p->due) >= 0) {
		p->timer_fired++;
		p->due = now + p->timer_ms;
		if (p->timer_fired == p->stop_after_timers)
			*p->stop = 1;
	}
	if (n == 1 && (set[0].revents & HAL_POLL_IN) &&
	    hal_udp_recv(p->hal, p->sock, buf, sizeof(buf), &ip, &port) == 4 &&
	    memcmp(buf, "ping", 4) == 0) {
		p->datagrams++;
		if (p->datagrams == p->reset_at)
			hal_request_reset(p->hal);
		if (p->datagrams == p->stop_at)
			*p->stop = 1;
		if (p->datagrams == p->failed_at)
			return DEVICE_SERVICE_FAILED;
		if (p->datagrams == p->attempt_failed_at)
			return DEVICE_SERVICE_ATTEMPT_FAILED;
	}
	return DEVICE_SERVICE_QUIET;
}

static void probe_close(struct probe *p)
{
	if (p->open)
		hal_sock_close(p->hal, p->sock);
	p->open = false;
}

static void probe_reboot(void *ctx, struct device *d)
{
	struct probe *p = ctx;

	(void)d;
	p->reboots++;
	note(p, 'B');
	probe_close(p);
}

static void probe_stop(void *ctx)
{
	struct probe *p = ctx;

	p->stops++;
	note(p, 'S');
	probe_close(p);
}

static void probe_init(struct probe *p, const char *name, volatile sig_atomic_t *stop)
{
	memset(p, 0, sizeof(*p));
	p->svc.name = name;
	p->svc.ctx = p;
	p->svc.on_ready = probe_ready;
	p->svc.poll_set = probe_poll_set;
	p->svc.on_tick = probe_tick;
	p->svc.on_reboot = probe_reboot;
	p->svc.on_stop = probe_stop;
	p->slice_ok = true;
	p->stop = stop;
}

struct loop_run {
	struct device d;
	char events_path[160];
	FILE *events;
	char events_text[1024];
};

static void loop_begin(struct fixture *f, struct loop_run *r)
{
	create_default(f);
	open_device(f, &r->d, NULL);
	snprintf(r->events_path, sizeof(r->events_path), "%s/events.txt", f->dir);
	r->events = fopen(r->events_path, "w+");
	assert_non_null(r->events);
}

static void loop_end(struct loop_run *r)
{
	size_t n;

	rewind(r->events);
	n = fread(r->events_text, 1, sizeof(r->events_text) - 1, r->events);
	r->events_text[n] = '\0';
	fclose(r->events);
	device_close(&r->d);
}

/* Two probes on one device: b first, so that a, ready after it, can
 * ping it (with ping). */
struct pair {
	volatile sig_atomic_t stop;
	struct probe a, b;
	struct device_service *svc[2];
	struct loop_run r;
};

static void pair_begin(struct fixture *f, struct pair *p, bool ping)
{
	p->stop = 0;
	loop_begin(f, &p->r);
	probe_init(&p->a, "a", &p->stop);
	probe_init(&p->b, "b", &p->stop);
	if (ping)
		p->a.peer = &p->b;
	p->svc[0] = &p->b.svc;
	p->svc[1] = &p->a.svc;
}

/* Runs the loop and collects the events. */
static enum device_error pair_run(struct fixture *f, struct pair *p, bool once)
{
	struct device_loop_opts o = { p->r.events, &p->stop, once };
	enum device_error rc = device_loop_run(&p->r.d, p->svc, 2, &o, &f->lg);

	/* whatever happened, the loop acted on any reset request */
	assert_false(hal_posix_reset_requested(p->r.d.hal));
	loop_end(&p->r);
	return rc;
}

/* Two services, each handed only its own slice; one asks for the reset:
 * both let go, the device reboots through eboot, both come up again. */
static void test_loop_serves_slices_and_reboots(void **state)
{
	struct fixture *f = *state;
	struct pair p;
	char want[160], md5[33];

	pair_begin(f, &p, true);
	p.b.reset_at = 1; /* the first ping: reset */
	p.b.stop_at = 2;  /* the ping after the reboot: stop */
	assert_int_equal(pair_run(f, &p, false), DEVICE_OK);
	assert_int_equal(p.b.datagrams, 2);
	assert_true(p.a.slice_ok && p.b.slice_ok);
	assert_int_equal(p.b.slice_n, 1);
	assert_string_equal(p.a.order, "RBRS");
	assert_string_equal(p.b.order, "RBRS");
	md5_hex(f->sample, f->sample_len, md5);
	snprintf(want, sizeof(want), "rebooting\nrunning app at 0x000000: %zu bytes, md5 %s\n",
		 f->sample_len, md5);
	assert_string_equal(p.r.events_text, want);
	assert_string_equal(logged(f), "test: stopped\n");
}

/* With once, the loop ends after the reboot that follows an update. */
static void test_loop_once_ends_after_reboot(void **state)
{
	struct fixture *f = *state;
	struct pair p;

	pair_begin(f, &p, true);
	p.b.reset_at = 1;
	assert_int_equal(pair_run(f, &p, true), DEVICE_OK);
	assert_string_equal(p.b.order, "RBS");
	assert_string_equal(p.a.order, "RBS");
	assert_non_null(strstr(p.r.events_text, "rebooting\nrunning app at 0x000000: "));
	assert_string_equal(logged(f), "");
}

/* A failed update attempt ends a once loop with failure, and is only
 * noted otherwise. */
static void test_loop_attempt_failed(void **state)
{
	struct fixture *f = *state;
	struct pair p;

	pair_begin(f, &p, true);
	p.b.attempt_failed_at = 1;
	assert_int_equal(pair_run(f, &p, true), DEVICE_ERR_FAILED);
	assert_string_equal(p.b.order, "RS");
	assert_string_equal(p.a.order, "RS");
	assert_string_equal(p.r.events_text, ""); /* no reboot */

	/* Without once: the loop goes on until told to stop. */
	pair_begin(f, &p, true);
	p.b.attempt_failed_at = 1;
	p.a.timer_ms = 30;
	p.a.stop_after_timers = 2;
	assert_int_equal(pair_run(f, &p, false), DEVICE_OK);
	assert_int_equal(p.b.datagrams, 1);
	assert_int_equal(p.a.timer_fired, 2);
}

/* The wait is the earliest timer any service names, not the idle wake. */
static void test_loop_wakes_for_timers(void **state)
{
	struct fixture *f = *state;
	struct timespec t0, t1;
	struct pair p;
	double ms;

	pair_begin(f, &p, false); /* b: a socket that never gets anything */
	p.a.timer_ms = 20;
	p.a.stop_after_timers = 5;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pair_run(f, &p, false), DEVICE_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	assert_int_equal(p.a.timer_fired, 5);
	assert_true(ms >= 5 * 20 - 5);
	/* five 20 ms timers, far below one idle wake of DEVICE_LOOP_IDLE_WAKE_MS */
	assert_true(ms < DEVICE_LOOP_IDLE_WAKE_MS);
	assert_true(p.b.slice_ok);
	assert_true(p.b.ticks >= 5);
}

/* A service that cannot come up, or cannot go on, ends the loop with
 * failure, and every service is stopped. */
static void test_loop_service_failures(void **state)
{
	struct fixture *f = *state;
	struct pair p;

	pair_begin(f, &p, false);
	p.a.ready_result = -1; /* the second to come up */
	assert_int_equal(pair_run(f, &p, false), DEVICE_ERR_FAILED);
	assert_string_equal(p.b.order, "RS");
	assert_string_equal(p.a.order, "RS");
	assert_int_equal(p.a.ticks + p.b.ticks, 0);

	pair_begin(f, &p, true);
	p.b.failed_at = 1;
	assert_int_equal(pair_run(f, &p, false), DEVICE_ERR_FAILED);
	assert_string_equal(p.a.order, "RS");
	assert_string_equal(p.b.order, "RS");
}

static void test_loop_refuses_too_many_services(void **state)
{
	struct fixture *f = *state;
	volatile sig_atomic_t stop = 0;
	struct probe p[DEVICE_LOOP_MAX_SERVICES + 1];
	struct device_service *svc[DEVICE_LOOP_MAX_SERVICES + 1];
	struct loop_run r;
	struct device_loop_opts o;

	loop_begin(f, &r);
	for (size_t i = 0; i <= DEVICE_LOOP_MAX_SERVICES; i++) {
		probe_init(&p[i], "p", &stop);
		svc[i] = &p[i].svc;
	}
	o = (struct device_loop_opts){ r.events, &stop, false };
	assert_int_equal(device_loop_run(&r.d, svc, DEVICE_LOOP_MAX_SERVICES + 1, &o, &f->lg),
			 DEVICE_ERR_INPUT);
	loop_end(&r);
	for (size_t i = 0; i <= DEVICE_LOOP_MAX_SERVICES; i++)
		assert_int_equal(p[i].ready, 0);
	assert_non_null(strstr(logged(f), "the loop serves at most 8"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_fresh_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_with_every_option, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_refuses_without_touching, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_on_fresh_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_then_power_on_installs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_refusal_gives_updater_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_cut_during_install_then_resume, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stuck_after_max_resets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_bootable_app, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_serves_slices_and_reboots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_once_ends_after_reboot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_attempt_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_wakes_for_timers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_service_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_refuses_too_many_services, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
