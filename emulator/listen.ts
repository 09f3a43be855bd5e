import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Starts listening and resolves with the bound port (port 0 picks a free one); a bind error rejects. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
