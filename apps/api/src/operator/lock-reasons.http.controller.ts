import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { GetLockReasonsQuery, type LockSubjectType } from '@app/lock-reasons';
import { problem, send } from '../http/answer';
import { parseOpaqueId } from '../http/lenient';
import { OperatorAuthGuard } from './operator-auth.guard';

const isSubjectType = (value: string): value is LockSubjectType =>
  value === 'user' || value === 'corporation';
const NOT_FOUND = problem(
  404,
  'LOCK_REASONS_NOT_FOUND',
  'No lock reason notification names this user or corporation',
);

/** A user's or corporation's transactional lock reasons: the active ones and every notification, for support. */
@Controller('operator/lock-reasons')
@UseGuards(OperatorAuthGuard)
export class OperatorLockReasonsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':subjectType/:subjectId')
  async view(
    @Param('subjectType') rawType: string,
    @Param('subjectId') rawId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const id = parseOpaqueId(rawId);
    if (!isSubjectType(rawType) || !id) return send(reply, NOT_FOUND);
    const view = await this.queries.execute(new GetLockReasonsQuery({ type: rawType, id }));
    send(reply, view ? { status: 200, body: view } : NOT_FOUND);
  }
}
