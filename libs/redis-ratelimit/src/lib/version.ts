/** The package version; it names the Lua commands so two versions can share one Redis. */
export const VERSION = '0.2.0';
