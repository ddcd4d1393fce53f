import type { Response } from 'supertest';

/** The answer is a `{title, detail}` JSON problem with this status and title. */
export function expectProblem(response: Response, status: number, title: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.body).toEqual({ title, detail: expect.any(String) });
}

/** 400 INVALID_REQUEST whose detail names every one of `fields`. */
export function expectInvalidRequest(response: Response, fields: string[]): void {
  expectProblem(response, 400, 'INVALID_REQUEST');
  const detail = (response.body as { detail: string }).detail;
  for (const field of fields) expect(detail).toMatch(new RegExp(`\\b${field}\\b`));
}
