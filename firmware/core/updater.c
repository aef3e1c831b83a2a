/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Updater (docs/protocol/image-and-flash.md §5, docs/protocol/signed-image-format.md §4-5).
 * Behaviour follows the ESP8266 core's Updater; the differences are listed
 * in docs/updater.md and marked "unlike the core" below.
 */
#include "updater.h"

#include "boot_command.h"
#include "fwmem.h"
#include "hal.h"
#include "image_header.h"
#include "journal.h"
#include "stage2_image.h"
#include "staged_check.h"

#define SECTOR HAL_FLASH_SECTOR
#define SIG_TRAILER 4u  /* uint32 LE signature length after the signature */
#define GZIP_MIN 20u    /* 10-byte header, 2 bytes of deflate, 8-byte trailer */

_Static_assert(11u + 60u + sizeof(((struct updater *)0)->detail) + 1u <= UPDATER_ERROR_TEXT_MAX,
	       "the longest error text fits UPDATER_ERROR_TEXT_MAX");
_Static_assert(sizeof(((struct updater *)0)->verify) <= HAL_FLASH_SECTOR,
	       "the signature and RSA work space share the sector buffer");

static uint32_t round_sector(uint32_t v)
{
	return (v + (SECTOR - 1u)) & ~(SECTOR - 1u);
}

/* ---- error text helpers (no libc on the target) ---- */

struct text {
	char *p;
	size_t cap, len;
};

static void text_put(struct text *t, const char *s)
{
	while (*s) {
		if (t->len + 1 < t->cap)
			t->p[t->len] = *s;
		t->len++;
		s++;
	}
	if (t->cap)
		t->p[t->len < t->cap ? t->len : t->cap - 1] = '\0';
}

static void text_put_u32(struct text *t, uint32_t v)
{
	char digits[11];
	size_t n = sizeof(digits) - 1;

	digits[n] = '\0';
	do {
		digits[--n] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v);
	text_put(t, digits + n);
}

static void hex_lower(char *out, const uint8_t *in, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15u];
	}
	out[2 * len] = '\0';
}

static bool is_hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The expected MD5 as the uploader sent it: any byte that is no hex digit
 * (a control character, an escape sequence) as \xNN, so it reaches no
 * terminal or log raw. */
static void text_put_md5_escaped(struct text *t, const char *s)
{
	char one[2] = { 0, 0 }, esc[5] = { '\\', 'x', 0, 0, 0 };

	for (; *s; s++) {
		if (is_hex_digit(*s)) {
			one[0] = *s;
			text_put(t, one);
			continue;
		}
		hex_lower(esc + 2, (const uint8_t *)s, 1);
		text_put(t, esc);
	}
}

/* ---- state ---- */

static void reset_state(struct updater *u)
{
	u->running = false;
	u->start = 0;
	u->size = 0;
	u->written = 0;
	u->buffered = 0;
	u->command = UPDATE_CMD_FLASH;
	u->mode_patched = false;
}

/* As the core: any error ends the update (it reads as finished, so
 * receive loops stop); the code stays until the next begin. */
static void set_error(struct updater *u, enum updater_error err)
{
	u->error = err;
	reset_state(u);
	if (u->cb.on_error)
		u->cb.on_error(u->cb.ctx, err);
}

void updater_init(struct updater *u, struct hal *h, const struct updater_config *cfg,
		  const struct updater_callbacks *cb)
{
	fw_memset(u, 0, sizeof(*u));
	u->hal = h;
	u->cfg = cfg;
	if (cb)
		u->cb = *cb;
	reset_state(u);
}

/* ---- begin ---- */

/* checkFlashConfig(false): the real chip must be at least as large as the
 * size the running image's header (flash offset 0) announces. */
static bool flash_config_ok(struct updater *u)
{
	uint8_t hdr[4];
	uint32_t real = hal_flash_size(u->hal);
	uint32_t sdk;
	struct text t = { u->detail, sizeof(u->detail), 0 };

	if (image_flash_read(u->hal, 0, hdr, sizeof(hdr)) != HAL_OK)
		return true; /* the core reads size 0 then, which passes */
	sdk = image_flash_size(hdr[IMAGE_SIZE_FREQ_OFFSET]);
	if (real >= sdk)
		return true;
	text_put(&t, ": real: ");
	text_put_u32(&t, real);
	text_put(&t, ", SDK: ");
	text_put_u32(&t, sdk);
	return false;
}

