/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* ctl_decode.h - `xpmipctl decode`: the operator's pocket MH dissector. */
#ifndef XPMIP_CTL_DECODE_H
#define XPMIP_CTL_DECODE_H

/* argv[0] is "decode". Returns the process exit status. */
int ctl_decode_main(int argc, char **argv);

#endif
