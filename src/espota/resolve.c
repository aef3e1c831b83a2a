/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "resolve.h"

#include <arpa/inet.h>
#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-common/simple-watch.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "sock.h"

#define MDNS_TIMEOUT_MS 5000

struct mdns_lookup {
	AvahiSimplePoll *poll;
	bool done, found;
	struct in_addr addr;
};

static void on_resolved(AvahiHostNameResolver *r, AvahiIfIndex iface, AvahiProtocol proto,
			AvahiResolverEvent event, const char *name, const AvahiAddress *a,
			AvahiLookupResultFlags flags, void *userdata)
{
	struct mdns_lookup *l = userdata;

	(void)r, (void)iface, (void)proto, (void)name, (void)flags;
	if (event == AVAHI_RESOLVER_FOUND && a && a->proto == AVAHI_PROTO_INET) {
		l->addr.s_addr = a->data.ipv4.address;
		l->found = true;
	}
	l->done = true;
	avahi_simple_poll_quit(l->poll);
}

/* 1 found, 0 not found, -1 avahi unavailable (no daemon). */
static int resolve_mdns(const char *host, struct in_addr *out, const struct logger *log)
{
	struct mdns_lookup l = { 0 };
	AvahiClient *client = NULL;
	AvahiHostNameResolver *hr = NULL;
	uint64_t deadline = clock_ms() + MDNS_TIMEOUT_MS;
	int error = 0, rc = -1;

	l.poll = avahi_simple_poll_new();
	if (!l.poll)
		return -1;
	client = avahi_client_new(avahi_simple_poll_get(l.poll), 0, NULL, NULL, &error);
	if (!client) {
		log_debug(log, "avahi unavailable (%s): using the system resolver", avahi_strerror(error));
		goto out;
	}
	hr = avahi_host_name_resolver_new(client, AVAHI_IF_UNSPEC, AVAHI_PROTO_INET, host,
					  AVAHI_PROTO_INET, 0, on_resolved, &l);
	if (!hr)
		goto out;
	while (!l.done && clock_ms() < deadline)
		if (avahi_simple_poll_iterate(l.poll, 100) < 0)
			break;
	rc = l.found ? 1 : 0;
	if (l.found)
		*out = l.addr;
out:
	if (hr)
		avahi_host_name_resolver_free(hr);
	if (client)
		avahi_client_free(client);
	avahi_simple_poll_free(l.poll);
	return rc;
}

static bool ends_with_local(const char *host)
{
	size_t n = strlen(host);

	if (n > 0 && host[n - 1] == '.')
		n--;
	return n > 6 && strncasecmp(host + n - 6, ".local", 6) == 0;
}

int espota_resolve(const char *host, struct in_addr *out, const struct logger *log, char *err,
		   size_t errlen)
{
	if (inet_pton(AF_INET, host, out) == 1)
		return 0;
	if (ends_with_local(host)) {
		int rc = resolve_mdns(host, out, log);

		if (rc == 1) {
			log_debug(log, "Resolved %s through mDNS", host);
			return 0;
		}
		if (rc == 0) {
			snprintf(err, errlen,
				 "cannot resolve '%s': no mDNS answer within %d s: check the device is on "
				 "this network, or give its IP address with -i",
				 host, MDNS_TIMEOUT_MS / 1000);
			return -1;
		}
	}
	if (sock_resolve_ipv4(host, out, err, errlen) == 0)
		return 0;
	/* sock_resolve_ipv4 wrote what failed; add what to do */
	{
		size_t n = strlen(err);

		snprintf(err + n, errlen - n, ": check the name, or give the device's IP address with -i");
	}
	return -1;
}
