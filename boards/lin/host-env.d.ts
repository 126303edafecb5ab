/** The desktop (`lin`) firmware's environment variables: the value, or undefined when not set. */
export function getenv(name: string): string | undefined;
