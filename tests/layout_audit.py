"""What a person sees cut off or off the page, measured in the built site's DOM.

Panel and Bokeh draw inside open shadow roots, so every check walks them too. Three kinds
of clipping are looked for, each the way it shows on screen:

- a form control whose text is wider than the box it is drawn in (a <select> showing
  "BatchNorn", a number box cut): measured with the control's own font, because a
  <select> or <input> never reports its text's width as scrollWidth;
- an element that clips (overflow not visible) whose content is wider than it
  (scrollWidth > clientWidth + 1: a label, title or card cut at its edge); elements meant
  to scroll sideways (overflow-x auto/scroll, e.g. a tab strip) are exempt as such;
- a control that sticks out of its card (the audit's "test acc. >= %" box drawn outside the
  Training card), and the outermost element that reaches past the right edge of the window.

What Bokeh draws inside a plot (.bk-Canvas: glyph layers, the frame) is a picture, not text
in a box, and is left out, except its title row: a figure's title is canvas text that never
wraps, and the toolbar is placed after it, so a long title pushes the toolbar (its save button)
off the figure on a phone and runs to its edge (the network diagram's did). Both are checked
where Bokeh laid them out.
"""
from __future__ import annotations

AUDIT = r"""() => {
  const found = [];
  const ctx = document.createElement('canvas').getContext('2d');
  const px = (v) => parseFloat(v) || 0;
  const textWidth = (el, text) => {
    const cs = getComputedStyle(el);
    ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    return ctx.measureText(text).width;
  };
  const shown = (el) => {
    // a hover tooltip follows the pointer and goes with it: not part of the page's layout
    if (el.classList && el.classList.contains('bk-Tooltip')) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;  // nothing to see (a label only screen readers read)
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none' && cs.opacity !== '0';
  };
  const parentOf = (el) => el.parentElement || (el.getRootNode() && el.getRootNode().host) || null;
  const cardOf = (el) => {
    for (let p = parentOf(el); p; p = parentOf(p)) {
      if (p.classList && (p.classList.contains('card') || p.classList.contains('bk-Card'))) return p;
    }
    return null;
  };
  const name = (el) => {
    const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).slice(0, 3).join('.') : '';
    let text = (el.tagName === 'SELECT' && el.selectedIndex >= 0) ? el.options[el.selectedIndex].text
             : (el.tagName === 'INPUT' ? el.value : (el.textContent || ''));
    text = text.trim().replace(/\s+/g, ' ').slice(0, 40);
    let host = el.getRootNode().host;
    const hc = host && typeof host.className === 'string' ? host.className.trim().split(/\s+/).slice(0, 3).join('.') : '';
    return `${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}${hc ? ' in ' + host.tagName.toLowerCase() + '.' + hc : ''} "${text}"`;
  };
  const inPlot = (el) => {
    for (let p = el; p; p = parentOf(p)) if (p.classList && p.classList.contains('bk-Canvas')) return true;
    return false;
  };
  const width = innerWidth;
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      if (!shown(el)) continue;
      const cs = getComputedStyle(el), r = el.getBoundingClientRect();
      const inner = el.clientWidth - px(cs.paddingLeft) - px(cs.paddingRight);
      if (el.tagName === 'SELECT' && el.selectedIndex >= 0) {
        const need = textWidth(el, el.options[el.selectedIndex].text);
        if (need > inner + 1) found.push(`${name(el)}: text ${need.toFixed(0)} px in ${inner.toFixed(0)} px`);
      } else if (el.tagName === 'INPUT' && ['text', 'number', 'search'].includes(el.type) && el.value) {
        const need = textWidth(el, el.value);
        if (need > inner + 1) found.push(`${name(el)}: text ${need.toFixed(0)} px in ${inner.toFixed(0)} px`);
      } else if (!['visible', 'auto', 'scroll'].includes(cs.overflowX) && !inPlot(el)
                 && el.scrollWidth > el.clientWidth + 1) {
        found.push(`${name(el)}: content ${el.scrollWidth} px in ${el.clientWidth} px`);
      }
      if (['INPUT', 'SELECT', 'BUTTON', 'LABEL', 'TEXTAREA'].includes(el.tagName)) {
        const card = cardOf(el);
        if (card) {
          const c = card.getBoundingClientRect();
          if (r.right > c.right + 1 || r.left < c.left - 1)
            found.push(`${name(el)}: ${r.left.toFixed(0)}..${r.right.toFixed(0)} outside its card ${c.left.toFixed(0)}..${c.right.toFixed(0)}`);
        }
      }
      if (inPlot(el)) continue;
      const up = parentOf(el), ur = up && up.getBoundingClientRect ? up.getBoundingClientRect() : null;
      if (r.right > width + 1 && !(ur && ur.right > width + 1))  // the outermost only
        found.push(`${name(el)}: reaches ${r.right.toFixed(0)} px, past the window's ${width} px`);
    }
  };
  walk(document);
  for (const doc of (window.Bokeh ? Bokeh.documents : [])) {
    for (const model of doc.all_models) {
      const view = Bokeh.index.find_one(model);
      if (!view || !view.el || !view.computed_renderer_views || !shown(view.el)) continue;
      const width = view.el.getBoundingClientRect().width;
      for (const part of view.computed_renderer_views) {  // laid out by Bokeh: where it really is drawn
        if (!['Title', 'ToolbarPanel'].includes(part.model.type) || !part.bbox) continue;
        if (part.bbox.right > width + 1) {
          const what = part.model.type === 'Title' ? `title "${(part.model.text || '').slice(0, 40)}"` : 'toolbar';
          found.push(`figure ${model.name || model.id}: its ${what} ends at ${part.bbox.right.toFixed(0)} px of a ${width.toFixed(0)} px plot`);
        }
      }
    }
  }
  return [...new Set(found)];
}"""

SCROLL = "() => [document.documentElement.scrollWidth, innerWidth]"
