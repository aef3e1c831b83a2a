/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "errbuf.h"
#include "device_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "kvfile.h"

static const char *const mode_names[] = { "qio", "qout", "dio", "dout" };

static int join(char *out, const char *base, const char *suffix)
{
	int n = snprintf(out, DEVICE_PATH_MAX, "%s%s", base, suffix);

	return n < 0 || n >= DEVICE_PATH_MAX ? -1 : 0;
}

int device_paths_init(struct device_paths *p, const char *flash)
{
	if (join(p->flash, flash, "") || join(p->conf, flash, ".conf") ||
	    join(p->rtc, flash, ".rtc") || join(p->pubkey, flash, ".pubkey.pem") ||
	    join(p->state, flash, ".state"))
		return -1;
	return 0;
}

int device_flash_mode_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, mode_names[i]) == 0)
			return i;
	return -1;
}

const char *device_flash_mode_name(uint8_t mode)
{
	return mode < 4 ? mode_names[mode] : "unknown";
}

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool parse_bool(const char *s, bool *out)
{
	if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
		*out = true;
	else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
		*out = false;
	else
		return false;
	return true;
}

int device_config_load(struct device_config *c, const struct device_paths *p, char *err,
		       size_t errlen)
{
	struct kvfile kv;
	const char *v;
	int mode;

	memset(c, 0, sizeof(*c));
	if (kvfile_load(&kv, p->conf) != 0)
		return errbuf_fail(err, errlen,
			    "cannot read device configuration '%s': %s (create the device with "
			    "'espota-device init --flash %s')",
			    p->conf, strerror(errno), p->flash);
	if (!(v = kvfile_get(&kv, "flash_size")) || !parse_u32(v, &c->flash_size))
		goto bad;
	if (!(v = kvfile_get(&kv, "flash_mode")) || (mode = device_flash_mode_parse(v)) < 0)
		goto bad;
	c->flash_mode = (uint8_t)mode;
	if (!(v = kvfile_get(&kv, "chip_id")) || !parse_u32(v, &c->chip_id))
		goto bad;
	v = kvfile_get(&kv, "password_md5");
	if (v && *v && (strlen(v) != 32 || strspn(v, "0123456789abcdef") != 32))
		goto bad;
	snprintf(c->password_md5, sizeof(c->password_md5), "%s", v ? v : "");
	v = kvfile_get(&kv, "hostname");
	if (!v || !*v || strlen(v) >= sizeof(c->hostname))
		goto bad;
	snprintf(c->hostname, sizeof(c->hostname), "%s", v);
	if (!(v = kvfile_get(&kv, "signing")) || !parse_bool(v, &c->signing))
		goto bad;
	if (!(v = kvfile_get(&kv, "accept_legacy")) || !parse_bool(v, &c->accept_legacy))
		goto bad;
	if (!(v = kvfile_get(&kv, "atomic_fs")) || !parse_bool(v, &c->atomic_fs))
		goto bad;
	kvfile_free(&kv);
	return 0;
bad:
	kvfile_free(&kv);
	return errbuf_fail(err, errlen,
		    "bad device configuration '%s': recreate the device with 'espota-device init'",
		    p->conf);
}

int device_config_save(const struct device_config *c, const struct device_paths *p, char *err,
		       size_t errlen)
{
	char text[1024];
	int n = snprintf(text, sizeof(text),
			 "# espota-device build-time configuration (espota-device init)\n"
			 "flash_size=%lu\n"
			 "flash_mode=%s\n"
			 "chip_id=0x%06lx\n"
			 "password_md5=%s\n"
			 "hostname=%s\n"
			 "signing=%d\n"
			 "accept_legacy=%d\n"
			 "atomic_fs=%d\n",
			 (unsigned long)c->flash_size, device_flash_mode_name(c->flash_mode),
			 (unsigned long)c->chip_id, c->password_md5, c->hostname, c->signing,
			 c->accept_legacy, c->atomic_fs);

	if (n < 0 || (size_t)n >= sizeof(text))
		return errbuf_fail(err, errlen, "device configuration too long");
	if (file_write_atomic(p->conf, text, (size_t)n, 0600) != FILE_OK)
		return errbuf_fail(err, errlen, "cannot write device configuration '%s': %s", p->conf,
			    strerror(errno));
	return 0;
}
