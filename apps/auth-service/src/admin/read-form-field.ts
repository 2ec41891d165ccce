import type { Context } from 'koa';
import { HttpProblem } from '../errors/problem.js';
import { PayloadTooLargeProblem } from '../errors/request-problems.js';

const LIMIT_BYTES = 16 * 1024;

/**
 * One field of a small `application/x-www-form-urlencoded` body (the sign-in form): at most 16 KiB,
 * the right content type, else a 4xx problem.
 *
 * @param ctx - The request.
 * @param name - The field.
 * @returns Its value, or `undefined` when absent or empty.
 */
export async function readFormField(ctx: Context, name: string): Promise<string | undefined> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new HttpProblem({
      slug: 'unsupported-media-type',
      status: 415,
      title: 'Unsupported media type',
      detail: 'Send the form as application/x-www-form-urlencoded.',
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LIMIT_BYTES) {
      throw new PayloadTooLargeProblem(LIMIT_BYTES);
    }
    chunks.push(chunk);
  }
  const value = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get(name)?.trim();
  return value === undefined || value === '' ? undefined : value;
}