/* The sectors [start, start + len) hold no journal and stay on the chip:
 * our layout adds a journal sector that the core's arithmetic knows
 * nothing of (flash_layout.c), so it is guarded here explicitly. */
static bool region_allowed(const struct flash_layout *l, uint32_t start, uint32_t len)
{
	uint64_t end = (uint64_t)start + len;

	if (end > l->flash_size)
		return false;
	return !(l->journal >= start && (uint64_t)l->journal < end);
}

bool updater_begin(struct updater *u, uint32_t size, int command)
{
	const struct flash_layout *l = &u->cfg->layout;
	uint32_t sketch, cur, rounded, start;
	enum image_status st;

	if (u->running) {
		set_error(u, UPDATE_ERROR_RUNNING_ALREADY);
		return false;
	}
	/* Check 2 (UART download boot strap) has no counterpart in the HAL. */
	if (size == 0) {
		set_error(u, UPDATE_ERROR_SIZE);
		return false;
	}
	u->detail[0] = '\0';
	if (!flash_config_ok(u)) {
		set_error(u, UPDATE_ERROR_FLASH_CONFIG);
		return false;
	}

	reset_state(u);
	u->error = UPDATE_ERROR_OK;
	u->md5_set = false;
	u->md5_expected[0] = '\0';

	st = image_sketch_size(u->hal, &sketch);
	if (st == IMAGE_ERR_MAGIC) {
		sketch = FLASH_APP_START; /* blank chip (simulator): only eboot */
	} else if (st != IMAGE_OK) {
		/* Unlike the core (which then assumes 0 and may stage over the
		 * running app), an unreadable sketch refuses the update. */
		set_error(u, UPDATE_ERROR_READ);
		return false;
	}
	cur = round_sector(sketch);
	if (size > l->flash_size) {
		set_error(u, UPDATE_ERROR_SPACE);
		return false;
	}
	rounded = round_sector(size);

	if (command == UPDATE_CMD_FLASH) {
		start = l->fs_start > rounded ? l->fs_start - rounded : 0;
		/* Unlike the core, the image must also fit below its own staged
		 * copy (the IDE's "OTA" figure, FS_start / 2): eboot copies it to
		 * 0 and a copy that overwrites unread staged bytes cannot be
		 * restarted after a reset. A gzip upload is checked again at
		 * end() with its inflated size. */
		if (start < cur || rounded > start) {
			set_error(u, UPDATE_ERROR_SPACE);
			return false;
		}
	} else if (command == UPDATE_CMD_FS) {
		if ((uint64_t)l->fs_start + rounded > l->fs_end) {
			set_error(u, UPDATE_ERROR_SPACE);
			return false;
		}
		if (u->cfg->atomic_fs) {
			start = l->fs_start > rounded ? l->fs_start - rounded : 0;
			if (start < cur) {
				set_error(u, UPDATE_ERROR_SPACE);
				return false;
			}
		} else {
			start = l->fs_start;
		}
	} else {
		set_error(u, UPDATE_ERROR_UNKNOWN_COMMAND);
		return false;
	}
	if (!region_allowed(l, start, rounded)) {
		set_error(u, UPDATE_ERROR_SPACE);
		return false;
	}

	u->start = start;
	u->size = size;
	u->command = command;
	u->running = true;
	md5_init(&u->md5);
	if (u->cb.on_start)
		u->cb.on_start(u->cb.ctx);
	return true;
}

bool updater_set_md5(struct updater *u, const char *hex, size_t len)
{
	if (len != 32)
		return false;
	fw_memcpy(u->md5_expected, hex, 32);
	u->md5_expected[32] = '\0';
	u->md5_set = true;
	return true;
}

/* ---- write ---- */

/* Unlike the core, which checks the first byte only at end() (or when
 * peeking a Stream), an app upload whose first bytes are neither 0xE9 nor
 * the gzip magic is refused before anything is erased or written. */
