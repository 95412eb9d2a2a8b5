// dom.js: small DOM helpers shared by the views. Every text taken from the report reaches the
// page through textContent or an attribute value, never through innerHTML, so a file name or a
// context string cannot become markup. Styles are set through the CSSOM (element.style), which
// the page's Content-Security-Policy allows, never through style attributes.

// The SVG namespace is an identifier, not a resource: nothing is fetched from it.
const SVG_NS = 'http://www.w3.org/2000/svg';

/** Create an HTML element: el('div', {class: 'x', title: 't'}, child, 'text', [more]). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** Create an SVG element, same calling convention as el(). */
function svgEl(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else if (typeof c === 'object') node.appendChild(c);
    else node.appendChild(document.createTextNode(String(c)));
  }
}

/** Remove every child of node. */
function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** '' for null/undefined, else the value as a string. */
function str(v) {
  return v === undefined || v === null ? '' : String(v);
}

/** The value if it is an array, else []. */
function arr(v) {
  return Array.isArray(v) ? v : [];
}

/** The value if it is a plain object, else null. */
function obj(v) {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

/** Distinct non-empty strings, first occurrence order. */
function unique(values) {
  const seen = new Set();
  const out = [];
  for (const v of values) {
    const s = str(v);
    if (s && !seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}

/** Cut text to at most max characters, with an ellipsis. */
function cut(text, max) {
  const s = str(text);
  return s.length > max ? s.slice(0, Math.max(1, max - 1)) + '\u2026' : s;
}

/** Cut text to at most max characters keeping its end (a path's file name), with an ellipsis. */
function cutStart(text, max) {
  const s = str(text);
  return s.length > max ? '\u2026' + s.slice(s.length - Math.max(1, max - 1)) : s;
}

/** 1234567 -> '1,234,567'. */
function num(n) {
  return Number(n || 0).toLocaleString('en-US');
}

/** An RFC 3339 date -> 'YYYY-MM-DD' ('' when absent). */
function day(date) {
  return str(date).slice(0, 10);
}

/** 'a, b, c +2' for a list shown in little room. */
function listShort(values, max) {
  const v = arr(values);
  if (v.length <= max) return v.join(', ');
  return v.slice(0, max).join(', ') + ' +' + (v.length - max);
}

/** A small coloured label. */
function badge(text, cls) {
  return el('span', {class: 'badge ' + cls, text});
}

/** Plural: plural(3, 'location') -> '3 locations'. */
function plural(n, word) {
  return num(n) + ' ' + word + (n === 1 ? '' : 's');
}
