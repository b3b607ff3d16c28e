// A small runtime of the @ecosire/sdk client, made from the document: it builds each
// request as the explorer does (OpenAPI styles, RFC 3986 encoding) and sends it with fetch.
const OPERATIONS = __OPERATIONS__;

const enc = (s) => encodeURIComponent(String(s)).replace(/[!'()*]/g,
  (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
const COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~";
const cookieEnc = (s) => Array.from(String(s), (c) =>
  /[A-Za-z0-9]/.test(c) || COOKIE_SAFE.includes(c) ? c : enc(c)).join("");
const scalar = (v) => typeof v === "boolean" ? String(v) : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);

function queryPairs(p, value) {
  const explode = p.explode ?? (p.style === "" || p.style === "form" || p.style === "deepObject");
  const name = enc(p.name);
  if (p.style === "deepObject" && value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).filter(([, v]) => v != null)
      .map(([k, v]) => `${name}%5B${enc(k)}%5D=${enc(scalar(v))}`);
  }
  if (Array.isArray(value)) {
    const items = value.filter((v) => v != null).map(scalar);
    if (!explode) {
      const sep = p.style === "spaceDelimited" ? "%20" : p.style === "pipeDelimited" ? "%7C" : ",";
      return [`${name}=` + items.map(enc).join(sep)];
    }
    return items.map((v) => `${name}=${enc(v)}`);
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v != null);
    if (explode) return entries.map(([k, v]) => `${enc(k)}=${enc(scalar(v))}`);
    return [`${name}=` + entries.map(([k, v]) => `${enc(k)},${enc(scalar(v))}`).join(",")];
  }
  return [`${name}=${enc(scalar(value))}`];
}

function pathValue(value) {
  if (Array.isArray(value)) return value.map((v) => enc(scalar(v))).join(",");
  return enc(scalar(value));
}

export class EcosireClient {
  constructor(options = {}) {
    this.options = options;
    for (const [module, methods] of Object.entries(OPERATIONS)) {
      this[module] = {};
      for (const [method, op] of Object.entries(methods)) {
        this[module][method] = (...args) => this._call(op, args);
      }
    }
  }

  _credentials(headers, query, cookies) {
    const o = this.options;
    const bearer = o.apiKey ?? o.token;
    if (bearer) headers.push(["Authorization", `Bearer ${bearer}`]);
    if (o.username != null || o.password != null) {
      const pair = Buffer.from(`${o.username ?? ""}:${o.password ?? ""}`).toString("base64");
      headers.push(["Authorization", `Basic ${pair}`]);
    }
    for (const [k, v] of Object.entries(o.headers ?? {})) if (v != null) headers.push([k, v]);
    for (const [k, v] of Object.entries(o.query ?? {})) if (v != null) query.push(`${enc(k)}=${enc(v)}`);
    for (const [k, v] of Object.entries(o.cookies ?? {})) if (v != null) cookies.push(`${cookieEnc(k)}=${cookieEnc(v)}`);
  }

  async _call(op, args) {
    const params = op.params.length ? (args.shift() ?? {}) : {};
    const body = op.body ? args.shift() : undefined;
    let path = op.path;
    const query = [], headers = [], cookies = [];
    for (const p of op.params) {
      const value = params[p.name];
      if (value == null) continue;
      if (p.in === "path") path = path.replace(`{${p.name}}`, pathValue(value));
      else if (p.in === "query") query.push(...queryPairs(p, value));
      else if (p.in === "header") headers.push([p.name, scalar(Array.isArray(value) ? value.join(",") : value)]);
      else if (p.in === "cookie") cookies.push(`${cookieEnc(p.name)}=${cookieEnc(scalar(value))}`);
    }
    this._credentials(headers, query, cookies);
    if (cookies.length) headers.push(["Cookie", cookies.join("; ")]);
    if (body !== undefined) headers.push(["Content-Type", op.body]);
    const url = (this.options.baseUrl ?? "").replace(/\/+$/, "") + path + (query.length ? "?" + query.join("&") : "");
    return this._send(op.method, url, headers, body === undefined ? undefined : JSON.stringify(body));
  }

  async request({ method, path, headers = {}, body }) {
    const list = Object.entries(headers).filter(([, v]) => v != null);
    const query = [], cookies = [];
    this._credentials(list, query, cookies);
    if (cookies.length) list.push(["Cookie", cookies.join("; ")]);
    let url = (this.options.baseUrl ?? "").replace(/\/+$/, "") + path;
    if (query.length) url += (url.includes("?") ? "&" : "?") + query.join("&");
    return this._send(method, url, list, body);
  }

  async _send(method, url, headers, body) {
    const h = headers.map(([k, v]) => [k, Buffer.from(String(v)).toString("latin1")]);
    const response = await fetch(url, { method, headers: h, body: body === undefined ? undefined : new TextEncoder().encode(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${response.status}: ${text}`);
    try { return JSON.parse(text); } catch { return text; }
  }
}
