/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Updater on a simulated device (real flash and RTC files through the
 * POSIX HAL): every begin check and error code with its exact text, the
 * staging placement of docs/protocol/image-and-flash.md §8.3, the write path (early
 * magic refusal, flash-mode patch, chunking), MD5 and signature checks at
 * end (current and legacy format, the other-flash-mode improvement), the
 * eboot command it schedules, the filesystem paths and the callbacks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "boot_command.h"
#include "journal.h"
#include "updater_fixture.h"
#include "spec_test_key.h"

#define MB1 0x100000u
#define MB2 0x200000u
#define MB4 0x400000u

/* ---- helpers ---- */

static void expect_text(struct device *d, const char *want)
{
	char buf[256];
	size_t n = updater_error_text(&d->u, buf, sizeof(buf));

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void md5_hex(const uint8_t *p, size_t len, char out[33], bool upper)
{
	uint8_t md[16];
	unsigned n = 0;

	assert_int_equal(EVP_Digest(p, len, md, &n, EVP_md5(), NULL), 1);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, upper ? "%02X" : "%02x", md[i]);
}

static void expect_copy(struct device *d, uint32_t src, uint32_t dst, uint32_t len)
{
	struct boot_command c;

	assert_true(boot_command_rtc_read(d->hal, &c));
	assert_int_equal(c.action, BOOT_ACTION_COPY_RAW);
	assert_int_equal(c.args[0], src);
	assert_int_equal(c.args[1], dst);
	assert_int_equal(c.args[2], len);
}

/* The flash journal holds the same command, plus the tail eboot appends
 * after the output (a signature after a gzip stream). */
static void expect_journal(struct device *d, uint32_t src, uint32_t dst, uint32_t len,
			   uint32_t tail)
{
	struct journal_view v;

	assert_int_equal(journal_read(d->hal, d->cfg.layout.journal, &v), 0);
	assert_int_equal(v.state, JOURNAL_PENDING);
	assert_int_equal(v.cmd.src, src);
	assert_int_equal(v.cmd.dst, dst);
	assert_int_equal(v.cmd.len, len);
	assert_int_equal(v.cmd.tail, tail);
}

static void expect_nothing_scheduled(struct device *d)
{
	struct boot_command c;

	assert_false(boot_command_rtc_read(d->hal, &c));
	assert_false(journal_update_pending(d->hal, &d->cfg.layout));
}

static void expect_flash(struct device *d, uint32_t addr, const uint8_t *want, uint32_t len)
{
	uint8_t *got = flash_dump(d, addr, len);

	assert_memory_equal(got, want, len);
	free(got);
}

static uint8_t *new_bin(uint32_t len, uint8_t mode, uint32_t flash_size, uint32_t seed)
{
	uint8_t *p = malloc(len);

	assert_non_null(p);
	make_bin(p, len, mode, (uint8_t)(size_nibble(flash_size) << 4), seed);
	return p;
}

/* ---- signing with libcrypto, as signing.py does with openssl ---- */

static EVP_PKEY *g_key;   /* generated once for the signature tests */
static EVP_PKEY *g_other; /* a second key: "wrong key" */

static void load_pubkey(struct device *d, EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *pem;
	long n;

	assert_non_null(b);
	assert_int_equal(PEM_write_bio_PUBKEY(b, k), 1);
	n = BIO_get_mem_data(b, &pem);
	assert_int_equal(rsa_pubkey_from_pem(&d->key, pem, (size_t)n), RSA_OK);
	BIO_free(b);
	d->cfg.key = &d->key;
}

/* payload ‖ signature ‖ uint32 LE signature length (docs/protocol/signed-image-format.md §1). */
static uint8_t *sign_image(EVP_PKEY *k, const uint8_t *p, size_t len, bool legacy,
			   size_t *outlen)
{
	size_t siglen = (size_t)EVP_PKEY_get_size(k);
	uint8_t *out = malloc(len + siglen + 4);

	assert_non_null(out);
	memcpy(out, p, len);
	if (!legacy) {
		EVP_MD_CTX *m = EVP_MD_CTX_new();

		assert_int_equal(EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, k), 1);
		assert_int_equal(EVP_DigestSign(m, out + len, &siglen, p, len), 1);
		EVP_MD_CTX_free(m);
	} else {
		uint8_t dg[32];
		unsigned dn = 0;
		EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(k, NULL);

		assert_int_equal(EVP_Digest(p, len, dg, &dn, EVP_sha256(), NULL), 1);
		assert_int_equal(EVP_PKEY_sign_init(c), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING), 1);
		assert_int_equal(EVP_PKEY_sign(c, out + len, &siglen, dg, sizeof(dg)), 1);
		EVP_PKEY_CTX_free(c);
	}
	out[len + siglen] = (uint8_t)siglen;
	out[len + siglen + 1] = (uint8_t)(siglen >> 8);
	out[len + siglen + 2] = 0;
	out[len + siglen + 3] = 0;
	*outlen = len + siglen + 4;
	return out;
}

static int group_setup(void **state)
{
	(void)state;
	g_key = EVP_RSA_gen(2048);
	g_other = EVP_RSA_gen(2048);
	return g_key && g_other ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(g_key);
	EVP_PKEY_free(g_other);
	return 0;
}

/* ---- begin checks ---- */

