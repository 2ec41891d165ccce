// Tokens: rotation, reuse detection, logout, type confusion, pinned algorithms, EdDSA + JWKS.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKeys, type SigningKeys } from '../src/index.js';
import { startFullHarness, TEST_JWT, type FullHarness } from './helpers/harness.js';

const REFRESH = '/api/v1/auth/token/refresh';
const LOGOUT = '/api/v1/auth/logout';
const ME = '/api/v1/auth/me';
const STATUS = '/api/v1/auth/status';

describe('tokens (HS256, full mode)', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('issues access and refresh tokens with typ, token_type, jti, sub, sid, iss, aud, exp', async () => {
    const tokens = await h.signIn('claims@example.com');
    const access = decodeJwt(tokens.access);
    const refresh = decodeJwt(tokens.refresh);
    expect(decodeProtectedHeader(tokens.access)).toMatchObject({ alg: 'HS256', typ: 'at+jwt' });
    expect(decodeProtectedHeader(tokens.refresh)).toMatchObject({ alg: 'HS256', typ: 'rt+jwt' });
    expect(access).toMatchObject({
      token_type: 'access',
      sub: tokens.user.id,
      iss: TEST_JWT.issuer,
      aud: TEST_JWT.audience,
    });
    expect(refresh).toMatchObject({ token_type: 'refresh', sub: tokens.user.id, sid: access['sid'] });
    expect((access.exp ?? 0) - (access.iat ?? 0)).toBe(300);
    expect((refresh.exp ?? 0) - (refresh.iat ?? 0)).toBe(86_400);
    expect(access.jti).not.toBe(refresh.jti);
  });

  it('/auth/me and /auth/status with and without a token; 401 carries WWW-Authenticate: Bearer', async () => {
    const { access } = await h.signIn('me@example.com');
    expect((await h.client.get(STATUS)).body).toEqual({ authenticated: false });
    expect((await h.client.get(STATUS, { token: 'garbage' })).body).toEqual({ authenticated: false });
    expect((await h.client.get(STATUS, { token: access })).body).toEqual({ authenticated: true });
    const anonymous = await h.client.get(ME);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="tses"');
    const bad = await h.client.get(ME, { token: 'not.a.jwt' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const basic = await h.client.get(ME, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
  });

  it('refresh rotates: the new pair works, the old refresh token is spent', async () => {
    const first = await h.signIn('rotate@example.com');
    const rotated = await h.client.post(REFRESH, { refresh: first.refresh });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(rotated.body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect(rotated.body.refresh).not.toBe(first.refresh);
    expect(decodeJwt(rotated.body.access)['sid']).toBe(decodeJwt(first.access)['sid']);
    expect((await h.client.get(ME, { token: rotated.body.access })).status).toBe(200);
    const again = await h.client.post(REFRESH, { refresh: rotated.body.refresh });
    expect(again.status).toBe(200);
  });

  it('reusing a rotated refresh token revokes the whole session', async () => {
    const first = await h.signIn('reuse@example.com');
    const second = (await h.client.post(REFRESH, { refresh: first.refresh })).body;
    const reuse = await h.client.post(REFRESH, { refresh: first.refresh });
    expect(reuse.status).toBe(401);
    expect(reuse.body.detail).toContain('already used');
    // Every token of the family is dead now: the thief's and the victim's.
    expect((await h.client.post(REFRESH, { refresh: second.refresh })).status).toBe(401);
    expect((await h.client.get(ME, { token: second.access })).status).toBe(401);
    expect((await h.client.get(ME, { token: first.access })).status).toBe(401);
    // Another session of the same user is untouched.
    const other = await h.signIn('reuse@example.com');
    expect((await h.client.get(ME, { token: other.access })).status).toBe(200);
  });

  it('concurrent refreshes of one token: exactly one succeeds', async () => {
    const { refresh } = await h.signIn('race@example.com');
    const results = await Promise.all(Array.from({ length: 20 }, () => h.client.post(REFRESH, { refresh })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(19);
  });

  it('logout revokes refresh and access tokens of the session; 204', async () => {
    const { access, refresh } = await h.signIn('logout@example.com');
    const out = await h.client.post(LOGOUT, { refresh });
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    expect((await h.client.post(REFRESH, { refresh })).status).toBe(401);
    expect((await h.client.get(ME, { token: access })).status).toBe(401);
    expect((await h.client.get(STATUS, { token: access })).body).toEqual({ authenticated: false });
    expect((await h.client.post(LOGOUT, { refresh: 'nonsense' })).status).toBe(401);
  });

  it('a refresh token is never an access token, nor the reverse', async () => {
    const { access, refresh } = await h.signIn('confused@example.com');
    expect((await h.client.get(ME, { token: refresh })).status).toBe(401);
    expect((await h.client.get(STATUS, { token: refresh })).body).toEqual({ authenticated: false });
    expect((await h.client.post(REFRESH, { refresh: access })).status).toBe(401);
  });

  it('pins the algorithm and requires exp; rejects forged, expired and foreign tokens', async () => {
    const { access, user } = await h.signIn('forged@example.com');
    const claims = decodeJwt(access);
    const none = new UnsecuredJWT({ ...claims }).encode();
    expect((await h.client.get(ME, { token: none })).status).toBe(401);
    const otherKey = new TextEncoder().encode('x'.repeat(48));
    const base = () =>
      new SignJWT({ token_type: 'access', email: 'forged@example.com', sid: claims['sid'] as string })
        .setSubject(user.id)
        .setIssuer(TEST_JWT.issuer)
        .setAudience(TEST_JWT.audience)
        .setIssuedAt()
        .setJti('f');
    const wrongKey = await base()
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setExpirationTime('5m')
      .sign(otherKey);
    expect((await h.client.get(ME, { token: wrongKey })).status).toBe(401);
    const tampered = access.replace(
      /\.[^.]+\./,
      `.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone' })).toString('base64url')}.`,
    );
    expect((await h.client.get(ME, { token: tampered })).status).toBe(401);
    expect((await h.client.get(ME, { token: `${access}x` })).status).toBe(401);
  });
});

describe('tokens (EdDSA + JWKS, full mode)', () => {
  let h: FullHarness;
  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signingKeys = await createSigningKeys({
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    h = await startFullHarness({ signingKeys, accessTtlSeconds: 1 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('signs with EdDSA and publishes the key at /.well-known/jwks.json', async () => {
    const { access } = await h.signIn('eddsa@example.com');
    const header = decodeProtectedHeader(access);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    const jwks = await h.client.get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys[0]).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      use: 'sig',
      kid: header.kid,
    });
    expect(jwks.body.keys[0].d).toBeUndefined();
    const { payload } = await jwtVerify(access, createLocalJWKSet(jwks.body), {
      algorithms: ['EdDSA'],
      issuer: TEST_JWT.issuer,
      audience: TEST_JWT.audience,
      clockTolerance: 5, // this suite's access tokens live 1 s
    });
    expect(payload['token_type']).toBe('access');
    expect((await h.client.get(ME, { token: access })).status).toBe(200);
  });

  it('an expired access token is refused', async () => {
    const { access } = await h.signIn('expired@example.com');
    await new Promise((resolve) => setTimeout(resolve, 7_000)); // 1 s lifetime + 5 s clock tolerance
    const response = await h.client.get(ME, { token: access });
    expect(response.status).toBe(401);
  }, 15_000);

  it('an HS256 token signed with the public key is refused (algorithm confusion)', async () => {
    const jwks = (await h.client.get('/.well-known/jwks.json')).body;
    const { user, access } = await h.signIn('confusion@example.com');
    const forged = await new SignJWT({ ...decodeJwt(access) })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
    expect(user.id).toBeDefined();
    expect((await h.client.get(ME, { token: forged })).status).toBe(401);
  });
});

describe('tokens: claims the server does not take on trust (HS256, full mode)', () => {
  let h: FullHarness;
  let key: SigningKeys['signKey'];
  beforeAll(async () => {
    const signingKeys = await createSigningKeys({ secret: 'claims-test-secret-of-at-least-32-bytes!!' });
    key = signingKeys.signKey;
    h = await startFullHarness({ signingKeys });
  });
  afterAll(async () => {
    await h.close();
  });

  /** A token signed with the service's own key: only the claims can make it fail. */
  function forge(kind: 'access' | 'refresh', claims: { sub: string; sid: string; iat: number; ttl: number }) {
    return new SignJWT({ token_type: kind, email: 'claims@example.com', sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256', typ: kind === 'access' ? 'at+jwt' : 'rt+jwt' })
      .setSubject(claims.sub)
      .setIssuer(TEST_JWT.issuer)
      .setAudience(TEST_JWT.audience)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.iat + claims.ttl)
      .setJti(randomUUID())
      .sign(key);
  }

  it('refuses a token issued in the future beyond the clock tolerance', async () => {
    const { access, user } = await h.signIn('future@example.com');
    const sid = decodeJwt(access)['sid'] as string;
    const now = Math.floor(Date.now() / 1000);
    const future = await forge('access', { sub: user.id, sid, iat: now + 3_600, ttl: 300 });
    expect((await h.client.get(ME, { token: future })).status).toBe(401);
    const futureRefresh = await forge('refresh', { sub: user.id, sid, iat: now + 3_600, ttl: 86_400 });
    expect((await h.client.post(REFRESH, { refresh: futureRefresh })).status).toBe(401);
    // Within the tolerance (5 s of clock skew between servers): accepted.
    const skewed = await forge('access', { sub: user.id, sid, iat: now + 3, ttl: 300 });
    expect((await h.client.get(ME, { token: skewed })).status).toBe(200);
  });

  it('an access token is valid only while its session exists', async () => {
    const { access, user } = await h.signIn('session@example.com');
    const now = Math.floor(Date.now() / 1000);
    const orphan = await forge('access', { sub: user.id, sid: randomUUID(), iat: now, ttl: 300 });
    const refused = await h.client.get(ME, { token: orphan });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await h.client.get(STATUS, { token: orphan })).body).toEqual({ authenticated: false });
    // The same claims on the real session are accepted.
    const sid = decodeJwt(access)['sid'] as string;
    const real = await forge('access', { sub: user.id, sid, iat: now, ttl: 300 });
    expect((await h.client.get(ME, { token: real })).status).toBe(200);
  });
});
