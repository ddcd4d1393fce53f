import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProblemBody } from './problem';

interface FastifyError {
  readonly statusCode?: number;
}

/**
 * Turns every failure into `{title, detail}` JSON. Nothing internal leaks: unexpected
 * errors are logged with their stack and answered 500 INTERNAL_ERROR with only the
 * correlation id, which support can find in the log.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const [status, body] = this.toProblem(error, request);
    if (status >= 500) {
      this.logger.error(
        `${request.method} ${request.routeOptions.url ?? 'unrouted'} failed (correlation ${request.id})`,
        error instanceof Error ? error.stack : String(error),
      );
    }
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toProblem(error: unknown, request: FastifyRequest): [number, ProblemBody] {
    if (error instanceof HttpException) {
      const response = error.getResponse();
      if (isProblem(response)) return [error.getStatus(), response];
      // Not ours: Nest's own (unknown route) or Fastify's body parsing, wrapped by Nest.
      return frameworkProblem(error.getStatus(), request);
    }
    const statusCode = (error as FastifyError).statusCode;
    if (statusCode !== undefined && statusCode >= 400 && statusCode < 500)
      return frameworkProblem(statusCode, request);
    return [500, { title: 'INTERNAL_ERROR', detail: `Unexpected error; correlation id ${request.id}` }];
  }
}

/** The answers to what fails before a controller runs; the message of the error is not echoed. */
function frameworkProblem(status: number, request: FastifyRequest): [number, ProblemBody] {
  switch (status) {
    case 400:
      return [400, { title: 'INVALID_REQUEST', detail: 'The body is not valid JSON' }];
    case 404:
      return [404, { title: 'NOT_FOUND', detail: `No route for ${request.method} ${pathOf(request)}` }];
    case 413:
      return [413, { title: 'PAYLOAD_TOO_LARGE', detail: 'The request body is larger than allowed' }];
    case 415:
      return [415, { title: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send the body as application/json' }];
    default:
      return [
        status,
        { title: HttpStatus[status] ?? 'CLIENT_ERROR', detail: 'The request could not be processed' },
      ];
  }
}

function isProblem(value: unknown): value is ProblemBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ProblemBody).title === 'string' &&
    typeof (value as ProblemBody).detail === 'string'
  );
}

/** The path without the query string, which may carry values we do not echo. */
function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '/';
}
