// An imported .html file is its text (the Worker bundle inlines it).
declare module "*.html" {
  const text: string;
  export default text;
}