static bool first_bytes_ok(const struct updater *u)
{
	if (image_is_app(u->buf, u->buffered))
		return true;
	if (u->buffered >= 2)
		return image_is_gzip(u->buf, u->buffered);
	return u->buffered == 1 && u->buf[0] == IMAGE_GZIP_MAGIC0;
}

/* Patches byte 2 (flash mode) of an uncompressed app image to the running
 * chip's mode, as the core does. Only the flash copy changes: the buffer
 * is restored before hashing, so MD5 and the signature see the bytes as
 * uploaded (end() restores the byte again when reading back). */
static void patch_flash_mode(struct updater *u)
{
	uint8_t mode = u->cfg->flash_mode;

	/* A device of unknown mode leaves the image's byte alone (the core
	 * would write its FM_UNKNOWN, 0xFF, there). */
	if (u->command != UPDATE_CMD_FLASH || !image_is_app(u->buf, u->buffered) ||
	    u->buffered <= IMAGE_FLASH_MODE_OFFSET || mode > IMAGE_FLASH_MODE_DOUT)
		return;
	if (image_flash_mode(u->buf[IMAGE_FLASH_MODE_OFFSET]) == mode)
		return;
	u->mode_original = u->buf[IMAGE_FLASH_MODE_OFFSET];
	u->buf[IMAGE_FLASH_MODE_OFFSET] = mode;
	u->mode_patched = true;
}

static bool flush(struct updater *u)
{
	uint32_t addr = u->start + u->written;
	uint32_t len = u->buffered;
	uint32_t padded = (len + 3u) & ~3u;
	bool first = u->written == 0;

	if (first && u->command == UPDATE_CMD_FLASH && !first_bytes_ok(u)) {
		set_error(u, UPDATE_ERROR_MAGIC_BYTE);
		return false;
	}
	if (addr % SECTOR == 0 && hal_flash_erase_sector(u->hal, addr) != HAL_OK) {
		set_error(u, UPDATE_ERROR_ERASE);
		return false;
	}
	if (first)
		patch_flash_mode(u);
	/* The flash takes whole words; 0xFF leaves erased bytes as they are. */
	fw_memset(u->buf + len, 0xFF, padded - len);
	if (hal_flash_write(u->hal, addr, u->buf, padded) != HAL_OK) {
		set_error(u, UPDATE_ERROR_WRITE);
		return false;
	}
	if (first && u->mode_patched)
		u->buf[IMAGE_FLASH_MODE_OFFSET] = u->mode_original;
	md5_update(&u->md5, u->buf, len);
	u->written += len;
	u->buffered = 0;
	if (u->cb.on_progress)
		u->cb.on_progress(u->cb.ctx, u->written, u->size);
	return true;
}

size_t updater_write(struct updater *u, const uint8_t *data, size_t len)
{
	size_t left = len;

	if (u->error != UPDATE_ERROR_OK || !u->running)
		return 0;
	if ((uint64_t)u->written + u->buffered + len > u->size) {
		set_error(u, UPDATE_ERROR_SPACE);
		return 0;
	}
	while (left > 0) {
		size_t room = sizeof(u->buf) - u->buffered;
		size_t n = left < room ? left : room;

		fw_memcpy(u->buf + u->buffered, data, n);
		u->buffered += (uint32_t)n;
		data += n;
		left -= n;
		if (u->buffered == sizeof(u->buf) && !flush(u))
			return 0;
	}
	if (u->buffered > 0 && u->written + u->buffered == u->size && !flush(u))
		return 0;
	return len;
}

/* ---- end ---- */

struct readback {
	struct md5_ctx md5;
	struct sha256_ctx sha;
	uint8_t sha_out[SHA256_SIZE];
};

/* Reads the staged bytes back through the HAL, undoes the flash-mode patch
 * (only if the flash holds exactly the patched value), and hashes them:
 * MD5 over all of them, SHA-256 over the first hash_len. The MD5 must equal
 * the one taken while receiving, which proves the flash holds what was
 * sent; the SHA-256 is then the hash of the bytes as signed. */
