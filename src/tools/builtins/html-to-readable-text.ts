import { convert, type HtmlToTextOptions } from 'html-to-text';

const MAX_LINK_LENGTH = 200;

export interface ReadableHtml {
  title: string | undefined;
  text: string;
}

/**
 * Turns an HTML page into text a model reads cheaply: no markup, scripts or images; links
 * kept only when useful (same-site links as paths, others absolute, overlong ones dropped).
 */
export function htmlToReadableText(html: string, pageUrl: URL): ReadableHtml {
  const options: HtmlToTextOptions = {
    wordwrap: false,
    selectors: [
      {
        selector: 'a',
        options: {
          hideLinkHrefIfSameAsText: true,
          noAnchorUrl: true,
          pathRewrite: (href: string) => shortenLink(href, pageUrl),
        },
      },
      { selector: 'img', format: 'skip' },
      { selector: 'svg', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  };
  const text = convert(html, options)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { title: extractTitle(html), text };
}

function shortenLink(href: string, pageUrl: URL): string {
  let target: URL;
  try {
    target = new URL(href, pageUrl);
  } catch {
    return '';
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return '';
  const link =
    target.origin === pageUrl.origin ? `${target.pathname}${target.search}` : target.href;
  return link.length > MAX_LINK_LENGTH ? '' : link;
}

function extractTitle(html: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html.slice(0, 100_000));
  if (match?.[1] === undefined) return undefined;
  const title = convert(match[1], { wordwrap: false }).replace(/\s+/g, ' ').trim();
  return title === '' ? undefined : title;
}
