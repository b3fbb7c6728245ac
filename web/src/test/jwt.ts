function b64url(value: object): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** An unsigned token with the claims the app reads (the app never checks signatures). */
export function fakeJwt(expSeconds: number, extra: Record<string, unknown> = {}): string {
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ exp: expSeconds, token_type: 'access', ...extra })}.sig`;
}
