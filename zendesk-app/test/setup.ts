// jsdom lacks matchMedia, which Garden's theme reads for the color scheme.
if (typeof window !== 'undefined' && !window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false }) as MediaQueryList
}

// React Flow measures nodes with ResizeObserver and reads the zoom from DOMMatrix, which jsdom lacks.
if (typeof window !== 'undefined' && !('ResizeObserver' in window)) {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.assign(window, { ResizeObserver: ResizeObserverStub })
  Object.assign(globalThis, { ResizeObserver: ResizeObserverStub })
}
if (typeof window !== 'undefined' && !('DOMMatrixReadOnly' in window)) {
  class DOMMatrixStub {
    m22: number
    constructor(transform?: string) {
      const scale = /scale\(([\d.]+)\)/.exec(transform ?? '')
      this.m22 = scale ? Number(scale[1]) : 1
    }
  }
  Object.assign(window, { DOMMatrixReadOnly: DOMMatrixStub, DOMMatrix: DOMMatrixStub })
  Object.assign(globalThis, { DOMMatrixReadOnly: DOMMatrixStub, DOMMatrix: DOMMatrixStub })
}
