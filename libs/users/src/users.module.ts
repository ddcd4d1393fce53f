import { Module } from '@nestjs/common';
import { RegisterUserHandler } from './application/register-user.command';
import { UserExistsHandler } from './application/user-exists.query';

@Module({ providers: [RegisterUserHandler, UserExistsHandler] })
export class UsersModule {}