static void test_begin_running_already_15(void **state)
{
	struct device d;

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(updater_begin(&d.u, 100000, UPDATE_CMD_FLASH));
	assert_false(updater_begin(&d.u, 100000, UPDATE_CMD_FLASH));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_RUNNING_ALREADY);
	expect_text(&d, "ERROR[15]: Update already running\n");
	/* As the core: the error ends the first update too. */
	assert_false(updater_is_running(&d.u));
	assert_int_equal(d.log.errors, 1);
	assert_int_equal(d.log.last_error, UPDATE_ERROR_RUNNING_ALREADY);
	device_close(&d);
}

static void test_begin_size_zero_5(void **state)
{
	struct device d;

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_false(updater_begin(&d.u, 0, UPDATE_CMD_FLASH));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SIZE);
	expect_text(&d, "ERROR[5]: Bad Size Given\n");
	device_close(&d);
}

static void test_begin_flash_config_8(void **state)
{
	struct device d;

	(void)state;
	/* A 1 MB chip whose running image says 4 MB. */
	device_open(&d, MB1, 0x10000, 4, 2);
	assert_false(updater_begin(&d.u, 1000, UPDATE_CMD_FLASH));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_FLASH_CONFIG);
	expect_text(&d, "ERROR[8]: Flash config wrong: real: 1048576, SDK: 4194304\n");
	device_close(&d);
	/* A header that says less than the chip is fine (core: real >= SDK). */
	device_open(&d, MB4, 0x10000, 2, 2);
	assert_true(updater_begin(&d.u, 1000, UPDATE_CMD_FLASH));
	device_close(&d);
}

static void test_begin_unknown_command_16(void **state)
{
	struct device d;

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_false(updater_begin(&d.u, 1000, 42));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_UNKNOWN_COMMAND);
	expect_text(&d, "ERROR[16]: Unknown update command\n");
	assert_false(updater_begin(&d.u, 1000, UPDATE_CMD_AUTH));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_UNKNOWN_COMMAND);
	device_close(&d);
}

/* docs/protocol/image-and-flash.md §8.3, first row: 1M64, current 280000, new 300000 → 0xA1000. */
static void test_space_1m64_example(void **state)
{
	struct device d;
	uint8_t *img = new_bin(300000, 2, MB1, 1);

	(void)state;
	device_open(&d, MB1, 280000, 2, 2);
	assert_true(updater_begin(&d.u, 300000, UPDATE_CMD_FLASH));
	assert_int_equal(d.u.start, 0xA1000);
	updater_abort(&d.u);
	assert_true(upload(&d, img, 300000, UPDATE_CMD_FLASH, 1460, NULL));
	expect_copy(&d, 0xA1000, 0, 300000);
	expect_journal(&d, 0xA1000, 0, 300000, 0);
	expect_flash(&d, 0xA1000, img, 300000);
	/* The image must fit below its staged copy: at most 0xEB000 / 2. */
	assert_true(updater_begin(&d.u, 0x75000, UPDATE_CMD_FLASH));
	assert_int_equal(d.u.start, 0x76000);
	updater_abort(&d.u);
	assert_false(updater_begin(&d.u, 0x75001, UPDATE_CMD_FLASH));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SPACE);
	free(img);
	device_close(&d);
}

/* docs/protocol/image-and-flash.md §8.3, second row: 4M2M → 0x1B6000 for a 300000-byte image. */
static void test_space_4m2m_example(void **state)
{
	struct device d;
	uint8_t *img = new_bin(300000, 2, MB4, 2);

	(void)state;
	device_open(&d, MB4, 0x1B6000, 4, 2);
	assert_true(upload(&d, img, 300000, UPDATE_CMD_FLASH, 4096, NULL));
	expect_copy(&d, 0x1B6000, 0, 300000);
	free(img);
	device_close(&d);
	/* One sector more of running sketch and it no longer fits. */
	device_open(&d, MB4, 0x1B6010, 4, 2);
	assert_false(updater_begin(&d.u, 300000, UPDATE_CMD_FLASH));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SPACE);
	device_close(&d);
}

/* docs/protocol/image-and-flash.md §8.3, third row: 1M64, current 500000, new 500000 → 0x70000 <
 * 0x7B000: error 4. */
static void test_space_4_refused(void **state)
{
	struct device d;

	(void)state;
	device_open(&d, MB1, 500000, 2, 2);
	assert_false(updater_begin(&d.u, 500000, UPDATE_CMD_FLASH));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SPACE);
	expect_text(&d, "ERROR[4]: Not Enough Space\n");
	assert_int_equal(d.log.errors, 1);
	assert_int_equal(d.log.last_error, UPDATE_ERROR_SPACE);
	assert_int_equal(d.log.starts, 0);
	/* An absurd size is refused, not wrapped around. */
	assert_false(updater_begin(&d.u, 0xFFFFFFF0u, UPDATE_CMD_FLASH));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SPACE);
	device_close(&d);
}

