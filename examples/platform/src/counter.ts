// A tenant with state: one Counter Durable Object per name, reached as /<name>; each request adds one.
import { DurableObject } from "cloudflare:workers";
import type { CounterEnv } from "../index";

export class Counter extends DurableObject {
  async increment(): Promise<number> {
    const next = ((await this.ctx.storage.get<number>("count")) ?? 0) + 1;
    await this.ctx.storage.put("count", next);
    return next;
  }
}

export default {
  async fetch(request: Request, env: CounterEnv): Promise<Response> {
    const name = new URL(request.url).pathname.slice(1) || "default";
    const stub = env.COUNTER.get(env.COUNTER.idFromName(name)) as unknown as DurableObjectStub<Counter>;
    return Response.json({ counter: name, count: await stub.increment() });
  },
};
