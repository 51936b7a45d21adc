import { Fragment, type ReactNode } from "react";
import "./markdown.css";

// The bodies of reflex sheets and publications are Markdown (`##` headings and `-` lists, mostly).
// This renders the small subset the CERT writes — headings, lists, quotes, code, rules, bold,
// italics, inline code and http(s)/mailto links — straight to React elements: no HTML string is
// ever injected, so a sheet cannot carry markup or scripts.

type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

/** A block of the document. */
export type MarkdownBlock =
  | { type: "heading"; level: HeadingLevel; text: string }
  | { type: "paragraph"; text: string }
  | { type: "list"; ordered: boolean; start: number; items: ListItem[] }
  | { type: "quote"; text: string }
  | { type: "code"; text: string }
  | { type: "rule" };

export interface ListItem {
  text: string;
  children: MarkdownBlock[];
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^(\s*)([-*+])\s+(.*)$/;
const NUMBERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;
const FENCE = /^\s*(```|~~~)/;
const QUOTE = /^\s*>\s?(.*)$/;

interface ListLine {
  indent: number;
  ordered: boolean;
  number: number;
  text: string;
}

function listLine(line: string): ListLine | null {
  const bullet = BULLET.exec(line);
  if (bullet && !RULE.test(line)) {
    return { indent: bullet[1]?.length ?? 0, ordered: false, number: 1, text: bullet[3] ?? "" };
  }
  const numbered = NUMBERED.exec(line);
  if (numbered) {
    return {
      indent: numbered[1]?.length ?? 0,
      ordered: true,
      number: Number(numbered[2]),
      text: numbered[3] ?? "",
    };
  }
  return null;
}

/** Builds (possibly nested) lists from consecutive list lines. */
function buildList(lines: ListLine[]): MarkdownBlock {
  const first = lines[0] as ListLine;
  const base = first.indent;
  const items: ListItem[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] as ListLine;
    const item: ListItem = { text: line.text, children: [] };
    index += 1;
    const nested: ListLine[] = [];
    while (index < lines.length && (lines[index] as ListLine).indent > base) {
      nested.push(lines[index] as ListLine);
      index += 1;
    }
    if (nested.length > 0) item.children.push(buildList(nested));
    items.push(item);
  }
  return { type: "list", ordered: first.ordered, start: first.number, items };
}

/** Splits a Markdown text into blocks. */
export function parseMarkdown(source: string): MarkdownBlock[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: MarkdownBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    if (!line.trim()) {
      index += 1;
      continue;
    }
    if (FENCE.test(line)) {
      const code: string[] = [];
      index += 1;
      while (index < lines.length && !FENCE.test(lines[index] ?? "")) {
        code.push(lines[index] ?? "");
        index += 1;
      }
      index += 1; // the closing fence (or the end of the text)
      blocks.push({ type: "code", text: code.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({
        type: "heading",
        level: (heading[1]?.length ?? 1) as HeadingLevel,
        text: heading[2] ?? "",
      });
      index += 1;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: "rule" });
      index += 1;
      continue;
    }
    if (listLine(line)) {
      const items: ListLine[] = [];
      while (index < lines.length) {
        const current = lines[index] ?? "";
        const parsed = listLine(current);
        if (parsed) {
          items.push(parsed);
        } else if (current.trim() && /^\s+/.test(current) && items.length > 0) {
          // A continuation line of the previous item.
          const last = items[items.length - 1] as ListLine;
          last.text = `${last.text} ${current.trim()}`;
        } else {
          break;
        }
        index += 1;
      }
      blocks.push(buildList(items));
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (index < lines.length && QUOTE.test(lines[index] ?? "")) {
        quoted.push(QUOTE.exec(lines[index] ?? "")?.[1] ?? "");
        index += 1;
      }
      blocks.push({ type: "quote", text: quoted.join(" ").trim() });
      continue;
    }
    const paragraph: string[] = [];
    while (index < lines.length) {
      const current = lines[index] ?? "";
      if (
        !current.trim() ||
        HEADING.test(current) ||
        FENCE.test(current) ||
        RULE.test(current) ||
        QUOTE.test(current) ||
        listLine(current)
      )
        break;
      paragraph.push(current.trim());
      index += 1;
    }
    blocks.push({ type: "paragraph", text: paragraph.join(" ") });
  }
  return blocks;
}

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*|__[^_]+__)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/;

function safeHref(href: string): string | null {
  return /^(https?:\/\/|mailto:)/i.test(href) ? href : null;
}

/** Inline formatting of a line of text. */
export function renderInline(text: string, keyPrefix = "i"): ReactNode[] {
  const nodes: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest) {
    const match = INLINE.exec(rest);
    if (!match) {
      nodes.push(rest);
      break;
    }
    if (match.index > 0) nodes.push(rest.slice(0, match.index));
    const token = match[0];
    const key = `${keyPrefix}-${n++}`;
    if (match[1]) {
      nodes.push(<code key={key}>{token.slice(1, -1)}</code>);
    } else if (match[2]) {
      nodes.push(<strong key={key}>{renderInline(token.slice(2, -2), key)}</strong>);
    } else if (match[3]) {
      nodes.push(<em key={key}>{renderInline(token.slice(1, -1), key)}</em>);
    } else {
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token);
      const href = link?.[2] ? safeHref(link[2]) : null;
      if (link && href) {
        nodes.push(
          <a
            key={key}
            href={href}
            target="_blank"
            rel="noopener noreferrer"
            title={`${link[1]} — nouvelle fenêtre`}
          >
            {renderInline(link[1] ?? "", key)}
          </a>,
        );
      } else {
        nodes.push(token);
      }
    }
    rest = rest.slice(match.index + token.length);
  }
  return nodes;
}

function Heading({ level, children }: { level: HeadingLevel; children: ReactNode }) {
  switch (level) {
    case 1:
      return <h1>{children}</h1>;
    case 2:
      return <h2>{children}</h2>;
    case 3:
      return <h3>{children}</h3>;
    case 4:
      return <h4>{children}</h4>;
    case 5:
      return <h5>{children}</h5>;
    default:
      return <h6>{children}</h6>;
  }
}

function Blocks({ blocks, shift, prefix }: { blocks: MarkdownBlock[]; shift: number; prefix: string }) {
  return (
    <>
      {blocks.map((block, i) => {
        const key = `${prefix}${i}`;
        switch (block.type) {
          case "heading":
            return (
              <Heading key={key} level={Math.min(6, Math.max(1, block.level + shift)) as HeadingLevel}>
                {renderInline(block.text, key)}
              </Heading>
            );
          case "paragraph":
            return <p key={key}>{renderInline(block.text, key)}</p>;
          case "quote":
            return (
              <blockquote key={key}>
                <p>{renderInline(block.text, key)}</p>
              </blockquote>
            );
          case "code":
            return (
              <pre key={key} className="vigie-pre">
                <code>{block.text}</code>
              </pre>
            );
          case "rule":
            return <hr key={key} />;
          case "list": {
            const items = block.items.map((item, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the blocks of a text have no other identity
              <li key={`${key}-${j}`}>
                {renderInline(item.text, `${key}-${j}`)}
                {item.children.length > 0 ? (
                  <Blocks blocks={item.children} shift={shift} prefix={`${key}-${j}-`} />
                ) : null}
              </li>
            ));
            return block.ordered ? (
              <ol key={key} start={block.start === 1 ? undefined : block.start}>
                {items}
              </ol>
            ) : (
              <ul key={key}>{items}</ul>
            );
          }
          default:
            return <Fragment key={key} />;
        }
      })}
    </>
  );
}

/**
 * A Markdown text as React elements. `headingLevel` is the level its highest heading takes on
 * the page (the others follow), so the page's heading order stays right (RGAA 9.1).
 */
export function Markdown({ source, headingLevel = 3 }: { source: string; headingLevel?: HeadingLevel }) {
  const blocks = parseMarkdown(source);
  const levels = blocks.flatMap((b) => (b.type === "heading" ? [b.level] : []));
  const top = levels.length > 0 ? Math.min(...levels) : headingLevel;
  return (
    <div className="vigie-markdown">
      <Blocks blocks={blocks} shift={headingLevel - top} prefix="b" />
    </div>
  );
}
