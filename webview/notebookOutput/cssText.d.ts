// The renderer's build loads CSS files as text (esbuild.mjs): it puts them in a <style> itself,
// since a notebook output gets no panel stylesheet.
declare module '*.css' {
  const text: string;
  export default text;
}
