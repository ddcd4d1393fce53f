import { Module } from '@nestjs/common';
import { GetUserHandler } from './application/get-user.query';
import { RegisterUserHandler } from './application/register-user.command';
import { UserExistsHandler } from './application/user-exists.query';

@Module({ providers: [RegisterUserHandler, UserExistsHandler, GetUserHandler] })
export class UsersModule {}
