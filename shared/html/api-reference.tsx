/**
 * A readable reference of an OpenAPI document, rendered on the server: no script,
 * nothing from a CDN, so it passes the strict CSP like every page. One section per
 * tag; each operation shows its method and path, what it does, the token scope it
 * needs, its parameters, its request body's fields and its responses.
 */
import type { Child } from 'hono/jsx';
import type { OpenApiDocument } from '../http/openapi';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  $ref?: string;
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Media = { schema?: Schema };
type Operation = {
  tags?: string[];
  summary?: string;
  description?: string;
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Inline `code` in a description, as the document writes it (CommonMark's code spans; nothing else is interpreted). */
function Prose({ text }: { text: string | undefined }) {
  if (!text) return null;
  return <>{text.split('`').map((part, i) => (i % 2 === 1 ? <code>{part}</code> : part))}</>;
}

/** Named schemas (`$ref: '#/components/schemas/Me'`) are shown where they are used. */
type Named = Record<string, Schema>;

function resolve(s: Schema | undefined, named: Named, seen = 0): Schema | undefined {
  if (!s?.$ref || seen > 8) return s;
  return resolve(named[s.$ref.split('/').pop()!], named, seen + 1);
}

/** "string, 1–200 chars", "integer ≥ 1", "one of: open, closed", … */
function typeText(raw: Schema | undefined, named: Named): string {
  const s = resolve(raw, named);
  if (!s) return 'any';
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return `one of: ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map((a) => typeText(a, named)).join(' | ');
  if (s.allOf) return s.allOf.map((a) => typeText(a, named)).join(' & ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  const bits: string[] = [type === 'array' ? `array of ${typeText(s.items, named)}` : s.properties ? 'object' : type];
  if (s.format) bits.push(s.format);
  if (s.pattern) bits.push(`matching ${s.pattern}`);
  if (s.minLength !== undefined || s.maxLength !== undefined) bits.push(`${s.minLength ?? 0}–${s.maxLength ?? '∞'} chars`);
  if (s.minItems !== undefined || s.maxItems !== undefined) bits.push(`${s.minItems ?? 0}–${s.maxItems ?? '∞'} items`);
  if (s.minimum !== undefined && s.minimum > Number.MIN_SAFE_INTEGER) bits.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) bits.push(`≤ ${s.maximum}`);
  if (s.default !== undefined) bits.push(`default ${JSON.stringify(s.default)}`);
  return bits.join(', ');
}

/** The object a field holds (itself, or its array's items, or the one object among `x | null`), if any. */
function objectOf(raw: Schema | undefined, named: Named): Schema | null {
  const s = resolve(raw, named);
  if (!s) return null;
  if (s.properties) return s;
  if (s.items) return objectOf(s.items, named);
  for (const alt of s.anyOf ?? s.oneOf ?? []) {
    const found = objectOf(alt, named);
    if (found) return found;
  }
  return null;
}

/**
 * An object's fields as a nested list (a list reflows on a phone where nested tables
 * would shrink to a character wide): name, type, required, description, and an
 * object's own fields one level in, to a depth of 4.
 */
function Fields({ schema, named, depth = 0 }: { schema: Schema | undefined; named: Named; depth?: number }): Child {
  const s = objectOf(schema, named);
  if (!s?.properties || depth > 4)
    return (
      <p class="muted">
        <code>{typeText(schema, named)}</code>
      </p>
    );
  const required = new Set(s.required ?? []);
  return (
    <ul class="api-fields">
      {Object.entries(s.properties).map(([name, field]) => {
        const inner = objectOf(field, named);
        return (
          <li>
            <code class="api-name">{name}</code> <span class="api-type">{typeText(field, named)}</span>
            {required.has(name) ? <span class="api-required"> required</span> : null}
            {field.description && (
              <div class="api-desc">
                <Prose text={field.description} />
              </div>
            )}
            {inner && <Fields schema={inner} named={named} depth={depth + 1} />}
          </li>
        );
      })}
    </ul>
  );
}

function OperationView({ method, path, op, named }: { method: string; path: string; op: Operation; named: Named }) {
  const security = op.security ?? [];
  const scopes = security.flatMap((s) => Object.values(s).flat());
  const optional = security.some((s) => Object.keys(s).length === 0);
  const anchor = `${method}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
  const auth =
    security.length === 0 ? (
      'No token needed.'
    ) : optional ? (
      <>
        A token is optional
        {scopes.length ? (
          <>
            ; one that is sent needs the scope <code>{scopes.join(', ')}</code>
          </>
        ) : null}
        .
      </>
    ) : scopes.length ? (
      <>
        Token scope: <code>{scopes.join(', ')}</code>
      </>
    ) : (
      'A signed-in session or a personal API token.'
    );
  return (
    <article class="api-op panel" id={anchor}>
      <h3>
        <span class={`api-method api-${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
      </h3>
      {op.summary && (
        <p>
          <Prose text={op.summary} />
        </p>
      )}
      {op.description && (
        <p class="muted">
          <Prose text={op.description} />
        </p>
      )}
      <p class="muted">{auth}</p>
      {op.parameters && op.parameters.length > 0 && (
        <>
          <h4>Parameters</h4>
          <ul class="api-fields">
            {op.parameters.map((p) => (
              <li>
                <code class="api-name">{p.name}</code>{' '}
                <span class="api-type">
                  {p.in}, {typeText(p.schema, named)}
                </span>
                {p.required ? <span class="api-required"> required</span> : null}
                {p.description && (
                  <div class="api-desc">
                    <Prose text={p.description} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {op.requestBody?.content &&
        Object.entries(op.requestBody.content).map(([media, body]) => (
          <>
            <h4>
              Body <code>{media}</code>
            </h4>
            <Fields schema={body.schema} named={named} />
          </>
        ))}
      <h4>Responses</h4>
      <dl class="api-responses">
        {Object.entries(op.responses ?? {}).map(([status, r]) => {
          const json = r.content?.['application/json'] ?? r.content?.['application/problem+json'];
          return (
            <>
              <dt>
                <code>{status}</code>
              </dt>
              <dd>
                <Prose text={r.description} />
                {Number(status) < 300 && json && objectOf(json.schema, named) && (
                  <details>
                    <summary>Fields</summary>
                    <Fields schema={json.schema} named={named} />
                  </details>
                )}
              </dd>
            </>
          );
        })}
      </dl>
    </article>
  );
}

export function ApiReference({ doc, jsonUrl }: { doc: OpenApiDocument; jsonUrl: string }) {
  const byTag = new Map<string, Array<{ method: string; path: string; op: Operation }>>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  const named = ((doc.components as { schemas?: Named } | undefined)?.schemas ?? {}) as Named;
  return (
    <section class="api-reference">
      <h1>{doc.info.title}</h1>
      <p>
        <Prose text={doc.info.description} />
      </p>
      <p>
        The machine-readable document:{' '}
        <a href={jsonUrl}>
          <code>{jsonUrl}</code>
        </a>{' '}
        (OpenAPI {doc.openapi}). Send a personal API token as <code>Authorization: Bearer sfp_…</code>; make one on your <a href="/account">account page</a>.
        Errors are <code>application/problem+json</code>:
      </p>
      <Fields schema={named.Problem} named={named} />
      <nav aria-label="API sections">
        <ul class="api-toc">
          {[...byTag.keys()].map((tag) => (
            <li>
              <a href={`#tag-${tag.toLowerCase()}`}>{tag}</a>
            </li>
          ))}
        </ul>
      </nav>
      {[...byTag].map(([tag, ops]) => (
        <section id={`tag-${tag.toLowerCase()}`} aria-labelledby={`h-tag-${tag.toLowerCase()}`}>
          <h2 id={`h-tag-${tag.toLowerCase()}`}>{tag}</h2>
          {ops.map((o) => (
            <OperationView {...o} named={named} />
          ))}
        </section>
      ))}
    </section>
  );
}
