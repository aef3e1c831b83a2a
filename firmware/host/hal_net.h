/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The POSIX port's network settings (hal_net.c implements the network
 * part of hal.h over BSD sockets). */
#ifndef ESPOTA_HAL_NET_H
#define ESPOTA_HAL_NET_H

#include <stdint.h>

struct hal;

#define HAL_NET_SOCKETS 16 /* lwIP's default MEMP_NUM_TCP_PCB + UDP, roughly */

/* The TCP receive window the device advertises, in bytes (lwIP:
 * TCP_WND = 4 * 1460 = 5840; 2144 in the "Lower Memory" build), applied
 * to every later hal_tcp_connect as SO_RCVBUF. Linux doubles the value it
 * is given, but the extra half goes to its per-packet bookkeeping: on
 * loopback the data a receiver accepts before the window closes was
 * measured at about the value given (2144 -> 2144, 2920 -> 2920, 4380 ->
 * 5840, 5840 -> 8760 on Linux 6.18), while half the value gives half the
 * window or less (1072 -> 1152). So the value is set as is; Linux never
 * goes below 2304 (1152 of window). 0: the system default. Returns 0, or
 * HAL_EIO when the network state cannot be created. */
int hal_net_set_rx_window(struct hal *h, uint32_t bytes);

#endif
