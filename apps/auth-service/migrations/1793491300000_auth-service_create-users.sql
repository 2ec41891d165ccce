-- Up Migration
-- Users of the auth service: created on the first successful OTP verification.
-- The email is stored normalised (trim, NFKC, lower-case) by @tses/otp's normalizeEmail.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);

-- Down Migration
DROP TABLE users;
