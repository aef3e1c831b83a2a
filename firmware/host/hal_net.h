/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The POSIX port's network settings (hal_net.c implements the network
 * part of hal.h over BSD sockets). */
#ifndef ESPOTA_HAL_NET_H
#define ESPOTA_HAL_NET_H

#include <stdint.h>

struct hal;

#define HAL_NET_SOCKETS 16 /* lwIP's default MEMP_NUM_TCP_PCB + UDP, roughly */

/* The TCP receive window the device advertises, in bytes (lwIP:
 * TCP_WND = 4 * 1460 = 5840; 2144 in the "Lower Memory" build). Applied
 * to every later hal_tcp_connect as SO_RCVBUF. Linux doubles the value it
 * is given (for its bookkeeping), so half of bytes is set; Linux also
 * never goes below about 2 KiB. 0: the system default. Returns 0, or
 * HAL_EIO when the network state cannot be created. */
int hal_net_set_rx_window(struct hal *h, uint32_t bytes);

#endif
