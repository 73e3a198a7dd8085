// mjml 5 ships no types, and @types/mjml describes mjml 4, whose mjml2html was synchronous.
declare module 'mjml' {
  interface MjmlError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }
  interface MjmlOptions {
    validationLevel?: 'strict' | 'soft' | 'skip';
    keepComments?: boolean;
    ignoreIncludes?: boolean;
    filePath?: string;
    minify?: boolean;
    beautify?: boolean;
  }
  /** With validationLevel "strict", rejects with an error whose `errors` lists the problems. */
  function mjml2html(input: string, options?: MjmlOptions): Promise<{ html: string; errors: MjmlError[] }>;
  export = mjml2html;
}
