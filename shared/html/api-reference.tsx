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

/** "string, 1–200 chars", "integer ≥ 1", "one of: open, closed", … */
function typeText(s: Schema | undefined): string {
  if (!s) return 'any';
  if (s.$ref) return s.$ref.split('/').pop()!;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return `one of: ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeText).join(' | ');
  if (s.allOf) return s.allOf.map(typeText).join(' & ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  const bits: string[] = [type === 'array' ? `array of ${typeText(s.items)}` : type];
  if (s.format) bits.push(s.format);
  if (s.minLength !== undefined || s.maxLength !== undefined) bits.push(`${s.minLength ?? 0}–${s.maxLength ?? '∞'} chars`);
  if (s.minItems !== undefined || s.maxItems !== undefined) bits.push(`${s.minItems ?? 0}–${s.maxItems ?? '∞'} items`);
  if (s.minimum !== undefined) bits.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) bits.push(`≤ ${s.maximum}`);
  if (s.default !== undefined) bits.push(`default ${JSON.stringify(s.default)}`);
  return bits.join(', ');
}

/** An object's fields as a table, nested objects one level further in (to a depth of 3). */
function Fields({ schema, depth = 0 }: { schema: Schema | undefined; depth?: number }): Child {
  const s = schema?.items && !schema.properties ? schema.items : schema;
  if (!s?.properties || depth > 3)
    return (
      <p class="muted">
        <code>{typeText(schema)}</code>
      </p>
    );
  const required = new Set(s.required ?? []);
  return (
    <table class="api-fields">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Notes</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(s.properties).map(([name, field]) => {
          const inner = field.properties ? field : field.items?.properties ? field.items : null;
          return (
            <tr>
              <td>
                <code>{name}</code>
                {required.has(name) ? <span class="api-required"> required</span> : null}
              </td>
              <td>
                <code>{inner ? (field.type === 'array' ? 'array of object' : 'object') : typeText(field)}</code>
              </td>
              <td>
                {field.description}
                {inner && <Fields schema={inner} depth={depth + 1} />}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function OperationView({ method, path, op }: { method: string; path: string; op: Operation }) {
  const scopes = (op.security ?? []).flatMap((s) => Object.values(s).flat());
  const anchor = `${method}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`.replace(/-+$/, '');
  return (
    <article class="api-op panel" id={anchor}>
      <h3>
        <span class={`api-method api-${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
      </h3>
      {op.summary && <p>{op.summary}</p>}
      {op.description && <p class="muted">{op.description}</p>}
      <p class="muted">
        {op.security && op.security.length === 0 ? (
          'No token needed.'
        ) : scopes.length ? (
          <>
            Token scope:{' '}
            {scopes.map((s) => (
              <code>{s}</code>
            ))}
          </>
        ) : (
          'A signed-in session or a personal API token.'
        )}
      </p>
      {op.parameters && op.parameters.length > 0 && (
        <>
          <h4>Parameters</h4>
          <table class="api-fields">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">In</th>
                <th scope="col">Type</th>
              </tr>
            </thead>
            <tbody>
              {op.parameters.map((p) => (
                <tr>
                  <td>
                    <code>{p.name}</code>
                    {p.required ? <span class="api-required"> required</span> : null}
                  </td>
                  <td>{p.in}</td>
                  <td>
                    <code>{typeText(p.schema)}</code>
                    {p.description ? ` ${p.description}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {op.requestBody?.content &&
        Object.entries(op.requestBody.content).map(([media, body]) => (
          <>
            <h4>
              Body <code>{media}</code>
            </h4>
            <Fields schema={body.schema} />
          </>
        ))}
      <h4>Responses</h4>
      <dl class="api-responses">
        {Object.entries(op.responses ?? {}).map(([status, r]) => (
          <>
            <dt>
              <code>{status}</code>
            </dt>
            <dd>
              {r.description}
              {Number(status) < 300 && r.content?.['application/json'] && (
                <details>
                  <summary>Fields</summary>
                  <Fields schema={r.content['application/json'].schema} />
                </details>
              )}
            </dd>
          </>
        ))}
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
  return (
    <section class="api-reference">
      <h1>{doc.info.title}</h1>
      <p>{doc.info.description}</p>
      <p>
        The machine-readable document:{' '}
        <a href={jsonUrl}>
          <code>{jsonUrl}</code>
        </a>{' '}
        (OpenAPI {doc.openapi}). Send a personal API token as <code>Authorization: Bearer sfp_…</code>; make one on your <a href="/account">account page</a>.
        Errors are <code>application/problem+json</code> with a <code>detail</code> that says what to change.
      </p>
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
            <OperationView {...o} />
          ))}
        </section>
      ))}
    </section>
  );
}
