// Markdown to HTML for the resume preview. Raw HTML in a resume is never passed through
// (markdown-it with html: false escapes it), links are limited to safe schemes, and every link
// opens in a new tab with rel="noopener noreferrer".
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
// Only addresses with a scheme or www. become links: "B.Sc." or "Node.js" stay text.
md.linkify.set({ fuzzyLink: false });

const SAFE_LINK = /^(https?:|mailto:|tel:|#|\/(?!\/))/i;
const SAFE_IMAGE = /^(data:image\/(png|gif|jpe?g|webp);|\/(?!\/))/i;

md.validateLink = (url: string): boolean => {
  const trimmed = url.trim();
  // Relative links without a scheme ("portfolio.html") are harmless; any scheme must be allowed.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return !trimmed.startsWith('//');
  return SAFE_LINK.test(trimmed) || SAFE_IMAGE.test(trimmed);
};

const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));

md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  token.attrSet('rel', 'noopener noreferrer');
  const href = token.attrGet('href') ?? '';
  if (!href.startsWith('#')) token.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// Images from elsewhere would be blocked by the page's policy anyway: show their text instead.
const defaultImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = token.attrGet('src') ?? '';
  if (!SAFE_IMAGE.test(src)) return md.utils.escapeHtml(token.content || '');
  return defaultImage(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** The first level-1 heading's text: a resume's natural title. */
export function firstHeading(source: string): string | null {
  const match = /^#\s+(.+?)\s*#*\s*$/m.exec(source);
  return match ? match[1].trim() : null;
}
