// The static site's Worker. Cloudflare runs it for /api/* (the site's `runWorkerFirst`) and for a path
// no file of ./public answers; every other path is a file, served without it.
import notFoundPage from "../public/404.html";

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/api/status") return Response.json({ site: "up", served: "by the Worker" });
    if (pathname.startsWith("/api/")) return Response.json({ error: `no API route ${pathname}` }, { status: 404 });
    return new Response(notFoundPage, { status: 404, headers: { "content-type": "text/html; charset=utf-8" } });
  },
};
