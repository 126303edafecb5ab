/*
 * The desktop (`lin`) firmware's environment variables: how `ringdown device` hands the scripted
 * caller its events at run time, so one firmware build serves every call script.
 */
#include "xsmc.h"
#include <stdlib.h>

void xs_ringdown_getenv(xsMachine *the)
{
	const char *value = getenv(xsmcToString(xsArg(0)));
	if (value != NULL)
		xsmcSetString(xsResult, (char *)value);
}
