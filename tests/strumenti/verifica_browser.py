"""Drives the system's headless Chromium (through Playwright, never a
downloaded browser) over the verification page, as tests/sito.rs asks on
standard input, and prints what the page showed as JSON.

Input: {"chromium": path, "pagina": URL of index.html, "casi": [case...]}
where a case is {"nome", "via", ...}:
  via "indirizzo":  opens the page with "#<codice>" (what the QR encodes)
  via "query":      opens the page with "?codice=<codice>"
  via "tastiera":   opens the page, reaches the code field with Tab, types
                    the code and presses Enter: no mouse
  via "file":       chooses "file" with the page's file input
  via "trascinato": drops "file" on the page (a real drop event carrying it)
and, optionally, "lingua": "en" (click the language switch once the outcome
is shown) and "schermata": a PNG path for a full-page screenshot.

Output: {"casi": {nome: {"stato", "testo", "lang", "titolo", "contrasti"}},
         "ordine_tab": [ids], "etichette": [inputs without a label],
         "errori": [console errors and uncaught exceptions]}
"""
import base64
import json
import sys

from playwright.sync_api import sync_playwright

FINALE = '#esito:not([data-stato="vuoto"]):not([data-stato="in_corso"])'

# Contrast of each visible text element against the first opaque
# background behind it (WCAG 2 relative luminance).
CONTRASTI = """
() => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const colore = (s) => s.match(/[\\d.]+/g).map(Number);
  const sfondo = (e) => {
    for (; e; e = e.parentElement) {
      const c = colore(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const sel = ['.ateneo', '#lingua', 'h1', 'h2', 'p', 'label', '#verifica-codice',
               '.pulsante-file', '.esito dt', '.esito dd', '#codice'];
  const out = [];
  for (const s of sel) {
    for (const e of document.querySelectorAll(s)) {
      if (!e.offsetParent || !e.textContent.trim() && s !== '#codice') continue;
      const f = colore(getComputedStyle(e).color).slice(0, 3);
      const [a, b] = [lum(f), lum(sfondo(e))];
      out.push([s, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]);
    }
  }
  return out;
}
"""

TRASCINA = """
async ([dati, nome]) => {
  const bin = atob(dati);
  const byte = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) byte[i] = bin.charCodeAt(i);
  const dt = new DataTransfer();
  dt.items.add(new File([byte], nome, { type: 'application/pdf' }));
  const zona = document.getElementById('zona');
  for (const tipo of ['dragenter', 'dragover', 'drop']) {
    zona.dispatchEvent(new DragEvent(tipo, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }
}
"""


def esegui(pagina_url, browser, caso, errori):
    pagina = browser.new_page()
    pagina.on("pageerror", lambda e: errori.append(f"{caso['nome']}: {e}"))
    pagina.on(
        "console",
        lambda m: m.type == "error" and errori.append(f"{caso['nome']}: {m.text}"),
    )
    via = caso["via"]
    if via == "indirizzo":
        pagina.goto(pagina_url + "#" + caso["codice"])
    elif via == "query":
        pagina.goto(pagina_url + "?codice=" + caso["codice"])
    else:
        pagina.goto(pagina_url)
        pagina.wait_for_function("typeof window.verificaBlocco === 'function'")
    if via == "tastiera":
        # Tab order: language switch, then the code field.
        pagina.keyboard.press("Tab")
        pagina.keyboard.press("Tab")
        assert pagina.evaluate("document.activeElement.id") == "codice"
        pagina.keyboard.type(caso["codice"])
        pagina.keyboard.press("Enter")
    elif via == "file":
        pagina.set_input_files("#file", caso["file"])
    elif via == "trascinato":
        with open(caso["file"], "rb") as f:
            dati = base64.b64encode(f.read()).decode()
        pagina.evaluate(TRASCINA, [dati, caso["file"].rsplit("/", 1)[-1]])
    pagina.wait_for_selector(FINALE, timeout=30000)
    if caso.get("lingua") == "en":
        pagina.click("#lingua")
        pagina.wait_for_function("document.documentElement.lang === 'en'")
    esito = {
        "stato": pagina.get_attribute("#esito", "data-stato"),
        "testo": pagina.inner_text("#esito"),
        "lang": pagina.evaluate("document.documentElement.lang"),
        "titolo": pagina.title(),
        "pagina": pagina.inner_text("main"),
        "contrasti": pagina.evaluate(CONTRASTI),
    }
    if caso.get("schermata"):
        pagina.screenshot(path=caso["schermata"], full_page=True)
    pagina.close()
    return esito


def ordine_tab(pagina_url, browser):
    pagina = browser.new_page()
    pagina.goto(pagina_url)
    pagina.wait_for_function("typeof window.verificaBlocco === 'function'")
    ordine = []
    for _ in range(4):
        pagina.keyboard.press("Tab")
        ordine.append(pagina.evaluate("document.activeElement.id"))
    senza = pagina.evaluate(
        "[...document.querySelectorAll('input')].filter(i => i.labels.length === 0).map(i => i.id)"
    )
    vivo = pagina.get_attribute("#esito", "aria-live")
    pagina.close()
    return ordine, senza, vivo


def main():
    richiesta = json.load(sys.stdin)
    errori = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=richiesta["chromium"],
            # Playwright gives each launch a fresh temporary profile.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        casi = {c["nome"]: esegui(richiesta["pagina"], browser, c, errori) for c in richiesta["casi"]}
        ordine, senza, vivo = ordine_tab(richiesta["pagina"], browser)
        browser.close()
    json.dump(
        {"casi": casi, "ordine_tab": ordine, "etichette": senza, "aria_live": vivo, "errori": errori},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
