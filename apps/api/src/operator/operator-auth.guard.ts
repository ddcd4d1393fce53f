import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { OperatorTokenVerifier } from '@app/security';

/** Every `/operator` route: a valid bearer token, or 401 before the handler runs. */
@Injectable()
export class OperatorAuthGuard implements CanActivate {
  constructor(private readonly verifier: OperatorTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const result = await this.verifier.verify(request.headers.authorization);
    if (!result.ok) throw new UnauthorizedException({ title: 'UNAUTHORIZED', detail: result.detail });
    return true;
  }
}
