import { ConfigError, parseEnvConfig } from '../../client/config';

/** The ConfigError parseEnvConfig throws for an environment (fails the test if it does not throw one). */
export function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseEnvConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}
