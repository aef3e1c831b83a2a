/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --mode info: what an image file is: Arduino .bin or not, flash
 * settings, segments, checksums, gzip, signature. Text or JSON. */
#include <inttypes.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "gzip.h"
#include "image_info.h"
#include "key.h"
#include "sign_io.h"
#include "signature.h"

/* What info found: the file, and the image inside (inflated when gzip). */
struct info_report {
	const char *path;
	struct image_info file;  /* the file as given */
	struct image_info image; /* the image itself (= file unless gzip) */
	bool inflated;           /* gzip payload inflated fine */
	bool past_cap;           /* ... or went on past SIGN_IMAGE_MAX: not judged */
	size_t inflated_size;
	bool checked;             /* a public key was given */
	enum sig_format format;   /* with a key: the verified format */
	const char *verify_error; /* with a key: why it failed */
};

static json_t *hex32(uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%08" PRIx32, v);
	return json_string(buf);
}

static json_t *rom_json(const struct rom_image *r)
{
	json_t *o, *segs;

	if (!r->present)
		return json_null();
	segs = json_array();
	for (unsigned i = 0; i < r->nparsed; i++)
		json_array_append_new(segs,
		                      json_pack("{s:o, s:I, s:I}", "address", hex32(r->seg[i].addr),
		                                "size", (json_int_t)r->seg[i].size, "offset",
		                                (json_int_t)r->seg[i].offset));
	o = json_pack("{s:I, s:i, s:s, s:s, s:I, s:I, s:o, s:o, s:b}", "offset",
	              (json_int_t)r->offset, "segment_count", r->nsegs, "flash_mode",
	              flash_mode_name(r->flash_mode), "flash_size",
	              flash_size_name(r->flash_size_freq), "flash_size_bytes",
	              (json_int_t)flash_size_bytes(r->flash_size_freq), "flash_freq_hz",
	              (json_int_t)flash_freq_hz(r->flash_size_freq), "entry", hex32(r->entry),
	              "segments", segs, "complete", r->complete);
	if (r->complete) {
		json_object_set_new(o, "end", json_integer((json_int_t)r->end));
		json_object_set_new(o, "checksum_valid", json_boolean(r->checksum_ok));
		if (r->checksum_words_zeroed)
			json_object_set_new(
			    o, "checksum_note",
			    json_string("elf2bin sums the .bin length and CRC words as zero"));
	}
	return o;
}

static json_t *report_json(const struct info_report *rep)
{
	const struct image_info *f = &rep->file, *im = &rep->image;
	json_t *o =
	    json_pack("{s:s, s:I, s:b, s:I, s:b, s:b}", "file", rep->path, "size",
	              (json_int_t)f->file_size, "signed", f->signed_trailer, "payload_size",
	              (json_int_t)f->payload_len, "gzip", f->gzip, "esp8266_app", im->arduino_bin);

	if (f->signed_trailer) {
		json_t *s = json_pack("{s:I, s:s}", "length", (json_int_t)f->sig_len, "format",
		                      rep->checked ? sig_format_name(rep->format) : "unknown");

		if (rep->checked)
			json_object_set_new(s, "valid", json_boolean(rep->verify_error == NULL));
		json_object_set_new(o, "signature", s);
	}
	if (f->gzip)
		json_object_set_new(o, "gzip_info",
		                    json_pack("{s:I, s:o, s:b, s:I}", "isize",
		                              (json_int_t)f->gzip_isize, "inflates",
		                              rep->past_cap ? json_null() : json_boolean(rep->inflated),
		                              "past_cap", rep->past_cap, "inflated_size",
		                              (json_int_t)rep->inflated_size));
	json_object_set_new(o, "eboot", rom_json(&im->eboot));
	json_object_set_new(o, "app", rom_json(&im->app));
	if (im->bin_crc_checked) {
		json_object_set_new(o, "bin_length", json_integer((json_int_t)im->bin_length));
		json_object_set_new(o, "bin_crc", hex32(im->bin_crc));
		json_object_set_new(o, "bin_crc_valid",
		                    json_boolean(im->bin_crc == im->bin_crc_computed));
	}
	return o;
}

static void rom_text(FILE *f, const char *name, const struct rom_image *r)
{
	if (!r->present) {
		fprintf(f, "%s image: none at 0x%zx\n", name, r->offset);
		return;
	}
	fprintf(f,
	        "%s image at 0x%zx: %u segments, flash %s %s %" PRIu32 " MHz, entry 0x%08" PRIx32
	        "\n",
	        name, r->offset, r->nsegs, flash_mode_name(r->flash_mode),
	        flash_size_name(r->flash_size_freq), flash_freq_hz(r->flash_size_freq) / 1000000u,
	        r->entry);
	for (unsigned i = 0; i < r->nparsed; i++)
		fprintf(f,
		        "  segment %u: address 0x%08" PRIx32 ", %" PRIu32
		        " bytes at file offset 0x%zx\n",
		        i, r->seg[i].addr, r->seg[i].size, r->seg[i].offset);
	if (r->complete)
		fprintf(f, "  checksum: %s (stored 0x%02x%s), image ends at 0x%zx\n",
		        r->checksum_ok ? "valid" : "INVALID", r->checksum_stored,
		        r->checksum_words_zeroed
		            ? ", with the .bin length and CRC words as zero, as elf2bin sums"
		            : "",
		        r->end);
	else
		fprintf(f, "  truncated: segments run past the end of the file\n");
}

