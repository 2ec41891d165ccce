import { randomUUID } from 'node:crypto';
import type { AuditEventInput, AuditEventName } from '@tses/audit';
import type { Context } from 'koa';
import type { JobsPort } from './app-deps.js';

const MAX_USER_AGENT = 512;

/**
 * Builds an audit event for this request: a fresh id, the client IP, the User-Agent, now.
 *
 * @param ctx - The request.
 * @param event - `OTP_REQUESTED`, `OTP_VERIFIED`, `OTP_FAILED`, `OTP_LOCKED`.
 * @param email - The normalised address.
 * @param metadata - Extra facts (never codes or tokens: job data sits in Redis in plain text).
 * @returns The event, ready for `jobs.auditEvent`.
 */
export function auditEventFor(
  ctx: Context,
  event: AuditEventName,
  email: string,
  metadata: Record<string, unknown> = {},
): AuditEventInput {
  const userAgent = ctx.get('User-Agent');
  return {
    id: randomUUID(),
    event,
    email,
    ip: ctx.state.clientIp || null,
    userAgent: userAgent === '' ? null : userAgent.slice(0, MAX_USER_AGENT),
    metadata: { request_id: ctx.state.requestId, ...metadata },
    occurredAt: new Date(),
  };
}

/**
 * Queues an audit event without failing the request when the queue is down: the outcome it
 * records has already happened (a code consumed, tokens issued), so the event is logged at
 * error level for recovery instead.
 *
 * @param jobs - The job publisher.
 * @param ctx - The request (for its logger).
 * @param event - The event.
 */
export async function publishAudit(jobs: JobsPort, ctx: Context, event: AuditEventInput): Promise<void> {
  try {
    await jobs.auditEvent(event);
  } catch (error) {
    ctx.state.log.error({ err: error, audit_event: event }, 'audit event could not be queued');
  }
}