static void test_space_2m64(void **state)
{
	struct device d;
	uint8_t *img = new_bin(0xF5000, 2, MB2, 24);

	(void)state;
	device_open(&d, MB2, 0x20000, 3, 2);
	/* fs_start = 0x1EB000: the largest image that fits below its own
	 * staged copy is 0xF5000 (IDE: "OTA ~980 KB"), staged at 0xF6000. */
	assert_false(updater_begin(&d.u, 0xF5001, UPDATE_CMD_FLASH));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SPACE);
	assert_true(upload(&d, img, 0xF5000, UPDATE_CMD_FLASH, 5000, NULL));
	expect_copy(&d, 0xF6000, 0, 0xF5000);
	expect_journal(&d, 0xF6000, 0, 0xF5000, 0);
	free(img);
	device_close(&d);
}

/* ---- write path ---- */

static void test_write_overflow_4(void **state)
{
	struct device d;
	uint8_t *img = new_bin(0x2000, 2, MB1, 3);

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(updater_begin(&d.u, 0x1000, UPDATE_CMD_FLASH));
	assert_int_equal(updater_write(&d.u, img, 0x800), 0x800);
	assert_int_equal(updater_write(&d.u, img + 0x800, 0x801), 0);
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SPACE);
	expect_text(&d, "ERROR[4]: Not Enough Space\n");
	assert_false(updater_is_running(&d.u));
	assert_int_equal(updater_write(&d.u, img, 1), 0);
	assert_false(updater_end(&d.u, false));
	expect_nothing_scheduled(&d);
	free(img);
	device_close(&d);
}

static void test_magic_10_refused_early(void **state)
{
	struct device d;
	uint8_t junk[10000];
	unsigned long ops;

	(void)state;
	memset(junk, 0x42, sizeof(junk));
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(updater_begin(&d.u, sizeof(junk), UPDATE_CMD_FLASH));
	ops = hal_posix_flash_ops(d.hal);
	/* The first sector is only buffered: accepted. */
	assert_int_equal(updater_write(&d.u, junk, 4000), 4000);
	/* Its flush sees the wrong magic: refused before any erase. */
	assert_int_equal(updater_write(&d.u, junk + 4000, 4000), 0);
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_MAGIC_BYTE);
	expect_text(&d, "ERROR[10]: Magic byte is not 0xE9\n");
	assert_int_equal(hal_posix_flash_ops(d.hal), ops);
	assert_false(updater_is_running(&d.u));
	assert_int_equal(d.log.last_error, UPDATE_ERROR_MAGIC_BYTE);
	expect_nothing_scheduled(&d);
	device_close(&d);
}

static void test_magic_10_at_end(void **state)
{
	struct device d;
	const uint8_t one = 0x1F; /* could be gzip until the second byte... */

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(updater_begin(&d.u, 1, UPDATE_CMD_FLASH));
	assert_int_equal(updater_write(&d.u, &one, 1), 1);
	/* ...which end() reads back from flash as 0xFF. */
	assert_false(updater_end(&d.u, false));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_MAGIC_BYTE);
	expect_nothing_scheduled(&d);
	device_close(&d);
}

static void test_fs_any_first_byte(void **state)
{
	struct device d;
	uint8_t data[5000];

	(void)state;
	memset(data, 0x42, sizeof(data));
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(upload(&d, data, sizeof(data), UPDATE_CMD_FS, 1000, NULL));
	expect_flash(&d, d.cfg.layout.fs_start, data, sizeof(data));
	expect_nothing_scheduled(&d);
	device_close(&d);
}

static void test_gzip_accepted_not_patched(void **state)
{
	struct device d;
	uint8_t *img = new_bin(200000, 0, MB1, 4); /* QIO image, DOUT device */
	size_t zlen;
	uint8_t *gz = gzip_bytes(img, 200000, &zlen);
	uint32_t start;

	(void)state;
	device_open(&d, MB1, 0x20000, 2, 3);
	assert_true(updater_begin(&d.u, (uint32_t)zlen, UPDATE_CMD_FLASH));
	start = d.u.start;
	updater_abort(&d.u);
	assert_true(upload(&d, gz, (uint32_t)zlen, UPDATE_CMD_FLASH, 1460, NULL));
	/* Staged exactly as sent: no flash-mode patch inside a gzip stream. */
	expect_flash(&d, start, gz, (uint32_t)zlen);
	expect_copy(&d, start, 0, (uint32_t)zlen);
	free(gz);
	free(img);
	device_close(&d);
}

static void test_gzip_isize_reaching_staging_4(void **state)
{
	struct device d;
	/* 1M64: fs_start 0xEB000. A 700000-byte sketch compresses to well
	 * under 0x75800, so it stages above 0x75800 — but inflated it would
	 * run past the staging start while eboot still reads from there. */
	uint8_t *img = new_bin(700000, 2, MB1, 5);
	size_t zlen;
	uint8_t *gz = gzip_bytes(img, 700000, &zlen);

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(zlen < 500000);
	assert_true(updater_begin(&d.u, (uint32_t)zlen, UPDATE_CMD_FLASH));
	assert_true(d.u.start < 700000);
	updater_abort(&d.u);
	assert_false(upload(&d, gz, (uint32_t)zlen, UPDATE_CMD_FLASH, 4096, NULL));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SPACE);
	expect_text(&d, "ERROR[4]: Not Enough Space\n");
	expect_nothing_scheduled(&d);
	free(gz);
	free(img);
	device_close(&d);
}

