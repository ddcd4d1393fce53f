export * from './app-config';
export * from './app-config.module';
export * from './parse-app-config';
export * from './load-app-config';
