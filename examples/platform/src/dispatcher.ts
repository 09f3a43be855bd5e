// The platform's front door: `/<tenant>/<rest>` runs tenant `<tenant>` on `/<rest>`, e.g.
// /counter/visits → the counter tenant on /visits, /site/about → the site tenant on /about.
import type { DispatcherEnv } from "../index";

export default {
  async fetch(request: Request, env: DispatcherEnv): Promise<Response> {
    const url = new URL(request.url);
    const [, tenant, ...rest] = url.pathname.split("/");
    if (!tenant) return new Response("platform: name a tenant, e.g. /counter/visits or /site/\n", { status: 404 });
    // A tenant's root ends in a slash, so relative links in its pages stay below /<tenant>/.
    if (rest.length === 0) return Response.redirect(`${url.origin}/${tenant}/${url.search}`, 307);
    url.pathname = `/${rest.join("/")}`;
    let response: Response;
    try {
      response = await env.TENANTS.get(tenant).fetch(new Request(url, request));
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("Worker not found"))
        return new Response(`no tenant '${tenant}'\n`, { status: 404 });
      throw error;
    }
    // A tenant redirects within its own paths (the site sends /about.html to /about): put its prefix back.
    const location = response.headers.get("location");
    if (!location?.startsWith("/") || location.startsWith("//")) return response;
    const redirected = new Response(response.body, response);
    redirected.headers.set("location", `/${tenant}${location}`);
    return redirected;
  },
};
