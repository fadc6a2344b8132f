import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';

/** A value an AWS SDK package exports (a command, a client, an error, a helper), as the code refers to it. */
export interface SdkExport {
  /** `@aws-sdk/lib-dynamodb`. */
  pkg: string;
  /** `GetCommand`. */
  name: string;
  kind: 'command' | 'client' | 'error' | 'other';
}

const SDK_FILE = /\/node_modules\/(@aws-sdk\/[^/]+)\/(?!.*\/node_modules\/)/;

/** The project's TypeScript program for these modules and what they import, as tsconfig.json compiles it. */
export function sourceProgram(rootFiles: string[]): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(resolve('tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!config) throw new Error('tsconfig.json could not be read');
  return ts.createProgram(rootFiles.map((file) => resolve(file)), config.options);
}

/**
 * The AWS SDK exports that the code of one bundle can reach: from the code its modules run as
 * they load, through every function, method and constructor that code refers to, onwards. A call
 * through an interface (a port) reaches that method in every class of the bundle that fits it,
 * so a bundle's adapters count only for the methods its own code can call: the conversations
 * function ships the whole DynamoDB file catalog, through the composition root, but never calls
 * its put. Where the code is not plain, reaching is generous: a function passed as a value is
 * reached where it is written, every method of a class that a library calls back (a stream's
 * subclass) as the class is constructed. What it cannot follow is a call through `any` or
 * through a property named by a string.
 *
 * `entry` is the bundle's entry module, `bundled` its own modules (paths under src/, from esbuild).
 */
export function reachableSdkExports(program: ts.Program, entry: string, bundled: readonly string[]): SdkExport[] {
  const unreadable = bundled.filter((file) => !program.getSourceFile(resolve(file)));
  const blind = unreadable.filter((file) => readFileSync(file, 'utf8').includes('@aws-sdk/'));
  if (blind.length > 0) throw new Error(`${blind.join(', ')} use the AWS SDK outside the TypeScript program: their calls cannot be followed.`);
  return new Reach(program, resolve(entry), new Set(bundled.map((file) => resolve(file)))).run();
}

class Reach {
  private readonly checker: ts.TypeChecker;
  private readonly queue: ts.Node[] = [];
  private readonly queued = new Set<ts.Node>();
  private readonly found = new Map<string, SdkExport>();
  private readonly classes: ts.ClassLikeDeclaration[];
  private readonly implementationsCache = new Map<ts.Node, ts.ClassElement[]>();

  constructor(
    private readonly program: ts.Program,
    private readonly entry: string,
    private readonly bundled: ReadonlySet<string>,
  ) {
    this.checker = program.getTypeChecker();
    this.classes = this.bundledFiles().flatMap((file) => classesIn(file));
  }

  run(): SdkExport[] {
    for (const file of this.bundledFiles()) {
      for (const statement of file.statements) {
        // The runtime calls what the entry exports (its handler), however it is written.
        if (file.fileName === this.entry) this.enqueue(statement);
        else this.atLoad(statement);
      }
    }
    for (let node = this.queue.pop(); node; node = this.queue.pop()) this.visit(node);
    return [...this.found.values()];
  }

  private bundledFiles(): ts.SourceFile[] {
    return this.program.getSourceFiles().filter((file) => this.bundled.has(file.fileName));
  }

  /** What a module runs as it loads: not its declarations of functions and classes, which run when called. */
  private atLoad(statement: ts.Statement): void {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isFunctionDeclaration(statement)) return;
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isModuleDeclaration(statement)) return;
    if (ts.isClassDeclaration(statement)) {
      for (const member of statement.members) if (isStatic(member)) this.enqueue(member);
      return;
    }
    if (ts.isVariableStatement(statement)) {
      for (const { initializer } of statement.declarationList.declarations) {
        if (initializer && !ts.isArrowFunction(initializer) && !ts.isFunctionExpression(initializer)) this.enqueue(initializer);
      }
      return;
    }
    this.enqueue(statement);
  }

  private enqueue(node: ts.Node | undefined): void {
    if (!node || this.queued.has(node)) return;
    this.queued.add(node);
    this.queue.push(node);
  }

  private visit(node: ts.Node): void {
    // Types run nothing (an `implements Port` clause included).
    if (ts.isTypeNode(node) && !isBaseClass(node)) return;
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isImportDeclaration(node)) return;
    if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ImplementsKeyword) return;
    if (ts.isIdentifier(node)) this.follow(node);
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isDecorator(node)) {
      // Resolved calls find functions that names alone do not (one destructured from a dynamic import).
      this.reach(this.checker.getResolvedSignature(node)?.declaration);
    }
    ts.forEachChild(node, (child) => this.visit(child));
  }

  private follow(identifier: ts.Identifier): void {
    let symbol = this.checker.getSymbolAtLocation(identifier);
    if (ts.isShorthandPropertyAssignment(identifier.parent)) symbol = this.checker.getShorthandAssignmentValueSymbol(identifier.parent);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    for (const declaration of symbol?.declarations ?? []) this.reach(declaration);
  }

  private reach(declaration: ts.Declaration | ts.JSDocSignature | undefined): void {
    // A module itself (`import * as m`): what counts is which of its exports is used.
    if (!declaration || ts.isJSDocSignature(declaration) || ts.isSourceFile(declaration)) return;
    const file = declaration.getSourceFile().fileName;
    const pkg = SDK_FILE.exec(file)?.[1];
    if (pkg) return this.sdkExport(pkg, declaration);
    // A port is a type: its module is in no bundle, its adapters are.
    if (isMember(declaration) && !file.includes('/node_modules/')) {
      for (const implementation of this.implementations(declaration)) this.reach(implementation);
    }
    if (!this.bundled.has(file)) return;
    if (ts.isBindingElement(declaration)) return this.destructured(declaration);
    if (ts.isClassLike(declaration)) return this.construct(declaration);
    if (ts.isConstructorDeclaration(declaration)) return this.construct(declaration.parent);
    if (ts.isFunctionLike(declaration)) this.enqueue((declaration as ts.FunctionLikeDeclaration).body);
    if (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isPropertyAssignment(declaration)) {
      this.enqueue(declaration.initializer);
    }
  }

  /** `const { S3BlobStore } = await import(...)`: the export the name stands for. */
  private destructured(element: ts.BindingElement): void {
    if (!ts.isObjectBindingPattern(element.parent)) return;
    const name = element.propertyName ?? element.name;
    if (!ts.isIdentifier(name)) return;
    const property = this.checker.getTypeAtLocation(element.parent).getProperty(name.text);
    for (const declaration of property?.declarations ?? []) this.reach(declaration);
  }

  /** A `new`: the constructor and the fields it initialises, its base class's too. */
  private construct(declaration: ts.ClassLikeDeclaration): void {
    const heritage = (declaration.heritageClauses ?? []).flatMap((clause) => clause.types);
    // A library calls the methods its base class or interface (a stream, a middleware) defines.
    const calledBack = heritage.some((type) => this.isLibraryType(type));
    for (const member of declaration.members) {
      if (ts.isConstructorDeclaration(member) || (ts.isPropertyDeclaration(member) && !isStatic(member))) this.enqueue(member);
      if (calledBack && ts.isMethodDeclaration(member) && !isStatic(member)) this.enqueue(member);
    }
    const base = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (base) this.visit(base);
  }

  private isLibraryType(type: ts.ExpressionWithTypeArguments): boolean {
    let symbol = this.checker.getSymbolAtLocation(type.expression);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return (symbol?.declarations ?? []).some((declaration) => declaration.getSourceFile().fileName.includes('/node_modules/'));
  }

  /** The same-named members of the bundle's classes that fit the type declaring this one (a port's adapters). */
  private implementations(member: ts.ClassElement | ts.TypeElement): ts.ClassElement[] {
    const cached = this.implementationsCache.get(member);
    if (cached) return cached;
    const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
    const owner = this.checker.getTypeAtLocation(member.parent);
    const found = name
      ? this.classes
          .filter((declaration) => declaration !== member.parent && this.checker.isTypeAssignableTo(this.checker.getTypeAtLocation(declaration), owner))
          .flatMap((declaration) => declaration.members.filter((candidate) => candidate.name && ts.isIdentifier(candidate.name) && candidate.name.text === name))
      : [];
    this.implementationsCache.set(member, found);
    return found;
  }

  private sdkExport(pkg: string, declaration: ts.Declaration): void {
    // Only what the package exports: a client's methods (send, from) are how a command is sent, not what.
    if (!isTopLevel(declaration)) return;
    const symbol = this.checker.getSymbolAtLocation(ts.getNameOfDeclaration(declaration) ?? declaration);
    if (!symbol) return;
    const name = symbol.name;
    const kind = ts.isClassDeclaration(declaration) ? this.classKind(name, declaration) : 'other';
    this.found.set(`${pkg} ${name}`, { pkg, name, kind });
  }

  private classKind(name: string, declaration: ts.ClassDeclaration): SdkExport['kind'] {
    if (name.endsWith('Command')) return 'command';
    if (name.endsWith('Client')) return 'client';
    const baseNames: string[] = [];
    for (let type = this.checker.getTypeAtLocation(declaration); ; ) {
      const base = type.isClass() ? this.checker.getBaseTypes(type)[0] : undefined;
      if (!base) break;
      baseNames.push(base.symbol.name);
      type = base;
    }
    return baseNames.includes('ServiceException') ? 'error' : 'other';
  }
}

function classesIn(file: ts.SourceFile): ts.ClassLikeDeclaration[] {
  const classes: ts.ClassLikeDeclaration[] = [];
  const collect = (node: ts.Node): void => {
    if (ts.isClassLike(node)) classes.push(node);
    ts.forEachChild(node, collect);
  };
  collect(file);
  return classes;
}

function isStatic(member: ts.ClassElement): boolean {
  return ts.isClassStaticBlockDeclaration(member) || (ts.canHaveModifiers(member) && !!ts.getModifiers(member)?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword));
}

function isMember(declaration: ts.Declaration): declaration is ts.ClassElement | ts.TypeElement {
  return (ts.isClassLike(declaration.parent) && ts.isClassElement(declaration)) || ts.isTypeElement(declaration);
}

/** `class B extends A`: A is a value, the constructor `super()` runs. */
function isBaseClass(node: ts.Node): boolean {
  return ts.isExpressionWithTypeArguments(node) && ts.isHeritageClause(node.parent) && node.parent.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(node.parent.parent);
}

function isTopLevel(declaration: ts.Declaration): boolean {
  const statement = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  return ts.isSourceFile(statement.parent);
}