static void test_flash_mode_patched_plain(void **state)
{
	struct device d;
	uint32_t len = 0x9000;
	uint8_t *img = new_bin(len, 0, MB1, 6); /* QIO image */
	char md5[33];
	uint8_t *staged;

	(void)state;
	md5_hex(img, len, md5, false);
	device_open(&d, MB1, 0x10000, 2, 3); /* DOUT device */
	/* The MD5 of the file as sent still matches. */
	assert_true(upload(&d, img, len, UPDATE_CMD_FLASH, 1460, md5));
	expect_copy(&d, d.cfg.layout.fs_start - 0x9000, 0, len);
	staged = flash_dump(&d, d.cfg.layout.fs_start - 0x9000, len);
	assert_int_equal(staged[2], 3);     /* patched to the device's mode */
	assert_int_equal(staged[3], img[3]); /* size/frequency never touched */
	staged[2] = img[2];
	assert_memory_equal(staged, img, len);
	free(staged);
	free(img);
	device_close(&d);
}

static void test_flash_mode_same_untouched(void **state)
{
	struct device d;
	uint32_t len = 0x3000;
	uint8_t *img = new_bin(len, 2, MB1, 7);

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(upload(&d, img, len, UPDATE_CMD_FLASH, 4096, NULL));
	expect_flash(&d, d.cfg.layout.fs_start - 0x3000, img, len);
	free(img);
	device_close(&d);
}

static void test_chunk_sizes_same_flash(void **state)
{
	static const size_t chunks[] = { 1, 7, 1460, 4096, 5000, 65536 };
	uint32_t len = 50000;
	uint8_t *img = new_bin(len, 0, MB1, 8);
	uint8_t *first = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		struct device d;
		uint32_t start = 0xEB000 - 0xD000;
		uint8_t *got;

		device_open(&d, MB1, 0x10000, 2, 3);
		assert_true(upload(&d, img, len, UPDATE_CMD_FLASH, chunks[i], NULL));
		expect_copy(&d, start, 0, len);
		/* Whole sectors: the tail after the image must be erased too. */
		got = flash_dump(&d, start, 0xD000);
		if (!first)
			first = got;
		else {
			assert_memory_equal(got, first, 0xD000);
			free(got);
		}
		assert_int_equal(d.log.last_done, len);
		device_close(&d);
	}
	for (uint32_t i = len; i < 0xD000; i++)
		assert_int_equal(first[i], 0xFF);
	free(first);
	free(img);
}

/* Flash that does not hold what was sent (bits cleared after the write)
 * is caught by the read-back before anything is scheduled. */
static void test_readback_catches_corruption(void **state)
{
	struct device d;
	uint32_t len = 0x5000, start = 0xEB000 - 0x5000;
	uint8_t *img = new_bin(len, 2, MB1, 22);
	const uint8_t zero[4] = { 0 };
	uint32_t off = 0x2100;

	(void)state;
	while (memcmp(img + off, zero, 4) == 0)
		off += 4;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(updater_begin(&d.u, len, UPDATE_CMD_FLASH));
	assert_int_equal(updater_write(&d.u, img, len), len);
	assert_int_equal(hal_flash_write(d.hal, start + off, zero, 4), 0);
	assert_false(updater_end(&d.u, false));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_WRITE);
	expect_text(&d, "ERROR[1]: Flash Write Failed\n");
	expect_nothing_scheduled(&d);
	free(img);
	device_close(&d);
}

/* Power cut at every flash erase/write of an upload and its scheduling:
 * afterwards the running image is intact, and the flash journal holds
 * either no command or the complete one. */
static void test_power_cut_every_op(void **state)
{
	uint32_t len = 0x5000, start = 0xEB000 - 0x5000;
	uint8_t *img = new_bin(len, 0, MB1, 23);
	uint8_t *run = new_bin(0x10000, 2, MB1, 7);
	unsigned long total, pending = 0;
	struct device d;

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(upload(&d, img, len, UPDATE_CMD_FLASH, 1460, NULL));
	total = hal_posix_flash_ops(d.hal);
	device_close(&d);
	assert_true(total > 10);
	for (unsigned long k = 1; k <= total; k++) {
		struct journal_view v;

		device_open_cut(&d, MB1, 0x10000, 2, 2, (long)k);
		assert_false(upload(&d, img, len, UPDATE_CMD_FLASH, 1460, NULL));
		assert_true(hal_posix_power_lost(d.hal));
		assert_int_not_equal(updater_error(&d.u), UPDATE_ERROR_OK);
		if (k == 1) /* the first sector's erase */
			expect_text(&d, "ERROR[2]: Flash Erase Failed\n");
		if (k == 2) /* its write */
			expect_text(&d, "ERROR[1]: Flash Write Failed\n");
		device_power_cycle(&d);
		expect_flash(&d, 0, run, 0x10000);
		assert_int_equal(journal_read(d.hal, d.cfg.layout.journal, &v), 0);
		if (v.state != JOURNAL_EMPTY) {
			assert_int_equal(v.state, JOURNAL_PENDING);
			assert_int_equal(v.cmd.src, start);
			assert_int_equal(v.cmd.len, len);
			uint8_t *staged = flash_dump(&d, start, len);

			pending++;
			assert_int_equal(staged[2], 2); /* patched to the device's mode */
			assert_memory_equal(staged + 3, img + 3, len - 3);
			free(staged);
		}
		device_close(&d);
	}
	/* The cut after the journal record's write leaves it complete. */
	assert_true(pending >= 1);
	free(run);
	free(img);
}

