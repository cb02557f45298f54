// Chapter 8's reader on the website: type or paste code, and this page runs the trained LSTM on it, in the browser.
//
// The website runs no Python, so this is the model's forward pass once more, in JavaScript, over the weights that the
// build wrote into reading_code_model.js (book/_ext/browser_reader.py, from lstm_book.reading_code.browser_model),
// in float64 as the chapter reads them (the LanguageModel of lstm_lite: Embedding -> LSTMCell -> Dense readout):
//     x = embedding[character]
//     i, f, o = sigmoid(W_ih x + b_ih + W_hh h + b_hh),  g = tanh(...)     (PyTorch's four blocks, in order i, f, g, o)
//     c = f * c_prev + i * g,   h = o * tanh(c),   p(next character) = softmax(W h + b)
// with one gate of the chosen memory cell held by hand if the reader asks (LSTMCell.forward(xs, forget={cell: v})).
// It keeps the states of every character and, at each keystroke, reads on from the first character that changed
// (reading_code.read_on), so typing costs a few steps and not the whole text. What it shows is what the live reader
// of a running notebook shows: the same text rules and sentences (reading_compute, reader_sentences) and the same
// picture, to the byte (reading_rows_html). tests/test_browser_reader.py holds its numbers to lstm_lite's and its
// picture and sentences to Python's.
const lstmBrowserReader = () => {
  const M = window.LSTM_READER_MODEL;
  const place = document.querySelector(".lstm-browser-reader");
  if (!M || !place) return;
  const GATES = M.gates; // the strips under each line, top to bottom: forget, input, output
  const index = new Map([...M.vocab].map((ch, k) => [ch, k]));

  // -- the model -----------------------------------------------------------------------------------------------

  const half = (bits) => { // one float16 (IEEE 754 binary16) -> its value: sign, 5 bits of exponent, 10 of fraction
    const sign = bits & 0x8000 ? -1 : 1, exponent = (bits >> 10) & 0x1f, fraction = bits & 0x3ff;
    if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal (and zero)
    if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
    return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  };
  const floats = (b64) => { // little-endian float16 in base64 -> Float64Array (exact: float64 holds every float16)
    const bytes = atob(b64);
    const out = new Float64Array(bytes.length / 2);
    for (let k = 0; k < out.length; k++) out[k] = half(bytes.charCodeAt(2 * k) | (bytes.charCodeAt(2 * k + 1) << 8));
    return out;
  };

  const prepared = {};
  const model = (name) => { // decoded once, when first needed
    if (prepared[name]) return prepared[name];
    const params = M.models[name];
    const p = Object.fromEntries(Object.entries(params).map(([key, v]) => [key, floats(v.float16)]));
    const [V, E] = params["embedding.weight"].shape;
    const H = params["cell.weight_hh"].shape[1];
    const G = 4 * H;
    // Each character's input to the four blocks, W_ih x + b_ih + b_hh, for all 96 at once: a lookup per step after.
    const input = new Float64Array(V * G);
    for (let v = 0; v < V; v++) {
      for (let r = 0; r < G; r++) {
        let z = 0;
        for (let k = 0; k < E; k++) z += p["cell.weight_ih"][r * E + k] * p["embedding.weight"][v * E + k];
        input[v * G + r] = z + (p["cell.bias_ih"][r] + p["cell.bias_hh"][r]);
      }
    }
    prepared[name] = { V, H, input, hh: p["cell.weight_hh"], out: p["readout.weight"], outBias: p["readout.bias"],
                       z: new Float64Array(G), zeros: new Float64Array(H) };
    return prepared[name];
  };

  const sigmoid = (z) => 1 / (1 + Math.exp(-z)); // as lstm_lite computes it (exp(-z) = Infinity gives 0, right)

  const PARTS = ["h", "c", "input", "forget", "candidate", "output"];

  // One reading of a text: every part of every memory cell at every character, (n, H) row by row.
  class Run {
    constructor() { this.key = null; this.symbols = []; this.n = 0; this.cap = 0; }

    grow(n, H) {
      if (n <= this.cap) return;
      const cap = Math.max(n, 2 * this.cap, 256);
      for (const name of PARTS) {
        const a = new Float64Array(cap * H);
        if (this[name]) a.set(this[name].subarray(0, this.n * H));
        this[name] = a;
      }
      this.cap = cap;
    }

    // Read `symbols` on from the first one that differs from the last reading (from the start if `key`, the model
    // and the gate held, differs); returns that first step.
    readOn(m, symbols, key, hold) {
      let same = 0;
      if (key === this.key) {
        const limit = Math.min(this.n, symbols.length);
        while (same < limit && this.symbols[same] === symbols[same]) same++;
      }
      this.grow(symbols.length, m.H);
      for (let t = same; t < symbols.length; t++) this.step(m, t, symbols[t], hold);
      this.key = key;
      this.symbols = symbols;
      this.n = symbols.length;
      return same;
    }

    step(m, t, symbol, hold) {
      const H = m.H, G = 4 * H, z = m.z, W = m.hh, at = t * H, from = symbol * G;
      const hPrev = t ? this.h.subarray(at - H, at) : m.zeros;
      const cPrev = t ? this.c.subarray(at - H, at) : m.zeros;
      for (let r = 0; r < G; r++) {
        let s = 0;
        const row = r * H;
        for (let k = 0; k < H; k++) s += W[row + k] * hPrev[k];
        z[r] = m.input[from + r] + s;
      }
      for (let j = 0; j < H; j++) {
        let i = sigmoid(z[j]), f = sigmoid(z[H + j]), o = sigmoid(z[3 * H + j]);
        const g = Math.tanh(z[2 * H + j]);
        if (hold && j === hold.cell) { // a gate set by hand replaces the one computed
          if (hold.gate === "input") i = hold.value;
          else if (hold.gate === "forget") f = hold.value;
          else o = hold.value;
        }
        const c = f * cPrev[j] + i * g; // the belt: keep some of the old, write some new
        this.c[at + j] = c;
        this.h[at + j] = o * Math.tanh(c);
        this.input[at + j] = i;
        this.forget[at + j] = f;
        this.candidate[at + j] = g;
        this.output[at + j] = o;
      }
    }

    probability(m, t, symbol) { // the model's probability that `symbol` comes after character t
      const H = m.H, h = this.h.subarray(t * H, (t + 1) * H), logits = new Float64Array(m.V);
      let top = -Infinity;
      for (let v = 0; v < m.V; v++) {
        let s = 0;
        for (let k = 0; k < H; k++) s += m.out[v * H + k] * h[k];
        logits[v] = s + m.outBias[v];
        top = Math.max(top, logits[v]);
      }
      let sum = 0;
      for (let v = 0; v < m.V; v++) sum += Math.exp(logits[v] - top);
      return Math.exp(logits[symbol] - top) / sum;
    }
  }

  // -- what the reader typed, as reading_compute reads it ------------------------------------------------------------

  const BLANK = /^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/; // Python's isspace
  const UNPRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u; // not str.isprintable() (but a space is)

  const readable = (code) => { // tabs as 4 spaces, unknown characters as '?', a newline at the end
    code = code.replace(/\t/g, "    ");
    const unknown = [...new Set([...code].filter((ch) => !index.has(ch)))]
      .sort((a, b) => a.codePointAt(0) - b.codePointAt(0));
    const empty = BLANK.test(code);
    let text = [...(empty ? " " : code)].map((ch) => (index.has(ch) ? ch : "?")).join("");
    if (!text.endsWith("\n")) text += "\n";
    return { text, unknown, empty };
  };

  const runs = { free: new Run(), held: new Run() };

  // What reading_compute returns, for the reader's code: the chosen memory cell's c and gates at every character,
  // with one of its gates held at `value` if `hold`, and the probability of ')' after the last character typed.
  const compute = (code, choiceName, hold, gate, value) => {
    const choice = M.choices.find((c) => c.name === choiceName);
    const m = model(choice.model);
    const { text, unknown, empty } = readable(code);
    const symbols = Array.from(text, (ch) => index.get(ch));
    const heldAt = { gate, cell: choice.cell, value };
    runs.free.readOn(m, symbols, choice.model, null);
    if (hold) runs.held.readOn(m, symbols, `${choice.model} ${gate} ${choice.cell} ${value}`, heldAt);
    const reading = hold ? runs.held : runs.free;
    const H = m.H, k = choice.cell, n = symbols.length;
    const column = (part) => Array.from({ length: n }, (_, t) => reading[part][t * H + k]);
    const last = Math.max(n - 2, 0); // the last character typed (a newline is added after it)
    return {
      text, values: column("c"), gates: Object.fromEntries(GATES.map((g) => [g, column(g)])),
      title: choice.title + (hold ? `, its ${gate} gate held at ${formatG(value)}` : ""), scale: choice.scale,
      p_close: runs.free.probability(m, last, M.close),
      p_close_held: hold ? runs.held.probability(m, last, M.close) : null, unknown, empty,
    };
  };

  const formatG = (x) => { // Python's f"{x:g}" for a gate's value
    if (x === 0) return "0";
    const exponent = Number(x.toExponential(5).split("e")[1]);
    if (exponent < -4 || exponent >= 6) {
      const [mantissa] = x.toExponential(5).split("e");
      return `${mantissa.replace(/\.?0+$/, "")}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    }
    const fixed = x.toFixed(Math.max(0, 5 - exponent));
    return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
  };

  // -- the picture and the sentences, as reading_rows_html and reader_sentences write them -------------------------

  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };
  const escape = (s) => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]); // Python's html.escape
  const roundHalfEven = (x) => { const r = Math.round(x); return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r; }; // np.round
  const clip = (x, low, high) => Math.min(high, Math.max(low, x));

  const stripes = (levels, colours) => { // one band per run of one colour, 1ch a character
    const bands = [];
    let start = 0;
    for (let k = 1; k <= levels.length; k++) {
      if (k === levels.length || levels[k] !== levels[start]) {
        bands.push(`${colours[levels[start]]} ${start}ch ${k}ch`);
        start = k;
      }
    }
    return `background:linear-gradient(90deg,${bands.join(",")})`;
  };

  const rowsHtml = (r) => {
    const shade = r.values.map((v) => roundHalfEven((0.5 + 0.5 * clip(v / r.scale, -1, 1)) * (M.shades.length - 1)));
    const grey = Object.fromEntries(GATES.map((g) => [g, r.gates[g].map((v) => roundHalfEven(clip(v, 0, 1) * (M.greys.length - 1)))]));
    const rows = [];
    let pos = 0;
    for (const line of r.text.split("\n").slice(0, -1)) {
      const chars = [...line, M.newline];
      const end = pos + chars.length;
      const letters = [];
      let start = 0;
      for (let k = 1; k <= chars.length; k++) { // runs of white letters (on dark shades), the rest as it is
        if (k === chars.length || M.dark[shade[pos + k]] !== M.dark[shade[pos + start]]) {
          const run = escape(chars.slice(start, k).join(""));
          letters.push(M.dark[shade[pos + start]] ? `<b style="color:#fff">${run}</b>` : run);
          start = k;
        }
      }
      rows.push(`<div><span style="white-space:pre;${stripes(shade.slice(pos, end), M.shades)}">${letters.join("")}</span></div>`);
      for (const g of GATES) {
        rows.push(`<i aria-hidden="true" style="width:${chars.length}ch;${stripes(grey[g].slice(pos, end), M.greys)}"></i>`);
      }
      rows.push('<div style="height:6px"></div>');
      pos = end;
    }
    return rows.join("");
  };

  const sentences = (r) => {
    let said;
    if (r.empty) said = "Nothing to read yet: type some code in the box above.";
    else {
      said = `After your last character the model gives ')' a probability of ${r.p_close.toFixed(3)}`;
      said += r.p_close_held === null ? "." : ` with every gate computed, ${r.p_close_held.toFixed(3)} with the gate held.`;
    }
    const named = r.unknown.map((ch) => (UNPRINTABLE.test(ch) && ch !== " "
      ? `U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}` : `'${ch}'`));
    const unread = named.length ? `The model knows only the ${M.vocab.length} characters of its corpus (plain ASCII): it `
      + `read ${named.slice(0, 8).join(", ")}${named.length > 8 ? ", ..." : ""} as '?'.` : "";
    return [said, unread];
  };

  const alt = (r) => {
    const low = r.values.reduce((a, b) => Math.min(a, b)), high = r.values.reduce((a, b) => Math.max(a, b));
    return `${r.title}. Your code, each character on a background coloured by this memory cell's state, which runs `
      + `from ${low.toFixed(2)} to ${high.toFixed(2)} here, with its forget, input and output gates as grey strips `
      + "under every line.";
  };

  // -- the box -------------------------------------------------------------------------------------------------------

  const id = (name) => `lstm-browser-reader-${name}`;
  const options = (values) => values.map((v) => `<option>${escape(v)}</option>`).join("");
  place.innerHTML = `
    <label class="lstm-br-label" for="${id("code")}">Your code</label>
    <textarea id="${id("code")}" class="lstm-br-code" rows="5" spellcheck="false" autocapitalize="off"
      autocomplete="off" autocorrect="off"></textarea>
    <div class="lstm-br-controls">
      <label>memory cell <select id="${id("choice")}">${options(M.choices.map((c) => c.name))}</select></label>
      <label><input type="checkbox" id="${id("hold")}"> hold one of its gates by hand</label>
      <label>gate <select id="${id("gate")}">${options(GATES)}</select></label>
      <span class="lstm-br-value"><label for="${id("value")}">held at</label>
        <input type="range" id="${id("value")}" min="0" max="1" step="0.05" value="1">
        <input type="number" id="${id("number")}" min="0" max="1" step="0.05" value="1"
          aria-label="held at, as a number from 0 to 1"></span>
    </div>
    <div class="lstm-reader">
      <div class="lstm-br-title"></div>
      <div class="lstm-br-legend">${escape(M.legend)}</div>
      <div class="lstm-br-lines" role="img" tabindex="0"></div>
    </div>
    <div class="lstm-br-said" aria-live="polite"><p></p><p></p></div>
    <p class="lstm-br-how"><small>This box runs in your browser: the page carries the model's weights and computes with
      them in JavaScript, nothing is sent anywhere. The live reader of a running notebook computes the same numbers in
      Python.</small></p>`;
  const $ = (name) => place.querySelector(`#${id(name)}`);
  const [box, choice, hold, gate, slider, number] = ["code", "choice", "hold", "gate", "value", "number"].map($);
  const title = place.querySelector(".lstm-br-title"), lines = place.querySelector(".lstm-br-lines");
  const [said, unread] = place.querySelectorAll(".lstm-br-said p");
  box.value = M.example;

  let value = 1, shown = null;
  const update = () => {
    const r = compute(box.value, choice.value, hold.checked, gate.value, value);
    const html = rowsHtml(r), words = sentences(r), described = alt(r);
    title.textContent = r.title;
    lines.innerHTML = html;
    lines.setAttribute("aria-label", described);
    if (said.textContent !== words[0]) said.textContent = words[0]; // a screen reader hears what changed
    if (unread.textContent !== words[1]) unread.textContent = words[1];
    shown = { result: r, rows: html, sentences: words, alt: described };
  };
  const holding = () => { hold.checked = true; update(); }; // a gate or a value chosen is a gate to hold
  slider.addEventListener("input", () => { value = Number(slider.value); number.value = slider.value; holding(); });
  number.addEventListener("input", () => {
    const typed = number.valueAsNumber;
    if (!Number.isFinite(typed)) return; // half typed ("0."): keep the last value until it is a number
    value = clip(typed, 0, 1);
    slider.value = String(value);
    holding();
  });
  number.addEventListener("change", () => { number.value = String(value); }); // out of 0..1: shown as held
  gate.addEventListener("input", holding);
  for (const control of [box, choice]) control.addEventListener("input", update);
  hold.addEventListener("change", update);
  place.style.display = "block";
  update();

  // For the tests (tests/test_browser_reader.py) and the benchmark: what the box shows now, with its numbers.
  window.lstmBrowserReader = { shown: () => shown };
};
// Sphinx loads the page's scripts in its head: the box is drawn once the page's body is there.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", lstmBrowserReader);
else lstmBrowserReader();
