/** Gives Node.js a 2D DOMMatrix for pdf.js when it has none (see the .mjs). */
export function installDomMatrixStandIn(): void;
