// The Lab's figures as files: each plot (a <figure> holding SVG layers and canvases, as src/plots draws them) as a
// standalone SVG (styles inlined, since the page's CSS variables do not travel; canvases embedded as PNG images)
// or as a PNG at twice the screen resolution (the layers drawn in order onto one canvas).

export interface PlotRef {
  el: HTMLElement;
  /** The plot's accessible name (its aria-label, caption or panel heading). */
  name: string;
  /** A file name stem made from the name. */
  slug: string;
}

const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
];

const slugOf = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48) || 'plot';

function nameOf(el: HTMLElement): string {
  const label = el.getAttribute('aria-label') ?? el.querySelector('figcaption')?.textContent ?? '';
  if (label.trim()) return label.trim();
  const heading = el.closest('section')?.querySelector('h2, h3')?.textContent ?? '';
  return heading.trim() || 'Plot';
}

const visible = (e: Element): boolean => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
};

/** The figures under `root` that draw something (an SVG or canvas with a size), named, with unique slugs. A figure
 * wrapping another plot's figure (a panel's caption around a chart) gives way to the inner one. */
export function listPlots(root: ParentNode): PlotRef[] {
  const drawn = Array.from(root.querySelectorAll<HTMLElement>('figure')).filter((el) =>
    Array.from(el.querySelectorAll('svg, canvas')).some(visible),
  );
  const innermost = drawn.filter((el) => !drawn.some((o) => o !== el && el.contains(o)));
  const seen = new Map<string, number>();
  return innermost.map((el) => {
    const name = nameOf(el);
    const base = slugOf(name);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { el, name, slug: n === 1 ? base : `${base}-${n}` };
  });
}

interface Layer {
  node: SVGSVGElement | HTMLCanvasElement;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The drawn layers (top-level SVGs and canvases) of a figure in paint order, placed relative to the box they span
 * together (a figure's HTML legend or summary around them is not part of the picture). */
function layers(el: HTMLElement): { list: Layer[]; width: number; height: number } {
  const nodes = Array.from(el.querySelectorAll<SVGSVGElement | HTMLCanvasElement>('svg, canvas')).filter(
    (n) => !(n instanceof SVGSVGElement && n.parentElement?.closest('svg')) && visible(n),
  );
  if (nodes.length === 0) throw new Error('this plot has nothing drawn right now');
  const rects = nodes.map((n) => n.getBoundingClientRect());
  const left = Math.min(...rects.map((r) => r.left));
  const top = Math.min(...rects.map((r) => r.top));
  const width = Math.ceil(Math.max(...rects.map((r) => r.right)) - left);
  const height = Math.ceil(Math.max(...rects.map((r) => r.bottom)) - top);
  const list = nodes.map((node, i) => ({
    node,
    x: rects[i].left - left,
    y: rects[i].top - top,
    w: rects[i].width,
    h: rects[i].height,
  }));
  return { list, width, height };
}

/** A copy of an SVG with every computed style the page's CSS gave it written onto its elements. */
function inlined(svg: SVGSVGElement): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const dst = [copy, ...Array.from(copy.querySelectorAll('*'))];
  src.forEach((s, i) => {
    const cs = getComputedStyle(s);
    const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
    (dst[i] as SVGElement).setAttribute('style', style);
  });
  copy.removeAttribute('class');
  return copy;
}

function background(el: HTMLElement): string {
  for (let e: HTMLElement | null = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0')) return c;
  }
  return '#ffffff';
}

const NS = 'http://www.w3.org/2000/svg';

/** The figure as one standalone SVG document. */
export function plotSvg(el: HTMLElement): string {
  const { list, width, height } = layers(el);
  const out = document.createElementNS(NS, 'svg');
  out.setAttribute('xmlns', NS);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = document.createElementNS(NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', background(el));
  out.append(bg);
  for (const l of list) {
    if (l.node instanceof HTMLCanvasElement) {
      const img = document.createElementNS(NS, 'image');
      img.setAttribute('href', l.node.toDataURL('image/png'));
      for (const [k, v] of [
        ['x', l.x],
        ['y', l.y],
        ['width', l.w],
        ['height', l.h],
      ] as const)
        img.setAttribute(k, String(v));
      img.setAttribute('preserveAspectRatio', 'none');
      out.append(img);
    } else {
      const svg = inlined(l.node);
      svg.setAttribute('x', String(l.x));
      svg.setAttribute('y', String(l.y));
      svg.setAttribute('width', String(l.w));
      svg.setAttribute('height', String(l.h));
      out.append(svg);
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}\n`;
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the plot could not be drawn as an image'));
    img.src = url;
  });
}

/** The figure as a PNG at `scale` times its size on screen. */
export async function plotPng(el: HTMLElement, scale = 2): Promise<Blob> {
  const { list, width, height } = layers(el);
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas here to draw the PNG');
  ctx.scale(scale, scale);
  ctx.fillStyle = background(el);
  ctx.fillRect(0, 0, width, height);
  for (const l of list) {
    if (l.node instanceof HTMLCanvasElement) {
      ctx.drawImage(l.node, l.x, l.y, l.w, l.h);
      continue;
    }
    const svg = inlined(l.node);
    svg.setAttribute('xmlns', NS);
    svg.setAttribute('width', String(l.w));
    svg.setAttribute('height', String(l.h));
    const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' }));
    try {
      ctx.drawImage(await loadImage(url), l.x, l.y, l.w, l.h);
    } finally {
      URL.revokeObjectURL(url);
    }
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
  );
}
