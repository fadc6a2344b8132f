import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** An error code where it is written, with the message beside it when there is one (for people reading a failure). */
export interface FoundCode {
  code: string;
  file: string;
  message?: string;
}

/** Codes are CONSTANT_CASE (`EMPTY_MESSAGE`, `FORBIDDEN`); other strings beside a `code` are not ours (`AccessDenied` is S3's XML). */
const CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/**
 * Every error code the code under `roots` can send, read from its syntax rather than guessed with
 * a regular expression, so that a code written across lines, behind a helper or in a ternary is
 * still found:
 * - the argument given for a parameter named `code`, of any function or class in the scanned code
 *   (`new DomainError(kind, code, message)`, `invalidInput(code, message)`, a local `refuse(code, ...)`);
 * - a parameter named `code` with a default (`parseBody(..., code = 'VALIDATION_FAILED')`);
 * - `{ code: 'X', message }` objects: error bodies and stream error events written out whole.
 */
export function findErrorCodes(roots: readonly string[]): FoundCode[] {
  const files = roots.flatMap((root) => sourceFiles(root));
  const parsed = files.map((file) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true));
  // By name only (a call does not say where its callee is declared), so two helpers of one name
  // (a `refuse(code, ...)` here, a `refuse(status, code, ...)` there) both count: every position
  // a function of that name takes a code at is read, and only CONSTANT_CASE strings are codes.
  const codeParameter = new Map<string, Set<number>>();
  const found: FoundCode[] = [];
  const add = (expression: ts.Expression | undefined, file: string, message?: ts.Expression) => {
    for (const code of literals(expression)) found.push({ code, file, ...(message && { message: message.getText() }) });
  };

  // First the functions and classes that take a code, wherever they are declared.
  for (const source of parsed) {
    visit(source, (node) => {
      if (!ts.isFunctionLike(node)) return;
      const index = node.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === 'code');
      if (index === -1) return;
      const parameter = node.parameters[index]!;
      if (parameter.initializer) add(parameter.initializer, source.fileName);
      const name = nameOf(node);
      if (name) codeParameter.set(name, (codeParameter.get(name) ?? new Set()).add(index));
    });
  }
  // Then what is given for those codes, and error objects written out whole.
  for (const source of parsed) {
    visit(source, (node) => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        for (const index of codeParameter.get(calleeName(node.expression) ?? '') ?? []) {
          add(node.arguments?.[index], source.fileName, node.arguments?.[index + 1]);
        }
      } else if (ts.isObjectLiteralExpression(node)) {
        const property = (name: string) =>
          node.properties.find((item): item is ts.PropertyAssignment => ts.isPropertyAssignment(item) && item.name.getText() === name);
        const message = property('message');
        if (message) add(property('code')?.initializer, source.fileName, message.initializer);
      }
    });
  }
  return found;
}

/** The distinct codes, sorted. */
export const codesOf = (found: readonly FoundCode[]): string[] => [...new Set(found.map((item) => item.code))].sort();

function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.(m?ts|mjs)$/.test(path) && !/\.d\.m?ts$/.test(path) && !/\.test\.ts$/.test(path))
    .map((path) => join(root, path));
}

function visit(node: ts.Node, each: (node: ts.Node) => void): void {
  each(node);
  node.forEachChild((child) => visit(child, each));
}

/** The CONSTANT_CASE strings an expression can be: through parentheses, `as`, and both arms of a ternary. */
function literals(expression: ts.Expression | undefined): string[] {
  if (!expression) return [];
  if (ts.isStringLiteralLike(expression)) return CODE.test(expression.text) ? [expression.text] : [];
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression)) return literals(expression.expression);
  if (ts.isConditionalExpression(expression)) return [...literals(expression.whenTrue), ...literals(expression.whenFalse)];
  if (ts.isBinaryExpression(expression) && (expression.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || expression.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return [...literals(expression.left), ...literals(expression.right)];
  }
  return [];
}

/** How a function or class is called: its own name, the variable or property it is assigned to, or its class's for a constructor. */
function nameOf(node: ts.SignatureDeclaration): string | undefined {
  if (ts.isConstructorDeclaration(node)) return node.parent.name?.text;
  if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) return node.name.text;
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}
