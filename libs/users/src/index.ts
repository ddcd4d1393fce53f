export * from './application/register-user.command';
export * from './application/attach-user-to-corporation.command';
export * from './application/user-exists.query';
export * from './application/get-user.query';
export * from './domain/user';
export * from './users.module';
