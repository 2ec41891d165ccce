import { BOARD_PATH } from './board-session.js';

/**
 * The dashboard's sign-in page: one form that posts an admin's access token (from
 * `POST /api/v1/auth/otp/verify`) to `POST /admin/queues/login`. No script, no external asset.
 */
export function signInPage(message?: string): string {
  const note = message === undefined ? '' : `<p role="alert">${escapeHtml(message)}</p>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Queues: sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>Job queues</h1>
${note}
<form method="post" action="${BOARD_PATH}/login">
<label for="token">Admin access token</label>
<input id="token" name="token" type="password" autocomplete="off" required>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
