import { parseAppConfig } from './parse-app-config';
import type { AppConfig } from './app-config';

/** For command-line tools, which run without the Nest application: the same settings, same checks. */
export function loadAppConfig(): AppConfig {
  return parseAppConfig(process.env);
}
