export * from './errors';
export * from './event-store.port';
export * from './handle-command';
export * from './log-position';
export * from './embedded/sqlite-event-store';