/* ---- MD5 ---- */

static void test_md5_ok_any_case(void **state)
{
	struct device d;
	uint32_t len = 0x5000;
	uint8_t *img = new_bin(len, 2, MB1, 9);
	char md5[33];

	(void)state;
	md5_hex(img, len, md5, true);
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_false(updater_set_md5(&d.u, md5, 31));
	assert_true(upload(&d, img, len, UPDATE_CMD_FLASH, 1000, md5));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_OK);
	free(img);
	device_close(&d);
}

static void test_md5_mismatch_7(void **state)
{
	struct device d;
	uint32_t len = 0x5000;
	uint8_t *img = new_bin(len, 2, MB1, 10);
	char calc[33], want[160];
	const char *wrong = "0123456789ABCDEF0123456789abcdef";

	(void)state;
	md5_hex(img, len, calc, false);
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_false(upload(&d, img, len, UPDATE_CMD_FLASH, 1000, wrong));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_MD5);
	snprintf(want, sizeof(want),
		 "ERROR[7]: MD5 verification failed: expected: %s, calculated: %s\n", wrong,
		 calc);
	expect_text(&d, want);
	assert_int_equal(d.log.last_error, UPDATE_ERROR_MD5);
	assert_int_equal(d.log.ends, 0);
	expect_nothing_scheduled(&d);
	free(img);
	device_close(&d);
}

/* ---- signatures ---- */

static void test_signed_ok_installs_whole_upload(void **state)
{
	struct device d;
	uint32_t len = 0x6000;
	uint8_t *img = new_bin(len, 2, MB1, 11);
	size_t slen;
	uint8_t *signed_img = sign_image(g_key, img, len, false, &slen);
	uint32_t start;

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	load_pubkey(&d, g_key);
	/* With a key the announced MD5 is ignored, as the core does. */
	assert_true(upload(&d, signed_img, (uint32_t)slen, UPDATE_CMD_FLASH, 1460,
			   "00000000000000000000000000000000"));
	start = 0xEB000 - 0x7000;
	expect_copy(&d, start, 0, (uint32_t)slen);
	expect_journal(&d, start, 0, (uint32_t)slen, 0);
	expect_flash(&d, start, signed_img, (uint32_t)slen);
	assert_int_equal(d.log.ends, 1);
	free(signed_img);
	free(img);
	device_close(&d);
}

static void test_signed_tampered_12(void **state)
{
	struct device d;
	uint32_t len = 0x6000;
	uint8_t *img = new_bin(len, 2, MB1, 12);
	size_t slen;
	uint8_t *signed_img = sign_image(g_key, img, len, false, &slen);

	(void)state;
	signed_img[0x3000] ^= 0x01;
	device_open(&d, MB1, 0x10000, 2, 2);
	load_pubkey(&d, g_key);
	assert_false(upload(&d, signed_img, (uint32_t)slen, UPDATE_CMD_FLASH, 1460, NULL));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SIGN);
	expect_text(&d, "ERROR[12]: Signature verification failed\n");
	expect_nothing_scheduled(&d);
	/* The running image is untouched. */
	{
		uint8_t *run = new_bin(0x10000, 2, MB1, 7);

		expect_flash(&d, 0, run, 0x10000);
		free(run);
	}
	free(signed_img);
	free(img);
	device_close(&d);
}

static void test_signed_wrong_key_12(void **state)
{
	struct device d;
	uint32_t len = 0x2000;
	uint8_t *img = new_bin(len, 2, MB1, 13);
	size_t slen;
	uint8_t *signed_img = sign_image(g_other, img, len, false, &slen);

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	load_pubkey(&d, g_key);
	assert_false(upload(&d, signed_img, (uint32_t)slen, UPDATE_CMD_FLASH, 4096, NULL));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SIGN);
	expect_nothing_scheduled(&d);
	free(signed_img);
	free(img);
	device_close(&d);
}

static void test_unsigned_12(void **state)
{
	struct device d;
	uint32_t len = 0x6000;
	uint8_t *img = new_bin(len, 2, MB1, 14);

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	load_pubkey(&d, g_key);
	assert_false(upload(&d, img, len, UPDATE_CMD_FLASH, 1460, NULL));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SIGN);
	expect_text(&d, "ERROR[12]: Signature verification failed\n");
	expect_nothing_scheduled(&d);
	/* Too short to even hold a trailer. */
	assert_true(updater_begin(&d.u, 3, UPDATE_CMD_FLASH));
	assert_int_equal(updater_write(&d.u, img, 3), 3);
	assert_false(updater_end(&d.u, false));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SIGN);
	free(img);
	device_close(&d);
}

static void test_legacy_signature(void **state)
{
	struct device d;
	uint32_t len = 0x4000;
	uint8_t *img = new_bin(len, 2, MB1, 15);
	size_t slen;
	uint8_t *legacy = sign_image(g_key, img, len, true, &slen);

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	load_pubkey(&d, g_key);
	assert_false(upload(&d, legacy, (uint32_t)slen, UPDATE_CMD_FLASH, 1460, NULL));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SIGN);
	expect_nothing_scheduled(&d);
	d.cfg.accept_legacy = true;
	assert_true(upload(&d, legacy, (uint32_t)slen, UPDATE_CMD_FLASH, 1460, NULL));
	expect_copy(&d, 0xEB000 - 0x5000, 0, (uint32_t)slen);
	free(legacy);
	free(img);
	device_close(&d);
}

