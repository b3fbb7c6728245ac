import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, describeError, errorFromResponse, formatRetry, parseRetryAfter } from './errors';

const NOW = new Date('2026-03-02T10:00:00Z');

describe('describeError', () => {
  it('puts DRF field errors beside their fields', () => {
    const err = new ApiError(400, {
      username: ['A user with that username already exists.'],
      password: ['This password is too short. It must contain at least 8 characters.', 'This password is too common.'],
    });
    expect(describeError(err, { fields: ['username', 'email', 'password', 'password2'] })).toEqual({
      summary: [],
      fields: {
        username: 'A user with that username already exists.',
        password: 'This password is too short. It must contain at least 8 characters. This password is too common.',
      },
    });
  });

  it('shows non_field_errors, detail and errors for fields the form lacks at the top', () => {
    const err = new ApiError(400, {
      non_field_errors: ['Something about the whole form.'],
      resume_used: ['Invalid pk "7" - object does not exist.'],
    });
    expect(describeError(err, { fields: ['job_title'], labels: { resume_used: 'Resume used' } }).summary).toEqual([
      'Something about the whole form.',
      'Resume used: Invalid pk "7" - object does not exist.',
    ]);
    const login = new ApiError(401, { detail: 'No active account found with the given credentials' });
    expect(describeError(login, { fields: ['username', 'password'] })).toEqual({
      summary: ['No active account found with the given credentials'],
      fields: {},
    });
  });

  it('ignores simplejwt code and messages', () => {
    const err = new ApiError(401, {
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      messages: [{ token_class: 'AccessToken', message: 'Token is invalid or expired' }],
    });
    expect(describeError(err).summary).toEqual(['Given token not valid for any token type']);
  });

  it('says when to retry a throttled request', () => {
    const err = new ApiError(429, { detail: 'Request was throttled. Expected available in 180 seconds.' }, 180);
    const { summary } = describeError(err, { now: NOW });
    expect(summary[0]).toBe('Request was throttled. Expected available in 180 seconds.');
    expect(summary[1]).toMatch(/^You can try again in 3 minutes \(at .+\)\.$/);
  });

  it('says when the daily limit resets', () => {
    const err = new ApiError(
      429,
      { detail: 'Daily limit of 5 requests reached for the Google Gemini model.' },
      14 * 3600,
    );
    const { summary } = describeError(err, { now: NOW });
    expect(summary[0]).toBe('Daily limit of 5 requests reached for the Google Gemini model.');
    expect(summary[1]).toMatch(/^You can try again in 14 hours \((at|tomorrow at) .+\)\.$/);
  });

  it('shows a provider failure plainly, with when to retry', () => {
    const plain = new ApiError(503, { error: 'An error occurred while communicating with the AI service.' });
    expect(describeError(plain).summary).toEqual([
      'An error occurred while communicating with the AI service.',
      'Please try again in a few minutes.',
    ]);
    const timed = new ApiError(503, { detail: 'Service temporarily unavailable.' }, 30);
    expect(describeError(timed).summary).toEqual([
      'Service temporarily unavailable.',
      'You can try again in 30 seconds.',
    ]);
  });

  it('explains a network failure and a bare server error', () => {
    expect(describeError(new NetworkError()).summary[0]).toMatch(/Can't reach ResuMate/);
    expect(describeError(new ApiError(500, { detail: 'A server error occurred.' })).summary).toEqual([
      'A server error occurred.',
      'Please try again in a moment.',
    ]);
    expect(describeError(new ApiError(404, '')).summary).toEqual(['Not found. It may have been deleted.']);
  });

  it('says nothing for a cancelled request', () => {
    expect(describeError(new DOMException('aborted', 'AbortError'))).toEqual({ summary: [], fields: {} });
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter('Mon, 02 Mar 2026 10:01:00 GMT', NOW)).toBe(60);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('is read from a response', async () => {
    const res = new Response(JSON.stringify({ detail: 'Request was throttled. Expected available in 1 second.' }), {
      status: 429,
      headers: { 'Retry-After': '1' },
    });
    const err = await errorFromResponse(res);
    expect(err.status).toBe(429);
    expect(err.retryAfter).toBe(1);
    expect(err.message).toBe('Request was throttled. Expected available in 1 second.');
  });

  it('is formatted for people', () => {
    expect(formatRetry(1, NOW)).toBe('in 1 second');
    expect(formatRetry(45, NOW)).toBe('in 45 seconds');
    expect(formatRetry(61, NOW)).toMatch(/^in 2 minutes \(at /);
    expect(formatRetry(3600 + 1800, NOW)).toMatch(/^in 1 hour 30 minutes /);
  });
});
