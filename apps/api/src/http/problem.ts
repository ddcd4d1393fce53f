import { HttpException } from '@nestjs/common';

/** The error body of every API: `{title, detail}` (DOMAIN.md section 6). */
export interface ProblemBody {
  readonly title: string;
  readonly detail: string;
}

/** Thrown by controllers for the answers the seeds define (404 BALANCE_NOT_FOUND, ...). */
export class Problem extends HttpException {
  constructor(status: number, title: string, detail: string) {
    super({ title, detail } satisfies ProblemBody, status);
  }
}
