import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MarkdownPreview } from '../components/Page';
import { firstHeading, renderMarkdown } from './markdown';

const HOSTILE = `# Jane Doe

<script>window.__pwned = true</script>

<img src=x onerror="window.__pwned = true">

<iframe src="/frame"></iframe>

[click me](javascript:window.__pwned=true) · [data](data:text/html,<script>alert(1)</script>) · [vb](vbscript:msgbox)

[entity](jav&#x61;script:alert(1)) <a href="javascript:alert(1)">raw</a>

![pixel](https://evil.example/track.png) ![x](javascript:alert(1))

<div onmouseover="alert(1)">hover</div>

[portfolio](https://jane.example/work) and https://github.com/jane
`;

function renderToDom(source: string): HTMLElement {
  const { container } = render(<MarkdownPreview source={source} />);
  return container;
}

describe('the resume preview', () => {
  it('runs no script and keeps no raw HTML from the resume', () => {
    const dom = renderToDom(HOSTILE);
    expect(dom.querySelector('script')).toBeNull();
    expect(dom.querySelector('iframe')).toBeNull();
    expect(dom.querySelector('img')).toBeNull();
    expect(dom.querySelector('div[onmouseover]')).toBeNull();
    for (const el of dom.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) expect(attr.startsWith('on')).toBe(false);
    }
    // The markup is shown as text instead.
    expect(dom.textContent).toContain('<script>');
    expect((window as unknown as { __pwned?: boolean }).__pwned).toBeUndefined();
  });

  it('makes no javascript:, data: or vbscript: links', () => {
    const dom = renderToDom(HOSTILE);
    const hrefs = [...dom.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '');
    expect(hrefs).toEqual(['https://jane.example/work', 'https://github.com/jane']);
  });

  it('opens links in a new tab without giving it the opener', () => {
    const dom = renderToDom('[site](https://jane.example)');
    const a = dom.querySelector('a')!;
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    expect(a.getAttribute('target')).toBe('_blank');
  });

  it('renders ordinary resume Markdown', () => {
    const html = renderMarkdown('# Jane\n\n## Experience\n\n- **Led** a team\n');
    expect(html).toContain('<h1>Jane</h1>');
    expect(html).toContain('<h2>Experience</h2>');
    expect(html).toContain('<li><strong>Led</strong> a team</li>');
  });

  it('finds the first heading for a title', () => {
    expect(firstHeading('intro\n# Jane Doe\n## Skills')).toBe('Jane Doe');
    expect(firstHeading('no heading')).toBeNull();
  });
});
