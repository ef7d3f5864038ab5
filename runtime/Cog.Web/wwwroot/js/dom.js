// Small DOM helpers: elements are built with properties and children, never from HTML strings (the one exception is a
// chat message's body, which the server renders and escapes).

/** Creates an element: h('a', {href: '#/x', class: 'y'}, 'text', child). */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key in element && typeof value !== 'string') element[key] = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** Says something to screen readers without moving focus. */
export function announce(text) {
  const announcer = document.getElementById('announcer');
  announcer.textContent = '';
  window.setTimeout(() => { announcer.textContent = text; }, 50);
}

/** A table: columns = [{label, cell: row => node|text, class?}], with a caption. */
export function table(caption, columns, rows, options = {}) {
  return h('div', { class: 'table-scroll' },
    h('table', { class: options.class ?? 'data' },
      h('caption', { class: options.captionHidden ? 'visually-hidden' : null }, caption),
      h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.class }, c.label)))),
      h('tbody', {}, rows.map(row => tableRow(columns, row)))));
}

/** One body row for table(). */
export function tableRow(columns, row) {
  return h('tr', {}, columns.map(c => h('td', { class: c.class, 'data-label': c.label }, c.cell(row))));
}

/** A time as the person's local time, with the ISO value for machines. */
export function time(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return h('time', { datetime: iso, title: iso }, Number.isNaN(date.getTime()) ? iso : date.toLocaleString());
}
