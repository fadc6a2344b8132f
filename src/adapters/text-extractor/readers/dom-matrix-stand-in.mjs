/**
 * pdf.js evaluates `new DOMMatrix()` as its module loads (its canvas renderer keeps a scale matrix),
 * and Node.js has no DOMMatrix. Left alone, pdf.js borrows one from @napi-rs/canvas, a native package
 * that a Lambda bundle would have to ship, built for its platform. Text extraction never renders,
 * so a plain 2D matrix is all it needs. Installed only where no DOMMatrix exists.
 */
class DOMMatrixStandIn {
  constructor(init) {
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = Array.isArray(init) || ArrayBuffer.isView(init) ? Array.from(init) : [];
    Object.assign(this, { a, b, c, d, e, f });
  }

  get is2D() {
    return true;
  }

  get isIdentity() {
    return this.a === 1 && this.b === 0 && this.c === 0 && this.d === 1 && this.e === 0 && this.f === 0;
  }

  multiplySelf(other) {
    const o = toMatrix(other);
    const { a, b, c, d, e, f } = this;
    return Object.assign(this, {
      a: a * o.a + c * o.b,
      b: b * o.a + d * o.b,
      c: a * o.c + c * o.d,
      d: b * o.c + d * o.d,
      e: a * o.e + c * o.f + e,
      f: b * o.e + d * o.f + f,
    });
  }

  preMultiplySelf(other) {
    const product = toMatrix(other).clone().multiplySelf(this);
    return Object.assign(this, { a: product.a, b: product.b, c: product.c, d: product.d, e: product.e, f: product.f });
  }

  multiply(other) {
    return this.clone().multiplySelf(other);
  }

  translate(x = 0, y = 0) {
    return this.multiply(new DOMMatrixStandIn([1, 0, 0, 1, x, y]));
  }

  scale(x = 1, y = x) {
    return this.multiply(new DOMMatrixStandIn([x, 0, 0, y, 0, 0]));
  }

  invertSelf() {
    const { a, b, c, d, e, f } = this;
    const det = a * d - b * c;
    if (det === 0) return Object.assign(this, { a: NaN, b: NaN, c: NaN, d: NaN, e: NaN, f: NaN });
    return Object.assign(this, { a: d / det, b: -b / det, c: -c / det, d: a / det, e: (c * f - d * e) / det, f: (b * e - a * f) / det });
  }

  inverse() {
    return this.clone().invertSelf();
  }

  transformPoint({ x = 0, y = 0 } = {}) {
    return { x: this.a * x + this.c * y + this.e, y: this.b * x + this.d * y + this.f, z: 0, w: 1 };
  }

  clone() {
    return new DOMMatrixStandIn([this.a, this.b, this.c, this.d, this.e, this.f]);
  }
}

/** A matrix from another matrix, an array of six numbers or nothing (the identity). */
function toMatrix(value) {
  if (value instanceof DOMMatrixStandIn) return value;
  if (Array.isArray(value) || ArrayBuffer.isView(value) || value === undefined) return new DOMMatrixStandIn(value);
  return new DOMMatrixStandIn([value.a, value.b, value.c, value.d, value.e, value.f]);
}

export function installDomMatrixStandIn() {
  globalThis.DOMMatrix ??= DOMMatrixStandIn;
}
