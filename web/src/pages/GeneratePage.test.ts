import { describe, expect, it } from 'vitest';
import type { AIModelSummary } from '../api/types';
import { inputCounter, pickDefaultModel } from './GeneratePage';

const model = (model_name: string, login_required = false): AIModelSummary => ({
  model_name,
  login_required,
  response_time_info: '',
  description: '',
});

describe('the generate form', () => {
  it('counts trimmed characters towards the 50-character minimum', () => {
    expect(inputCounter('  short  ')).toEqual({
      count: 5,
      ok: false,
      label: '5 / 50 characters minimum (45 to go)',
    });
    expect(inputCounter('x'.repeat(50)).ok).toBe(true);
  });

  it('picks Auto, and never a login-only model for a visitor', () => {
    const list = [model('Google Gemini', true), model('Auto'), model('Deepseek')];
    expect(pickDefaultModel(list, false)).toBe('Auto');
    expect(pickDefaultModel([model('Google Gemini', true), model('Deepseek')], false)).toBe('Deepseek');
    expect(pickDefaultModel([model('Google Gemini', true)], true)).toBe('Google Gemini');
  });
});