static void report_text(FILE *out, const struct info_report *rep)
{
	const struct image_info *f = &rep->file, *im = &rep->image;

	fprintf(out, "file: %s, %zu bytes\n", rep->path, f->file_size);
	if (f->signed_trailer) {
		fprintf(out,
		        "signed: yes, %" PRIu32 "-byte signature (RSA-%" PRIu32
		        "), payload %zu bytes",
		        f->sig_len, f->sig_len * 8, f->payload_len);
		if (!rep->checked)
			fputs(", format unknown (give --publickey to check)\n", out);
		else if (rep->verify_error)
			fprintf(out, ", INVALID for this key: %s\n", rep->verify_error);
		else
			fprintf(out, ", %s format, valid for this key\n",
			        sig_format_name(rep->format));
	} else {
		fputs("signed: no\n", out);
	}
	if (f->gzip && rep->past_cap)
		fprintf(out,
		        "gzip: yes, ISIZE %" PRIu32 ", inflates past the %zu-byte cap (no image "
		        "this large is written; not checked further)\n",
		        f->gzip_isize, (size_t)SIGN_IMAGE_MAX);
	else if (f->gzip)
		fprintf(out, "gzip: yes, ISIZE %" PRIu32 ", %s\n", f->gzip_isize,
		        rep->inflated ? "inflates fine" : "DOES NOT INFLATE");
	else
		fputs("gzip: no\n", out);
	if (f->gzip && !rep->inflated)
		return;
	fprintf(out, "ESP8266 app image: %s\n",
	        im->arduino_bin ? "yes (eboot at 0, app at 0x1000)" : "no");
	rom_text(out, "eboot", &im->eboot);
	rom_text(out, "app", &im->app);
	if (im->bin_crc_checked)
		fprintf(out, "bin length word: %" PRIu32 ", CRC 0x%08" PRIx32 " %s\n",
		        im->bin_length, im->bin_crc,
		        im->bin_crc == im->bin_crc_computed ? "valid" : "INVALID");
}

/* With --publickey: which format, or why not. */
static void check_signature(const struct sign_options *opt, const struct file_buf *file,
                            struct info_report *rep, struct sign_status *st)
{
	EVP_PKEY *key = NULL;

	if (key_load_public(opt->publickey, &key, st) != SIGN_OK) {
		rep->verify_error = st->msg;
		return;
	}
	rep->checked = true;
	if (sig_verify(key, file->data, file->len, opt->bin, opt->publickey, &rep->format, st) !=
	    SIGN_OK)
		rep->verify_error = sign_strerror(st->code);
	EVP_PKEY_free(key);
}

int cmd_info(const struct sign_options *opt)
{
	struct sign_status st = {SIGN_OK, ""}, vst = {SIGN_OK, ""};
	struct file_buf file, inflated = {0};
	struct info_report rep;

	if (!opt->bin) {
		log_error(opt->lg, "--mode info needs --bin; give the image to inspect");
		return SIGN_EXIT_USAGE;
	}
	if (sign_read(opt->bin, SIGN_IMAGE_MAX + SIG_MAX_LEN + SIG_TRAILER_LEN, "--bin", &file,
	              &st) != SIGN_OK) {
		log_error(opt->lg, "%s", st.msg);
		return SIGN_EXIT_FAIL;
	}
	memset(&rep, 0, sizeof(rep));
	rep.path = opt->bin;
	image_inspect(file.data, file.len, &rep.file);
	rep.image = rep.file;
	if (rep.file.gzip) {
		enum sign_error ge =
		    gzip_inflate(file.data, rep.file.payload_len, SIGN_IMAGE_MAX, &inflated);

		rep.inflated = ge == SIGN_OK;
		rep.past_cap = ge == SIGN_ERR_TOO_BIG;
		if (rep.inflated) {
			rep.inflated_size = inflated.len;
			image_inspect(inflated.data, inflated.len, &rep.image);
		} else {
			memset(&rep.image, 0, sizeof(rep.image));
		}
	}
	if (rep.file.signed_trailer && opt->publickey) {
		check_signature(opt, &file, &rep, &vst);
		if (!rep.checked) {
			log_error(opt->lg, "%s", vst.msg);
			file_buf_free(&inflated);
			file_buf_free(&file);
			return SIGN_EXIT_FAIL;
		}
	}
	if (opt->json) {
		json_t *o = report_json(&rep);

		json_dumpf(o, opt->out_stream, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', opt->out_stream);
		json_decref(o);
	} else {
		report_text(opt->out_stream, &rep);
	}
	file_buf_free(&inflated);
	file_buf_free(&file);
	return SIGN_EXIT_OK;
}
