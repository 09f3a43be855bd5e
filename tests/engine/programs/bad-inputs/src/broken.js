// A syntax error esbuild reports (a .js file, so the repo's type-check of test programs skips it).
export default {
  fetch() {
    return new Response("unterminated);
  },
};
