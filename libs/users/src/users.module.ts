import { Module } from '@nestjs/common';
import { AttachUserToCorporationHandler } from './application/attach-user-to-corporation.command';
import { GetUserHandler } from './application/get-user.query';
import { RegisterUserHandler } from './application/register-user.command';
import { UserExistsHandler } from './application/user-exists.query';

@Module({
  providers: [RegisterUserHandler, AttachUserToCorporationHandler, UserExistsHandler, GetUserHandler],
})
export class UsersModule {}