/* The improvement: the core hashes the patched flash copy, so this fails
 * there with error 12; here the bytes as signed are verified. */
static void test_signed_other_flash_mode_accepted(void **state)
{
	struct device d;
	uint32_t len = 0x6000;
	uint8_t *img = new_bin(len, 0, MB1, 16); /* QIO */
	size_t slen;
	uint8_t *signed_img = sign_image(g_key, img, len, false, &slen);
	uint32_t start = 0xEB000 - 0x7000;
	uint8_t *staged;

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2); /* DIO device */
	load_pubkey(&d, g_key);
	assert_true(upload(&d, signed_img, (uint32_t)slen, UPDATE_CMD_FLASH, 7, NULL));
	expect_copy(&d, start, 0, (uint32_t)slen);
	staged = flash_dump(&d, start, (uint32_t)slen);
	assert_int_equal(staged[2], 2);
	staged[2] = 0;
	assert_memory_equal(staged, signed_img, slen);
	free(staged);
	free(signed_img);
	free(img);
	device_close(&d);
}

static void test_signed_gzip_len_ends_at_trailer(void **state)
{
	struct device d;
	uint8_t *img = new_bin(100000, 0, MB1, 17);
	size_t zlen, slen;
	uint8_t *gz = gzip_bytes(img, 100000, &zlen);
	uint8_t *signed_gz = sign_image(g_key, gz, zlen, false, &slen);
	uint32_t start;

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 3);
	load_pubkey(&d, g_key);
	assert_true(updater_begin(&d.u, (uint32_t)slen, UPDATE_CMD_FLASH));
	start = d.u.start;
	updater_abort(&d.u);
	assert_true(upload(&d, signed_gz, (uint32_t)slen, UPDATE_CMD_FLASH, 1460, NULL));
	/* eboot reads ISIZE at src + len - 4: len must end at the gzip trailer. */
	expect_copy(&d, start, 0, (uint32_t)zlen);
	expect_journal(&d, start, 0, (uint32_t)zlen, (uint32_t)(slen - zlen));
	expect_flash(&d, start, signed_gz, (uint32_t)slen);
	free(signed_gz);
	free(gz);
	free(img);
	device_close(&d);
}

/* The core would install the whole upload and eboot would take the
 * signature length for the gzip ISIZE; here the stream ends at its trailer
 * even on a device without a key. */
static void test_signed_gzip_on_keyless_device(void **state)
{
	struct device d;
	uint8_t *img = new_bin(100000, 2, MB1, 21);
	size_t zlen, slen;
	uint8_t *gz = gzip_bytes(img, 100000, &zlen);
	uint8_t *signed_gz = sign_image(g_key, gz, zlen, false, &slen);
	char md5[33];
	uint32_t start;

	(void)state;
	md5_hex(signed_gz, slen, md5, false); /* MD5 of the file as sent */
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(updater_begin(&d.u, (uint32_t)slen, UPDATE_CMD_FLASH));
	start = d.u.start;
	updater_abort(&d.u);
	assert_true(upload(&d, signed_gz, (uint32_t)slen, UPDATE_CMD_FLASH, 1460, md5));
	expect_copy(&d, start, 0, (uint32_t)zlen);
	expect_journal(&d, start, 0, (uint32_t)zlen, (uint32_t)(slen - zlen));
	/* A plain gzip on the same device: the whole upload. */
	assert_true(updater_begin(&d.u, (uint32_t)zlen, UPDATE_CMD_FLASH));
	start = d.u.start;
	updater_abort(&d.u);
	assert_true(upload(&d, gz, (uint32_t)zlen, UPDATE_CMD_FLASH, 1460, NULL));
	expect_copy(&d, start, 0, (uint32_t)zlen);
	free(signed_gz);
	free(gz);
	free(img);
	device_close(&d);
}

/* The worked example of docs/protocol/signed-image-format.md §8: its key and
 * 4096-byte payload give the signing.py output whose SHA-256 is listed, and
 * the device accepts it — with and without a flash-mode patch. */
static void test_spec_worked_example(void **state)
{
	static const char want_sha[] =
		"1157ae0605b163dfab6600031fe2ce9bd507eabd7003e9889b1dfee30a171c0f";
	BIO *b = BIO_new_mem_buf(spec_private_key, -1);
	EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	uint8_t payload[4096];
	uint8_t dg[32];
	unsigned dn = 0;
	char hex[65];
	size_t slen;
	uint8_t *signed_img;

	(void)state;
	assert_non_null(k);
	spec_payload(payload);
	signed_img = sign_image(k, payload, sizeof(payload), false, &slen);
	assert_int_equal(slen, 4356);
	assert_int_equal(EVP_Digest(signed_img, slen, dg, &dn, EVP_sha256(), NULL), 1);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", dg[i]);
	assert_string_equal(hex, want_sha);

	for (uint8_t mode = 0; mode < 4; mode++) {
		struct device d;

		device_open(&d, MB1, 0x10000, 2, mode);
		load_pubkey(&d, k);
		assert_true(upload(&d, signed_img, (uint32_t)slen, UPDATE_CMD_FLASH, 1460, NULL));
		expect_copy(&d, 0xEB000 - 0x2000, 0, (uint32_t)slen);
		device_close(&d);
	}
	free(signed_img);
	EVP_PKEY_free(k);
	BIO_free(b);
}

