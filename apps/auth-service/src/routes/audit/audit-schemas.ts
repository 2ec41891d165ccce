import {
  AUDIT_EVENTS,
  DEFAULT_EXACT_COUNT_LIMIT,
  DEFAULT_PAGE_SIZE,
  EARLIEST_AUDIT_INSTANT,
  LATEST_AUDIT_INSTANT,
  MAX_PAGE_SIZE,
  MAX_PAGE_WINDOW,
} from '@tses/audit';
import { z } from 'zod';

// The documented query: plain strings, so the OpenAPI parameters read well. `@tses/audit`'s
// parseAuditQuery then checks the values (formats, ranges, from ≤ to, cursor integrity).
const RANGE = `between ${EARLIEST_AUDIT_INSTANT} and ${LATEST_AUDIT_INSTANT}`;

/** `GET /audit/logs` query parameters. */
export const auditLogsQuery = z.strictObject({
  email: z.string().optional().meta({
    description: 'Only entries for this address (normalised). Non-admins may only give their own.',
    example: 'user@example.com',
  }),
  event: z
    .string()
    .optional()
    .meta({
      description: `Only this event: ${AUDIT_EVENTS.join(', ')} (or another UPPER_SNAKE_CASE name).`,
      example: 'OTP_VERIFIED',
    }),
  from: z
    .string()
    .optional()
    .meta({
      description: `Only entries at or after this instant (ISO 8601 with offset, ${RANGE}).`,
      example: '2026-01-31T00:00:00Z',
      format: 'date-time',
    }),
  to: z
    .string()
    .optional()
    .meta({
      description: `Only entries at or before this instant (ISO 8601 with offset, ${RANGE}; not before \`from\`).`,
      example: '2026-01-31T23:59:59Z',
      format: 'date-time',
    }),
  page: z
    .string()
    .optional()
    .meta({
      description: `Page number, from 1 (page-number pagination, with \`count\`); \`page\` × \`page_size\` ≤ ${MAX_PAGE_WINDOW}, read deeper with \`cursor\`. Not with \`cursor\`.`,
      example: '1',
    }),
  page_size: z
    .string()
    .optional()
    .meta({
      description: `Entries per page, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
      example: '20',
    }),
  cursor: z.string().optional().meta({
    description:
      'Opaque cursor from `next`/`previous` (keyset pagination: constant cost at any depth, `count` is null).',
  }),
  pagination: z
    .enum(['page', 'cursor'])
    .optional()
    .meta({ description: 'Start keyset pagination without a cursor with `cursor`; default `page`.' }),
});

/** One audit entry. */
export const auditEntrySchema = z.object({
  id: z.uuid(),
  event: z.string(),
  email: z.string(),
  ip_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.iso.datetime().meta({ description: 'When the event happened.' }),
});

/** `GET /audit/logs` 200 body (DRF-style pagination). */
export const auditLogsResponse = z
  .object({
    count: z
      .int()
      .nullable()
      .meta({
        description: `Entries matching the filters: exact up to ${DEFAULT_EXACT_COUNT_LIMIT}, an estimate beyond (see \`count_is_estimate\`); \`null\` with cursor pagination.`,
      }),
    count_is_estimate: z.boolean().meta({
      description: `\`true\` when \`count\` is an estimate (more than ${DEFAULT_EXACT_COUNT_LIMIT} entries match; counting them all would cost in proportion to their number); \`false\` when it is exact or \`null\`.`,
    }),
    next: z.string().nullable().meta({ description: 'Relative URL of the next (older) page, or `null`.' }),
    previous: z
      .string()
      .nullable()
      .meta({ description: 'Relative URL of the previous (newer) page, or `null`.' }),
    results: z
      .array(auditEntrySchema)
      .meta({ description: 'Newest first (`created_at` desc, then `id` desc).' }),
  })
  .meta({
    id: 'AuditLogPage',
    example: {
      count: 42,
      count_is_estimate: false,
      next: '/api/v1/audit/logs?page_size=20&page=2',
      previous: null,
      results: [
        {
          id: '0d9e8f7a-6b5c-4d3e-2f1a-0b9c8d7e6f5a',
          event: 'OTP_VERIFIED',
          email: 'user@example.com',
          ip_address: '203.0.113.7',
          user_agent: 'curl/8.5.0',
          metadata: {
            request_id: '0b6f0a0e-6f2b-4c39-9d59-8f8e8e6f1f7a',
            user_id: '8d3c5f0e-2b1a-4c7e-9f6d-0a1b2c3d4e5f',
          },
          created_at: '2026-01-31T09:30:12.345Z',
        },
      ],
    },
  });
