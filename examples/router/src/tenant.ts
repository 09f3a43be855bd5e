export default {
  async fetch(request: Request): Promise<Response> {
    return new Response(`tenant-handler answered ${new URL(request.url).pathname}\n`);
  },
};
