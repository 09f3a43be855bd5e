/**
 * The local "edge": an HTTP server that routes each request by Host + path (zone routes, custom domains, workers.dev) to an
 * account script in the Workers runtime, like Cloudflare's front line. `curl -H 'Host: a.example.com' …`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listen } from "../listen";
import { resolveTarget } from "./routes";
import { RuntimeStartError, WorkersRuntime, type WorkersRuntimeOptions } from "./runtime";
import type { RuntimeSource } from "./types";

export interface EdgeOptions {
  source: RuntimeSource;
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Use this runtime (not closed with the edge); default: a new one, closed with the edge. */
  runtime?: WorkersRuntime;
  runtimeOptions?: WorkersRuntimeOptions;
}

export interface Edge {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  runtime: WorkersRuntime;
  close(): Promise<void>;
}

const MINIFLARE_CONTENT_ENCODING = "mf-content-encoding";
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer", "host"]);

function notFound(res: ServerResponse, detail: string): void {
  const body = `404 Not Found\n\nThere is no Worker here: ${detail}.\n(local Cloudflare edge emulator)\n`;
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8", server: "cloudflare", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function failure(res: ServerResponse, status: number, title: string, detail: string): void {
  const body = `${status} ${title}\n\n${detail}\n`;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", server: "cloudflare", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** wrangler's answer ("Ran scheduled event"), or a 500 with the outcome when the handler failed. */
function scheduled(res: ServerResponse, outcome: string): void {
  const ok = outcome === "ok";
  const body = ok ? "Ran scheduled event" : `Scheduled event failed: ${outcome}\n`;
  res.writeHead(ok ? 200 : 500, {
    "content-type": "text/plain; charset=utf-8",
    server: "cloudflare",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function handle(source: RuntimeSource, runtime: WorkersRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const host = req.headers.host;
  const pathAndQuery = req.url ?? "/";
  if (!host) return failure(res, 400, "Bad Request", "the request has no Host header");
  const target = resolveTarget(source, host, pathAndQuery);
  if (!target) return notFound(res, `no route or workers.dev name matches ${host}${pathAndQuery}`);
  if (target.kind === "no-worker")
    return notFound(res, `route '${target.pattern}' names no Worker (there is no origin behind the local edge)`);
  // Cloudflare's answer while a custom hostname's ownership is not validated (error 1016, "Origin DNS error").
  if (target.kind === "pending-hostname")
    return failure(res, 530, "Origin DNS error", `error code: 1016 (custom hostname '${target.hostname}' is not active yet)`);
  if (!runtime.hasScript(target.script)) {
    const via =
      target.kind === "route"
        ? `route '${target.pattern}'`
        : target.kind === "custom-domain"
          ? `custom domain '${target.hostname}'`
          : "workers.dev";
    return notFound(res, `${via} points to Worker '${target.script}', which does not exist`);
  }

  // wrangler's local dev (`--test-scheduled`, templates/middleware/middleware-scheduled.ts): a request to
  // /__scheduled?cron=… runs the scheduled handler; only for a Worker with cron triggers, so others keep the path.
  const crons = source.schedules?.(target.script) ?? [];
  const url = new URL(pathAndQuery, "http://edge");
  if (url.pathname === "/__scheduled" && crons.length > 0) {
    const cron = url.searchParams.get("cron") ?? crons[0];
    return scheduled(res, await runtime.scheduled(target.script, cron).catch((e: unknown) => (e instanceof Error ? e.message : String(e))));
  }

  const headers: Array<[string, string]> = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(req.rawHeaders[i].toLowerCase())) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  }
  const ip = req.socket.remoteAddress ?? "127.0.0.1";
  headers.push(["cf-connecting-ip", ip], ["x-forwarded-proto", "http"], ["x-real-ip", ip]);
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);

  let response;
  try {
    const cf = target.kind === "route" && target.hostMetadata ? { cf: { hostMetadata: target.hostMetadata } } : {};
    response = await runtime.fetch(target.script, `http://${host}${pathAndQuery}`, { method, headers, body, ...cf });
  } catch (e) {
    if (e instanceof RuntimeStartError) return failure(res, 500, "Worker failed to start", e.message);
    return failure(res, 500, "Worker threw exception", e instanceof Error ? e.message : String(e));
  }

  const out: Record<string, string | string[]> = {};
  // Miniflare's dispatchFetch decodes a compressed body and moves Content-Encoding to its own
  // MF-Content-Encoding: neither that header nor the encoded length belongs to what is sent on.
  const decoded = response.headers.has(MINIFLARE_CONTENT_ENCODING);
  response.headers.forEach((value, name) => {
    if (name === "set-cookie" || HOP_BY_HOP.has(name) || name === MINIFLARE_CONTENT_ENCODING) return;
    if (decoded && name === "content-length") return;
    out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) out["set-cookie"] = cookies;
  res.writeHead(response.status, response.statusText, out);
  if (!response.body || method === "HEAD") {
    await response.body?.cancel();
    res.end();
    return;
  }
  for await (const chunk of response.body) res.write(chunk);
  res.end();
}

export async function startEdge(options: EdgeOptions): Promise<Edge> {
  const owned = options.runtime === undefined;
  const runtime = options.runtime ?? new WorkersRuntime(options.source, options.runtimeOptions);
  const server = createServer((req, res) => {
    handle(options.source, runtime, req, res).catch((e) => failure(res, 502, "Bad Gateway", e instanceof Error ? e.message : String(e)));
  });
  const bindHost = options.host ?? "127.0.0.1";
  const port = await listen(server, options.port ?? 0, bindHost);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${bindHost.includes(":") ? `[${bindHost}]` : bindHost}:${port}`,
    port,
    runtime,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (owned) await runtime.close();
      })();
      return closing;
    },
  };
}