/* ---- filesystem ---- */

static void test_fs_in_place(void **state)
{
	struct device d;
	uint32_t len = 0x8000;
	uint8_t *data = malloc(len);

	(void)state;
	for (uint32_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 7u);
	device_open(&d, MB4, 0x40000, 4, 2);
	assert_true(upload(&d, data, len, UPDATE_CMD_FS, 1460, NULL));
	expect_flash(&d, 0x200000, data, len);
	expect_nothing_scheduled(&d);
	/* Larger than the filesystem: error 4. */
	assert_false(updater_begin(&d.u, 0x3F8000 - 0x200000 + 1, UPDATE_CMD_FS));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SPACE);
	/* Exactly the filesystem: fine; stage 2 and the journal stay out. */
	assert_true(updater_begin(&d.u, 0x3F8000 - 0x200000, UPDATE_CMD_FS));
	updater_abort(&d.u);
	free(data);
	device_close(&d);
}

/* docs/protocol/image-and-flash.md §8.3, last row: 4M2M with ATOMIC_FS_UPDATE, FS image 0x40000. */
static void test_fs_atomic(void **state)
{
	struct device d;
	uint32_t len = 0x40000;
	uint8_t *data = malloc(len);

	(void)state;
	for (uint32_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i >> 5);
	device_open(&d, MB4, 0x40000, 4, 2);
	d.cfg.atomic_fs = true;
	assert_true(upload(&d, data, len, UPDATE_CMD_FS, 5000, NULL));
	expect_copy(&d, 0x1C0000, 0x200000, len);
	expect_journal(&d, 0x1C0000, 0x200000, len, 0);
	expect_flash(&d, 0x1C0000, data, len);
	free(data);
	device_close(&d);
	/* 1M64: the FS is 52 KiB (stage 2 and the journal took its last three
	 * sectors). */
	device_open(&d, MB1, 0x10000, 2, 2);
	d.cfg.atomic_fs = true;
	assert_false(updater_begin(&d.u, 0xE000, UPDATE_CMD_FS));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SPACE);
	assert_true(updater_begin(&d.u, 0xD000, UPDATE_CMD_FS));
	assert_int_equal(d.u.start, 0xEB000 - 0xD000);
	device_close(&d);
}

/* Filesystem images are verified too (as the core's end() does for any
 * command); installed whole when staged. */
static void test_fs_signed(void **state)
{
	struct device d;
	uint32_t len = 0x8000;
	uint8_t *data = malloc(len);
	size_t slen;
	uint8_t *signed_fs;

	(void)state;
	for (uint32_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 13u);
	signed_fs = sign_image(g_key, data, len, false, &slen);
	device_open(&d, MB4, 0x40000, 4, 2);
	load_pubkey(&d, g_key);
	d.cfg.atomic_fs = true;
	assert_true(upload(&d, signed_fs, (uint32_t)slen, UPDATE_CMD_FS, 1460, NULL));
	expect_copy(&d, 0x200000 - 0x9000, 0x200000, (uint32_t)slen);
	device_close(&d);
	signed_fs[100] ^= 0x80;
	device_open(&d, MB4, 0x40000, 4, 2);
	load_pubkey(&d, g_key);
	d.cfg.atomic_fs = true;
	assert_false(upload(&d, signed_fs, (uint32_t)slen, UPDATE_CMD_FS, 1460, NULL));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_SIGN);
	expect_nothing_scheduled(&d);
	device_close(&d);
	free(signed_fs);
	free(data);
}

/* ---- end() variants and callbacks ---- */

static void test_end_variants(void **state)
{
	struct device d;
	uint32_t len = 0x3000;
	uint8_t *img = new_bin(len, 2, MB1, 18);

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	/* Not running: false, no code. */
	assert_false(updater_end(&d.u, false));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_OK);
	/* Nothing written: 13. */
	assert_true(updater_begin(&d.u, len, UPDATE_CMD_FLASH));
	assert_false(updater_end(&d.u, true));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_NO_DATA);
	expect_text(&d, "ERROR[13]: No data supplied\n");
	/* Short upload without even_if_remaining: false, no new code. */
	assert_true(updater_begin(&d.u, len + 0x1000, UPDATE_CMD_FLASH));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_OK);
	assert_int_equal(updater_write(&d.u, img, len), len);
	assert_int_equal(updater_remaining(&d.u), 0x1000);
	assert_false(updater_end(&d.u, false));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_OK);
	expect_nothing_scheduled(&d);
	/* The same with even_if_remaining: installs what came. */
	assert_true(updater_begin(&d.u, len + 0x1000, UPDATE_CMD_FLASH));
	assert_int_equal(updater_write(&d.u, img, len), len);
	assert_true(updater_end(&d.u, true));
	expect_copy(&d, 0xEB000 - 0x4000, 0, len);
	free(img);
	device_close(&d);
}

