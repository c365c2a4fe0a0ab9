/** Injection token of the validated {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Injection token of the root pino logger. */
export const APP_LOGGER = Symbol('APP_LOGGER');
