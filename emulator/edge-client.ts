/** Requests to a local edge with an arbitrary Host, like `curl -H "Host: …"` (Node's fetch() silently drops a Host header). For tests and the demo. */
import { request } from "node:http";

export interface EdgeResponse {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export function edgeRequest(edge: { port: number }, host: string, path: string, method = "GET", body?: string): Promise<EdgeResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: edge.port, path, method, headers: { host } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, text, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