static void test_callbacks(void **state)
{
	struct device d;
	uint32_t len = 0x5432;
	uint8_t *img = malloc(len);

	(void)state;
	make_bin(img, 0x5430, 2, 0x20, 19);
	img[0x5430] = img[0x5431] = 0;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(upload(&d, img, len, UPDATE_CMD_FLASH, 999, NULL));
	assert_int_equal(d.log.starts, 1);
	assert_int_equal(d.log.ends, 1);
	assert_int_equal(d.log.errors, 0);
	assert_int_equal(d.log.progress_calls, 6); /* one per flushed sector */
	assert_int_equal(d.log.last_done, len);
	assert_int_equal(d.log.last_total, len);
	assert_true(d.log.progress_monotonic);
	/* An error reaches on_error with its code, and no on_end. */
	assert_false(updater_begin(&d.u, 0, UPDATE_CMD_FLASH));
	assert_int_equal(d.log.errors, 1);
	assert_int_equal(d.log.last_error, UPDATE_ERROR_SIZE);
	assert_int_equal(d.log.ends, 1);
	assert_int_equal(d.log.starts, 1);
	free(img);
	device_close(&d);
}

static void test_error_texts(void **state)
{
	static const struct {
		enum updater_error e;
		const char *text;
	} t[] = {
		{ UPDATE_ERROR_OK, "No Error" },
		{ UPDATE_ERROR_WRITE, "Flash Write Failed" },
		{ UPDATE_ERROR_ERASE, "Flash Erase Failed" },
		{ UPDATE_ERROR_READ, "Flash Read Failed" },
		{ UPDATE_ERROR_SPACE, "Not Enough Space" },
		{ UPDATE_ERROR_SIZE, "Bad Size Given" },
		{ UPDATE_ERROR_STREAM, "Stream Read Timeout" },
		{ UPDATE_ERROR_MAGIC_BYTE, "Magic byte is not 0xE9" },
		{ UPDATE_ERROR_BOOTSTRAP, "Invalid bootstrapping state, reset ESP8266 before updating" },
		{ UPDATE_ERROR_SIGN, "Signature verification failed" },
		{ UPDATE_ERROR_NO_DATA, "No data supplied" },
		{ UPDATE_ERROR_OOM, "Out of memory" },
		{ UPDATE_ERROR_RUNNING_ALREADY, "Update already running" },
		{ UPDATE_ERROR_UNKNOWN_COMMAND, "Unknown update command" },
	};
	struct device d;
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(updater_strerror(t[i].e), t[i].text);
	assert_string_equal(updater_strerror((enum updater_error)99), "UNKNOWN");
	device_open(&d, MB1, 0x10000, 2, 2);
	expect_text(&d, "ERROR[0]: No Error\n");
	/* A small buffer gets a truncated, terminated text. */
	assert_int_equal(updater_error_text(&d.u, buf, sizeof(buf)), 15);
	assert_string_equal(buf, "ERROR[0]: No Er");
	device_close(&d);
}

static void test_new_flash_config_9(void **state)
{
	struct device d;
	uint32_t len = 0x3000;
	uint8_t *img = new_bin(len, 2, MB4, 20); /* built for 4 MB */

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_false(upload(&d, img, len, UPDATE_CMD_FLASH, 4096, NULL));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_NEW_FLASH_CONFIG);
	expect_text(&d, "ERROR[9]: new Flash config wrong, real size: 1048576\n");
	expect_nothing_scheduled(&d);
	free(img);
	device_close(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_begin_running_already_15),
		cmocka_unit_test(test_begin_size_zero_5),
		cmocka_unit_test(test_begin_flash_config_8),
		cmocka_unit_test(test_begin_unknown_command_16),
		cmocka_unit_test(test_space_1m64_example),
		cmocka_unit_test(test_space_4m2m_example),
		cmocka_unit_test(test_space_4_refused),
		cmocka_unit_test(test_space_2m64),
		cmocka_unit_test(test_write_overflow_4),
		cmocka_unit_test(test_magic_10_refused_early),
		cmocka_unit_test(test_magic_10_at_end),
		cmocka_unit_test(test_fs_any_first_byte),
		cmocka_unit_test(test_gzip_accepted_not_patched),
		cmocka_unit_test(test_gzip_isize_reaching_staging_4),
		cmocka_unit_test(test_flash_mode_patched_plain),
		cmocka_unit_test(test_flash_mode_same_untouched),
		cmocka_unit_test(test_chunk_sizes_same_flash),
		cmocka_unit_test(test_readback_catches_corruption),
		cmocka_unit_test(test_power_cut_every_op),
		cmocka_unit_test(test_md5_ok_any_case),
		cmocka_unit_test(test_md5_mismatch_7),
		cmocka_unit_test(test_signed_ok_installs_whole_upload),
		cmocka_unit_test(test_signed_tampered_12),
		cmocka_unit_test(test_signed_wrong_key_12),
		cmocka_unit_test(test_unsigned_12),
		cmocka_unit_test(test_legacy_signature),
		cmocka_unit_test(test_signed_other_flash_mode_accepted),
		cmocka_unit_test(test_signed_gzip_len_ends_at_trailer),
		cmocka_unit_test(test_signed_gzip_on_keyless_device),
		cmocka_unit_test(test_spec_worked_example),
		cmocka_unit_test(test_fs_in_place),
		cmocka_unit_test(test_fs_atomic),
		cmocka_unit_test(test_fs_signed),
		cmocka_unit_test(test_end_variants),
		cmocka_unit_test(test_callbacks),
		cmocka_unit_test(test_error_texts),
		cmocka_unit_test(test_new_flash_config_9),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