static enum updater_error read_back(struct updater *u, uint32_t hash_len, struct readback *rb)
{
	md5_init(&rb->md5);
	sha256_init(&rb->sha);
	for (uint32_t off = 0; off < u->size; off += SECTOR) {
		uint32_t n = u->size - off < SECTOR ? u->size - off : SECTOR;
		uint32_t padded = (n + 3u) & ~3u;

		if (hal_flash_read(u->hal, u->start + off, u->buf, padded) != HAL_OK)
			return UPDATE_ERROR_READ;
		if (off == 0 && u->mode_patched) {
			if (u->buf[IMAGE_FLASH_MODE_OFFSET] == u->cfg->flash_mode)
				u->buf[IMAGE_FLASH_MODE_OFFSET] = u->mode_original;
		}
		md5_update(&rb->md5, u->buf, n);
		if (off < hash_len)
			sha256_update(&rb->sha, u->buf, hash_len - off < n ? hash_len - off : n);
	}
	sha256_out(&rb->sha, rb->sha_out);
	{
		uint8_t streamed[MD5_SIZE], flashed[MD5_SIZE];

		md5_out(&u->md5, streamed);
		md5_out(&rb->md5, flashed);
		if (fw_memdiff_ct(streamed, flashed, MD5_SIZE) != 0)
			return UPDATE_ERROR_WRITE;
	}
	return UPDATE_ERROR_OK;
}

/* The signature check of docs/protocol/signed-image-format.md §4, over the read-back
 * bytes. On success *payload is the length without signature and trailer. */
static enum updater_error check_signature(struct updater *u, uint32_t *payload)
{
	const struct rsa_pubkey *key = u->cfg->key;
	uint8_t tail[SIG_TRAILER];
	uint32_t siglen;
	struct readback rb;
	enum updater_error err;

	if (u->size < SIG_TRAILER)
		return UPDATE_ERROR_SIGN;
	if (image_flash_read(u->hal, u->start + u->size - SIG_TRAILER, tail, sizeof(tail)) != HAL_OK)
		return UPDATE_ERROR_READ;
	siglen = fw_load_le32(tail);
	if (siglen != key->nlen || siglen > RSA_MAX_BYTES)
		return UPDATE_ERROR_SIGN;
	if (u->size < siglen + SIG_TRAILER)
		return UPDATE_ERROR_SIGN;
	*payload = u->size - siglen - SIG_TRAILER;

	err = read_back(u, *payload, &rb);
	if (err != UPDATE_ERROR_OK)
		return err;
	/* The signature is read from flash too: what is verified is what eboot
	 * will find there. u->buf is free again after read_back. */
	if (image_flash_read(u->hal, u->start + *payload, u->verify.sig, siglen) != HAL_OK)
		return UPDATE_ERROR_READ;
	if (rsa_verify_sha256_ws(key, u->verify.sig, siglen, rb.sha_out, false,
				 &u->verify.ws) == RSA_OK)
		return UPDATE_ERROR_OK;
	if (u->cfg->accept_legacy &&
	    rsa_verify_sha256_ws(key, u->verify.sig, siglen, rb.sha_out, true,
				 &u->verify.ws) == RSA_OK)
		return UPDATE_ERROR_OK;
	return UPDATE_ERROR_SIGN;
}

static enum updater_error check_md5(struct updater *u)
{
	struct readback rb;
	enum updater_error err = read_back(u, 0, &rb);
	uint8_t digest[MD5_SIZE];
	char calc[33], want[33];
	struct text t = { u->detail, sizeof(u->detail), 0 };

	if (err != UPDATE_ERROR_OK || !u->md5_set)
		return err;
	md5_out(&u->md5, digest);
	hex_lower(calc, digest, MD5_SIZE);
	for (size_t i = 0; i < 32; i++)
		want[i] = fw_ascii_lower(u->md5_expected[i]);
	want[32] = '\0';
	if (fw_memdiff_ct(want, calc, 32) == 0)
		return UPDATE_ERROR_OK;
	text_put(&t, ": expected: ");
	text_put_md5_escaped(&t, u->md5_expected);
	text_put(&t, ", calculated: ");
	text_put(&t, calc);
	return UPDATE_ERROR_MD5;
}

/* _verifyEnd for U_FLASH: gzip, or an app header whose flash size fits.
 * Whether the image can boot is checked later, on the whole install
 * (check_bootable). */
