/*
 * The desktop (`lin`) firmware's environment variables (host-env.c): `getenv(name)` is the value,
 * or undefined when the variable is not set.
 */
function getenv(name) @ "xs_ringdown_getenv";

export { getenv };
