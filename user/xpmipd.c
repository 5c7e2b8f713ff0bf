// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpmipd - placeholder until the daemon lands (issue 3). */
#include <stdio.h>

int main(void)
{
	fprintf(stderr, "xpmipd: not implemented yet\n");
	return 1;
}
