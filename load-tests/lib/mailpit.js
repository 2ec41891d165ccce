// @ts-check
import http from 'k6/http';
import { sleep } from 'k6';
import { EMAIL_TIMEOUT_S, MAILPIT_URL } from './config.js';

/**
 * Reading what the worker sent, through Mailpit's API (https://mailpit.axllent.org/docs/api-v1/):
 * `GET /api/v1/search?query=to:"…"` lists the messages (newest first), `GET /view/{ID}.txt` is one
 * message's text body. Requests are tagged `name: mailpit` so API thresholds never include them.
 */

/** The code in the worker's email text: "Your sign-in code is 123456." */
const CODE_PATTERN = /code is (\d{4,10})\b/;

/**
 * @typedef {{ ID: string, Created?: string }} MailpitMessage
 * @typedef {{ messages?: MailpitMessage[], messages_count?: number, total?: number }} MailpitSearch
 */

/**
 * Messages whose recipient contains `to` (an address, or the shared part of several).
 *
 * @param {string} to
 * @returns {MailpitMessage[]}
 */
export function searchByRecipient(to) {
  const query = encodeURIComponent(`to:"${to}"`);
  const res = http.get(`${MAILPIT_URL}/api/v1/search?query=${query}&limit=1000`, {
    tags: { name: 'mailpit' },
  });
  if (res.status !== 200) throw new Error(`Mailpit search answered ${res.status}: is MAILPIT_URL right?`);
  const body = /** @type {MailpitSearch} */ (JSON.parse(String(res.body)));
  return body.messages || [];
}

/**
 * Waits until Mailpit holds at least `count` messages for `to`, then returns them (newest first).
 *
 * @param {string} to
 * @param {number} count
 * @param {number} [timeoutS]
 * @returns {MailpitMessage[]}
 */
export function waitForMessages(to, count, timeoutS) {
  const deadline = Date.now() + (timeoutS === undefined ? EMAIL_TIMEOUT_S : timeoutS) * 1000;
  for (;;) {
    const messages = searchByRecipient(to);
    if (messages.length >= count || Date.now() > deadline) return messages;
    sleep(0.25);
  }
}

/**
 * The code in one message's text body.
 *
 * @param {string} id - Mailpit message ID.
 * @returns {string}
 */
export function codeInMessage(id) {
  const res = http.get(`${MAILPIT_URL}/view/${id}.txt`, { tags: { name: 'mailpit' } });
  const match = CODE_PATTERN.exec(String(res.body));
  if (res.status !== 200 || match === null) {
    throw new Error(`Mailpit message ${id}: no code in the text body (status ${res.status})`);
  }
  return String(match[1]);
}

/**
 * The latest code emailed to `email`, waiting for the worker to deliver it.
 *
 * @param {string} email
 * @returns {string}
 */
export function latestCode(email) {
  const messages = waitForMessages(email, 1);
  const latest = messages[0];
  if (latest === undefined) {
    throw new Error(
      `No email for ${email} in Mailpit after ${EMAIL_TIMEOUT_S} s: is the worker running with EMAIL_TRANSPORT=smtp?`,
    );
  }
  return codeInMessage(latest.ID);
}
