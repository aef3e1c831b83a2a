/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The subcommands of espota-device, one file each (git's builtin style).
 * Each takes the arguments after the program name (argv[0] is the
 * subcommand) and returns the process exit status.
 */
#ifndef ESPOTA_DEVICE_CMDS_H
#define ESPOTA_DEVICE_CMDS_H

#define DEVICE_PROG "espota-device"

/* Exit statuses shared by the subcommands. */
#define DEVICE_EXIT_OK 0
#define DEVICE_EXIT_FAIL 1   /* refused or failed; the message says why */
#define DEVICE_EXIT_USAGE 2  /* bad command line */
/* 75 (DEVICE_EXIT_POWER_LOST in device.h): the simulated power failed. */

int cmd_init(int argc, char **argv);
int cmd_stage(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_status(int argc, char **argv);
/* The OTA agent's main loop (cmd_run.c), when built. */
int cmd_run(int argc, char **argv);

#endif