static enum updater_error check_app_header(struct updater *u, bool *gzip)
{
	uint8_t hdr[4];
	uint32_t real = hal_flash_size(u->hal);
	struct text t = { u->detail, sizeof(u->detail), 0 };

	if (image_flash_read(u->hal, u->start, hdr, sizeof(hdr)) != HAL_OK)
		return UPDATE_ERROR_READ;
	*gzip = image_is_gzip(hdr, sizeof(hdr));
	if (*gzip)
		return UPDATE_ERROR_OK;
	if (!image_is_app(hdr, sizeof(hdr)))
		return UPDATE_ERROR_MAGIC_BYTE;
	if (image_flash_size(hdr[IMAGE_SIZE_FREQ_OFFSET]) > real) {
		text_put(&t, ", real size: ");
		text_put_u32(&t, real);
		return UPDATE_ERROR_NEW_FLASH_CONFIG;
	}
	return UPDATE_ERROR_OK;
}

/* What eboot is told to install: len staged bytes (copied, or inflated
 * when gzip) followed by tail bytes verbatim; out_len is what lands at
 * the destination. */
struct install_plan {
	bool gzip;
	uint32_t len, tail, out_len;
};

/* A signed .bin.gz sent to a device without a key: the core installs the
 * whole upload and eboot then takes the signature trailer for the gzip
 * ISIZE. The trailer of signing.py is recognisable (an RSA signature
 * length), and no real image inflates to 256..512 bytes, so the gzip
 * stream is taken to end before it. */
static uint32_t unverified_signature_tail(struct updater *u)
{
	uint8_t t[SIG_TRAILER];
	uint32_t n;

	if (u->size < SIG_TRAILER)
		return 0;
	if (image_flash_read(u->hal, u->start + u->size - SIG_TRAILER, t, sizeof(t)) != HAL_OK)
		return 0;
	n = fw_load_le32(t);
	if ((n != 256u && n != 384u && n != 512u) || u->size < n + SIG_TRAILER + GZIP_MIN)
		return 0;
	return n + SIG_TRAILER;
}

static enum updater_error plan_install(struct updater *u, bool gzip, uint32_t payload,
				       struct install_plan *p)
{
	uint8_t isize[4];

	p->gzip = gzip;
	if (!gzip) {
		/* The whole upload, signature included: the installed image is
		 * the file as sent (eboot copies whole sectors anyway). */
		p->len = u->size;
		p->tail = 0;
		p->out_len = u->size;
		return UPDATE_ERROR_OK;
	}
	/* gzip: eboot reads ISIZE from the last 4 bytes of len, so len ends
	 * at the gzip trailer and a signature follows as the tail. */
	if (!u->cfg->key)
		payload = u->size - unverified_signature_tail(u);
	if (payload < GZIP_MIN)
		return UPDATE_ERROR_MAGIC_BYTE;
	if (image_flash_read(u->hal, u->start + payload - 4u, isize, sizeof(isize)) != HAL_OK)
		return UPDATE_ERROR_READ;
	p->len = payload;
	p->tail = u->size - payload;
	p->out_len = fw_load_le32(isize);
	if (p->out_len > UINT32_MAX - p->tail)
		return UPDATE_ERROR_SPACE;
	p->out_len += p->tail;
	return UPDATE_ERROR_OK;
}

/* Unlike the core: the installed image must end before the staged copy
 * starts (dst 0) or fit the filesystem (atomic FS), else eboot's copy would
 * overwrite staged bytes it has not read yet (a reset mid-copy could then
 * not restart it), or run past the FS. */
static enum updater_error check_install_room(const struct updater *u,
					     const struct install_plan *p)
{
	const struct flash_layout *l = &u->cfg->layout;
	uint64_t out_rounded = ((uint64_t)p->out_len + SECTOR - 1u) & ~(uint64_t)(SECTOR - 1u);

	if (u->command == UPDATE_CMD_FLASH)
		return out_rounded > u->start ? UPDATE_ERROR_SPACE : UPDATE_ERROR_OK;
	return (uint64_t)l->fs_start + out_rounded > l->fs_end ? UPDATE_ERROR_SPACE
							       : UPDATE_ERROR_OK;
}

