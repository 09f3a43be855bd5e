// Alchemy's "Complete Example" (examples/README.md): an inline dispatcher that routes by the first path segment, and a user worker.
import { DispatchNamespace, NamespacedWorkerScript, WorkerScript } from "pulumi-cloudflare-wfp";

// Create dispatch namespace
const userNamespace = new DispatchNamespace("user-workers", {
  namespace: "user-workers",
});

// Create dispatcher worker that routes requests
const dispatcher = new WorkerScript("dispatcher", {
  content: `
    export default {
      async fetch(request, env) {
        const url = new URL(request.url);
        const userWorkerName = url.pathname.split('/')[1];

        if (userWorkerName && env.NAMESPACE) {
          return env.NAMESPACE.get(userWorkerName).fetch(request);
        }

        return new Response('Dispatcher worker running', { status: 200 });
      }
    }
  `,
  bindings: {
    NAMESPACE: userNamespace,
  },
  workersDev: true,
});

// Deploy user worker to the dispatch namespace
const userWorker = new NamespacedWorkerScript("user-worker", {
  content: `
    export default {
      async fetch(request) {
        return new Response('Hello from user worker!', {
          status: 200,
          headers: { 'Content-Type': 'text/plain' }
        });
      }
    }
  `,
  namespace: userNamespace,
});

export const dispatcherName = dispatcher.scriptName;
export const userWorkerName = userWorker.scriptName;
