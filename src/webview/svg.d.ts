/** SVG files imported as their text (esbuild's text loader, see esbuild.js). */
declare module '*.svg' {
  const text: string;
  export default text;
}