/* Unlike the core: what eboot will install is walked as the ROM and
 * eboot will walk it (both images of a .bin, segments and checksums; a
 * gzip stream inflated without writing, CRC-32 and ISIZE checked), so an
 * upload that cannot boot is refused while the running app is intact. */
static enum updater_error check_bootable(struct updater *u, const struct install_plan *p,
					 uint32_t payload)
{
	struct text t = { u->detail, sizeof(u->detail), 0 };
	struct staged_report r;
	bool app = u->command == UPDATE_CMD_FLASH;

	if (p->gzip)
		staged_check_gzip(u->hal, u->start, p->len, app, &u->staged, &r);
	else if (app)
		staged_check_bin(u->hal, u->start, payload, u->buf, sizeof(u->buf), &r);
	else
		return UPDATE_ERROR_OK; /* a filesystem image has no format to walk */
	if (r.status == STAGED_OK)
		return UPDATE_ERROR_OK;
	if (r.status == STAGED_ERR_READ)
		return UPDATE_ERROR_READ;
	text_put(&t, ", ");
	text_put(&t, staged_where(&r));
	text_put(&t, ": ");
	text_put(&t, staged_why(&r));
	return UPDATE_ERROR_MAGIC_BYTE;
}

/* Unlike the core, which has one eboot: stage 1 starts the install only
 * through stage 2 (docs/eboot.md, "Two stages"); without a valid stage 2
 * it keeps the command and boots the old app, so nothing is scheduled. */
static enum updater_error check_stage2(struct updater *u)
{
	uint32_t at = u->cfg->layout.stage2;
	uint8_t be[4] = { (uint8_t)(at >> 24), (uint8_t)(at >> 16), (uint8_t)(at >> 8), (uint8_t)at };
	char hex[9];
	struct text t = { u->detail, sizeof(u->detail), 0 };
	enum stage2_error err = stage2_image_check(u->hal, at);

	if (err == STAGE2_OK)
		return UPDATE_ERROR_OK;
	hex_lower(hex, be, sizeof(be));
	text_put(&t, " at 0x");
	text_put(&t, hex);
	text_put(&t, ": ");
	text_put(&t, stage2_strerror(err));
	text_put(&t, "; flash eboot-stage2.bin there over serial");
	return UPDATE_ERROR_STAGE2;
}

static enum updater_error schedule(struct updater *u, const struct install_plan *p)
{
	uint32_t dst = u->command == UPDATE_CMD_FLASH ? 0 : u->cfg->layout.fs_start;
	int rc;

	if (p->tail)
		rc = boot_schedule_install(u->hal, &u->cfg->layout, u->start, dst, p->len, p->tail);
	else
		rc = boot_schedule_copy(u->hal, &u->cfg->layout, u->start, dst, p->len);
	switch (rc) {
	case 0:
		return UPDATE_ERROR_OK;
	case JOURNAL_EALIGN:
	case JOURNAL_ERANGE:
	case JOURNAL_EOVERLAP:
		return UPDATE_ERROR_SPACE; /* check_install_room refuses these first */
	case JOURNAL_ESIZE:
		return UPDATE_ERROR_MAGIC_BYTE; /* a gzip stream with no output */
	default:
		return UPDATE_ERROR_WRITE; /* the journal or RTC write failed */
	}
}

static bool fail(struct updater *u, enum updater_error err)
{
	set_error(u, err);
	return false;
}

bool updater_end(struct updater *u, bool even_if_remaining)
{
	bool gzip = false;
	bool install = u->command == UPDATE_CMD_FLASH || u->cfg->atomic_fs;
	uint32_t payload;
	struct install_plan plan;
	enum updater_error err;

	if (!u->running)
		return false;
	if (u->written + u->buffered == 0)
		return fail(u, UPDATE_ERROR_NO_DATA);
	if (u->written + u->buffered != u->size && !even_if_remaining) {
		reset_state(u); /* as the core: premature end, no new code */
		return false;
	}
	if (u->buffered > 0 && !flush(u))
		return false;
	u->size = u->written;

	payload = u->size;
	if (u->cfg->key)
		err = check_signature(u, &payload);
	else
		err = check_md5(u);
	if (err != UPDATE_ERROR_OK)
		return fail(u, err);

	if (u->command == UPDATE_CMD_FLASH) {
		err = check_app_header(u, &gzip);
		if (err != UPDATE_ERROR_OK)
			return fail(u, err);
	} else if (install) {
		uint8_t hdr[4];

		if (image_flash_read(u->hal, u->start, hdr, sizeof(hdr)) != HAL_OK)
			return fail(u, UPDATE_ERROR_READ);
		gzip = image_is_gzip(hdr, sizeof(hdr));
	}

	if (install) {
		err = plan_install(u, gzip, payload, &plan);
		if (err == UPDATE_ERROR_OK)
			err = check_install_room(u, &plan);
		if (err == UPDATE_ERROR_OK)
			err = check_bootable(u, &plan, payload);
		if (err == UPDATE_ERROR_OK)
			err = check_stage2(u);
		if (err == UPDATE_ERROR_OK)
			err = schedule(u, &plan);
		if (err != UPDATE_ERROR_OK)
			return fail(u, err);
	}

	reset_state(u);
	if (u->cb.on_end)
		u->cb.on_end(u->cb.ctx);
	return true;
}

void updater_abort(struct updater *u)
{
	reset_state(u);
}

bool updater_is_running(const struct updater *u)
{
	return u->running;
}

uint32_t updater_remaining(const struct updater *u)
{
	return u->running ? u->size - u->written - u->buffered : 0;
}

uint32_t updater_progress(const struct updater *u)
{
	return u->written + u->buffered;
}

enum updater_error updater_error(const struct updater *u)
{
	return u->error;
}

const char *updater_strerror(enum updater_error err)
{
	switch (err) {
	case UPDATE_ERROR_OK:
		return "No Error";
	case UPDATE_ERROR_WRITE:
		return "Flash Write Failed";
	case UPDATE_ERROR_ERASE:
		return "Flash Erase Failed";
	case UPDATE_ERROR_READ:
		return "Flash Read Failed";
	case UPDATE_ERROR_SPACE:
		return "Not Enough Space";
	case UPDATE_ERROR_SIZE:
		return "Bad Size Given";
	case UPDATE_ERROR_STREAM:
		return "Stream Read Timeout";
	case UPDATE_ERROR_MD5:
		return "MD5 verification failed";
	case UPDATE_ERROR_FLASH_CONFIG:
		return "Flash config wrong";
	case UPDATE_ERROR_NEW_FLASH_CONFIG:
		return "new Flash config wrong";
	case UPDATE_ERROR_MAGIC_BYTE:
		return "Magic byte is not 0xE9";
	case UPDATE_ERROR_BOOTSTRAP:
		return "Invalid bootstrapping state, reset ESP8266 before updating";
	case UPDATE_ERROR_SIGN:
		return "Signature verification failed";
	case UPDATE_ERROR_NO_DATA:
		return "No data supplied";
	case UPDATE_ERROR_OOM:
		return "Out of memory";
	case UPDATE_ERROR_RUNNING_ALREADY:
		return "Update already running";
	case UPDATE_ERROR_UNKNOWN_COMMAND:
		return "Unknown update command";
	case UPDATE_ERROR_STAGE2:
		return "eboot stage 2 is missing or damaged";
	}
	return "UNKNOWN";
}

size_t updater_error_text(const struct updater *u, char *buf, size_t cap)
{
	struct text t = { buf, cap, 0 };
	enum updater_error err = u->error;

	text_put(&t, "ERROR[");
	text_put_u32(&t, (uint32_t)err);
	text_put(&t, "]: ");
	text_put(&t, updater_strerror(err));
	if (err == UPDATE_ERROR_MD5 || err == UPDATE_ERROR_FLASH_CONFIG ||
	    err == UPDATE_ERROR_NEW_FLASH_CONFIG || err == UPDATE_ERROR_MAGIC_BYTE ||
	    err == UPDATE_ERROR_STAGE2)
		text_put(&t, u->detail);
	text_put(&t, "\n");
	return t.len < cap ? t.len : (cap ? cap - 1 : 0);
}
