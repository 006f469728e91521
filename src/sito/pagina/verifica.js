// The verification page: finds and opens the record of a verification code
// or of a PDF, entirely in the browser, with WebCrypto. The derivations are
// those of the program that wrote the site (src/sito/cripto.rs):
//
//   code: m = PBKDF2-HMAC-SHA256(normalized code, salt, iterations, 256 bits)
//   PDF:  m = SHA-256(file)
//   id  = HKDF-SHA256(m, salt, "lauream/verifica/1/<codice|pdf>/id", 128 bits)
//   key = HKDF-SHA256(m, salt, "lauream/verifica/1/<codice|pdf>/chiave", AES-256)
//   record = nonce (12 bytes) || AES-GCM ciphertext and tag, additional data = id
//
// The shard dati/<first digits of id>.js holds the record, if any. Nothing
// typed or dropped leaves the browser; the server sees only which shard is
// loaded.
'use strict';

(function () {
  const conf = JSON.parse(document.getElementById('configurazione').textContent);
  const codifica = new TextEncoder();
  const sale = daHex(conf.sale);

  // ---- Texts -------------------------------------------------------------

  const TESTI = {
    it: {
      titolo_pagina: 'Verifica dei documenti',
      cambia_lingua: 'English',
      titolo: 'Verifica di un documento',
      introduzione: 'Questa pagina dice se un certificato o una pergamena è stato emesso da questo ateneo e se è ancora valido.',
      titolo_codice: 'Con il codice di verifica',
      etichetta_codice: 'Codice di verifica',
      aiuto_codice: 'Dieci caratteri, stampati accanto al codice QR (nella forma XXXX-XXXX-XX). Maiuscole, minuscole e trattini non contano.',
      pulsante_codice: 'Verifica',
      titolo_file: 'Con il file PDF',
      aiuto_file: "Trascinare qui il PDF ricevuto, oppure sceglierlo. Il file non lascia questo computer: se ne calcola l'impronta qui.",
      etichetta_file: 'Scegli il file PDF…',
      riservatezza: 'Codice e file restano nel browser. La pagina scarica soltanto dati cifrati: senza un codice o un documento, nessuno può leggervi nomi o altri dati personali.',
      in_corso: 'Verifica in corso…',
      valido: 'Documento valido',
      revocato: 'Documento revocato',
      sostituito: 'Documento sostituito',
      non_emesso_codice: 'Nessun documento emesso con questo codice',
      non_emesso_codice_spiega: 'Il codice è ben formato, ma questo ateneo non ha emesso alcun documento con esso. Controllare la trascrizione o rivolgersi a chi ha presentato il documento.',
      non_emesso_pdf: 'File non emesso',
      non_emesso_pdf_spiega: "Nessun documento emesso da questo ateneo ha esattamente questo contenuto: il file può essere stato modificato, anche in minima parte, o non provenire dall'ateneo.",
      codice_errato: 'Codice non valido',
      errore_lunghezza: (n) => `Il codice ha ${n} caratteri invece di 10.`,
      errore_carattere: (c) => `Il codice contiene «${c}», che nei codici di verifica non compare mai.`,
      errore_controllo: "L'ultimo carattere non corrisponde agli altri: il codice è stato trascritto male. Controllarlo sul documento.",
      errore: 'Verifica non riuscita',
      errore_rete: 'Non è stato possibile leggere i dati della verifica. Riprovare più tardi o avvisare l\'ateneo.',
      errore_cripto: 'Questo browser non offre le funzioni crittografiche necessarie (la pagina va aperta da un indirizzo https).',
      errore_record: 'I dati della verifica risultano alterati. Avvisare l\'ateneo.',
      codice_letto: 'Codice',
      file_letto: 'File',
      impronta: 'Impronta SHA-256',
      tipo: 'Documento',
      numero: 'Numero',
      intestatario: 'Intestatario',
      corso: 'Corso',
      data: 'Data di emissione',
      stato: 'Stato',
      stato_valido: 'valido',
      stato_revocato: (data, motivo) => `revocato il ${data}` + (motivo ? `; motivo: ${motivo}` : ''),
      riemesso: (n) => (n ? `riemesso con il n. ${n}` : 'riemesso con un nuovo documento'),
      stato_sostituito: (n) => (n ? `sostituito dal n. ${n}` : 'sostituito da un documento più recente'),
      sostituisce: (n) => (n ? `sostituisce il n. ${n}` : 'sostituisce un documento precedente'),
      numero_serie: (serie, n) => `${serie} n. ${n}`,
      serie: { certificati: 'Registro dei certificati', pergamene: 'Registro delle pergamene', decreti: 'Repertorio dei decreti rettorali' },
      tipi: { attestato: 'certificato', pergamena: 'pergamena', decreto: 'decreto rettorale', bando: 'bando', dossier: 'dossier' },
      mesi: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
    },
    en: {
      titolo_pagina: 'Document verification',
      cambia_lingua: 'Italiano',
      titolo: 'Verify a document',
      introduzione: 'This page tells whether a certificate or a diploma was issued by this university and whether it is still valid.',
      titolo_codice: 'With the verification code',
      etichetta_codice: 'Verification code',
      aiuto_codice: 'Ten characters, printed next to the QR code (in the form XXXX-XXXX-XX). Upper or lower case and dashes do not matter.',
      pulsante_codice: 'Verify',
      titolo_file: 'With the PDF file',
      aiuto_file: 'Drop the PDF you received here, or choose it. The file does not leave this computer: its fingerprint is computed here.',
      etichetta_file: 'Choose the PDF file…',
      riservatezza: 'Codes and files stay in the browser. The page downloads encrypted data only: without a code or a document, nobody can read names or other personal data in it.',
      in_corso: 'Checking…',
      valido: 'Valid document',
      revocato: 'Revoked document',
      sostituito: 'Superseded document',
      non_emesso_codice: 'No document was issued with this code',
      non_emesso_codice_spiega: 'The code is well formed, but this university issued no document with it. Check the transcription or ask whoever presented the document.',
      non_emesso_pdf: 'This file was not issued',
      non_emesso_pdf_spiega: 'No document issued by this university has exactly this content: the file may have been altered, even slightly, or may not come from the university.',
      codice_errato: 'Invalid code',
      errore_lunghezza: (n) => `The code has ${n} characters instead of 10.`,
      errore_carattere: (c) => `The code contains “${c}”, which never occurs in verification codes.`,
      errore_controllo: 'The last character does not match the others: the code was mistyped. Check it on the document.',
      errore: 'The check failed',
      errore_rete: 'The verification data could not be read. Try again later or tell the university.',
      errore_cripto: 'This browser lacks the cryptographic functions needed (open the page from an https address).',
      errore_record: 'The verification data appear to have been altered. Please tell the university.',
      codice_letto: 'Code',
      file_letto: 'File',
      impronta: 'SHA-256 fingerprint',
      tipo: 'Document',
      numero: 'Number',
      intestatario: 'Holder',
      corso: 'Course',
      data: 'Issue date',
      stato: 'Status',
      stato_valido: 'valid',
      stato_revocato: (data, motivo) => `revoked on ${data}` + (motivo ? `; reason: ${motivo}` : ''),
      riemesso: (n) => (n ? `reissued as no. ${n}` : 'reissued as a new document'),
      stato_sostituito: (n) => (n ? `superseded by no. ${n}` : 'superseded by a newer document'),
      sostituisce: (n) => (n ? `replaces no. ${n}` : 'replaces an earlier document'),
      numero_serie: (serie, n) => `${serie} no. ${n}`,
      serie: { certificati: 'Register of certificates', pergamene: 'Register of diplomas', decreti: "Register of Rector's decrees" },
      tipi: { attestato: 'certificate', pergamena: "Master's diploma", decreto: "Rector's decree", bando: 'call for applications', dossier: 'course dossier' },
      mesi: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    },
  };

  let lingua = 'it';
  let ultimo = null; // the last outcome, shown again when the language changes

  function t(chiave) {
    return TESTI[lingua][chiave];
  }

  function data(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    if (!m) return iso || '';
    const giorno = Number(m[3]);
    const mese = t('mesi')[Number(m[2]) - 1];
    if (lingua === 'it') return `${giorno === 1 ? '1°' : giorno} ${mese} ${m[1]}`;
    return `${giorno} ${mese} ${m[1]}`;
  }

  // ---- Codes (as registry::codice::normalizza) ---------------------------

  const ALFABETO = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

  // Product in GF(32) = GF(2)[x]/(x^5 + x^2 + 1).
  function moltiplica(a, b) {
    let p = 0;
    while (b !== 0) {
      if (b & 1) p ^= a;
      b >>= 1;
      a <<= 1;
      if (a & 0b100000) a ^= 0b100101;
    }
    return p;
  }

  function controllo(valori) {
    let somma = 0;
    let peso = 1;
    for (let i = valori.length - 1; i >= 0; i--) {
      peso = moltiplica(peso, 2);
      somma ^= moltiplica(peso, valori[i]);
    }
    return somma;
  }

  function normalizza(testo) {
    let s = '';
    for (const car of testo) {
      let c = /^[a-z]$/.test(car) ? car.toUpperCase() : car;
      if (/\s/.test(c) || c === '-' || c === '\u2013' || c === '\u2010' || c === '\u2011') continue;
      if (c === 'O') c = '0';
      else if (c === 'I' || c === 'L') c = '1';
      if (ALFABETO.indexOf(c) < 0) return { errore: 'carattere', carattere: c };
      s += c;
    }
    if (s.length !== 10) return { errore: 'lunghezza', lunghezza: s.length };
    const valori = Array.from(s, (c) => ALFABETO.indexOf(c));
    if (controllo(valori.slice(0, 9)) !== valori[9]) return { errore: 'controllo' };
    return { codice: `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}` };
  }

  // ---- Keys and records --------------------------------------------------

  function daHex(h) {
    const b = new Uint8Array(h.length / 2);
    for (let i = 0; i < b.length; i++) b[i] = parseInt(h.substr(2 * i, 2), 16);
    return b;
  }

  function inHex(buffer) {
    return Array.from(new Uint8Array(buffer), (x) => x.toString(16).padStart(2, '0')).join('');
  }

  async function espandi(maestra, dominio) {
    const base = await crypto.subtle.importKey('raw', maestra, 'HKDF', false, ['deriveBits', 'deriveKey']);
    const info = (cosa) => codifica.encode(`lauream/verifica/1/${dominio}/${cosa}`);
    const id = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: sale, info: info('id') }, base, 128);
    const chiave = await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: sale, info: info('chiave') },
      base,
      { name: 'AES-GCM', length: 256 },
      false,
      ['decrypt'],
    );
    return { id: inHex(id), chiave };
  }

  async function chiaviCodice(codice) {
    const base = await crypto.subtle.importKey('raw', codifica.encode(codice), 'PBKDF2', false, ['deriveBits']);
    const maestra = await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt: sale, iterations: conf.iterazioni },
      base,
      256,
    );
    return espandi(maestra, 'codice');
  }

  // Shards are scripts that call verificaBlocco(name, records): they load
  // from a web server and from a folder opened in the browser alike.
  const blocchi = new Map();
  const inAttesa = new Map();
  window.verificaBlocco = function (nome, record) {
    const risolvi = inAttesa.get(nome);
    if (risolvi) {
      inAttesa.delete(nome);
      risolvi(record);
    }
  };

  function blocco(nome) {
    if (!blocchi.has(nome)) {
      const p = new Promise((risolvi, rifiuta) => {
        inAttesa.set(nome, risolvi);
        const s = document.createElement('script');
        s.src = `dati/${nome}.js`;
        const fallito = () => {
          inAttesa.delete(nome);
          blocchi.delete(nome);
          rifiuta(new Error('rete'));
        };
        s.onerror = fallito;
        s.onload = () => {
          if (inAttesa.has(nome)) fallito();
        };
        document.head.appendChild(s);
      });
      blocchi.set(nome, p);
    }
    return blocchi.get(nome);
  }

  async function trova(chiavi) {
    const record = await blocco(chiavi.id.slice(0, conf.cifre));
    const cifrato = record[chiavi.id];
    if (!cifrato) return null;
    const b = daHex(cifrato);
    let chiaro;
    try {
      chiaro = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: b.slice(0, 12), additionalData: codifica.encode(chiavi.id) },
        chiavi.chiave,
        b.slice(12),
      );
    } catch (e) {
      throw new Error('record');
    }
    return JSON.parse(new TextDecoder().decode(chiaro));
  }

  // ---- The two ways in ---------------------------------------------------

  let turno = 0; // only the latest request may show its outcome

  async function verificaCodice(testo) {
    const mio = ++turno;
    const n = normalizza(testo);
    if (n.errore) return mostra({ esito: 'codice_errato', ...n, letto: testo.trim() }, mio);
    mostra({ esito: 'in_corso' }, mio);
    try {
      const r = await trova(await chiaviCodice(n.codice));
      mostra(r ? { esito: r.stato, record: r, codice: n.codice } : { esito: 'non_emesso', via: 'codice', codice: n.codice }, mio);
    } catch (e) {
      mostra({ esito: 'errore', motivo: causa(e) }, mio);
    }
  }

  async function verificaFile(file) {
    const mio = ++turno;
    mostra({ esito: 'in_corso' }, mio);
    try {
      const impronta = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
      const r = await trova(await espandi(impronta, 'pdf'));
      const comune = { nome: file.name, impronta: inHex(impronta) };
      mostra(r ? { esito: r.stato, record: r, ...comune } : { esito: 'non_emesso', via: 'pdf', ...comune }, mio);
    } catch (e) {
      mostra({ esito: 'errore', motivo: causa(e) }, mio);
    }
  }

  function causa(e) {
    if (!window.crypto || !crypto.subtle) return 'errore_cripto';
    if (e && e.message === 'record') return 'errore_record';
    return 'errore_rete';
  }

  // ---- Showing an outcome ------------------------------------------------

  const esito = document.getElementById('esito');

  function elemento(tag, testo, classe) {
    const e = document.createElement(tag);
    if (testo !== undefined) e.textContent = testo;
    if (classe) e.className = classe;
    return e;
  }

  function mostra(o, mio) {
    if (mio !== undefined && mio !== turno) return;
    ultimo = o;
    esito.replaceChildren();
    esito.dataset.stato = o.esito;
    if (o.esito === 'in_corso') {
      esito.append(elemento('p', t('in_corso'), 'attesa'));
      return;
    }
    if (o.esito === 'codice_errato') {
      esito.append(elemento('h2', t('codice_errato')));
      const spiega = o.errore === 'lunghezza' ? t('errore_lunghezza')(o.lunghezza)
        : o.errore === 'carattere' ? t('errore_carattere')(o.carattere) : t('errore_controllo');
      esito.append(elemento('p', spiega));
      return;
    }
    if (o.esito === 'errore') {
      esito.append(elemento('h2', t('errore')), elemento('p', t(o.motivo)));
      return;
    }
    if (o.esito === 'non_emesso') {
      esito.append(elemento('h2', t(o.via === 'pdf' ? 'non_emesso_pdf' : 'non_emesso_codice')));
      esito.append(elemento('p', t(o.via === 'pdf' ? 'non_emesso_pdf_spiega' : 'non_emesso_codice_spiega')));
      esito.append(dettagli([[o.via === 'pdf' ? 'file_letto' : 'codice_letto', o.nome || o.codice], ['impronta', o.impronta]]));
      return;
    }
    const r = o.record;
    const titolo = { valido: 'valido', revocato: 'revocato', sostituito: 'sostituito' }[r.stato] || 'errore';
    esito.append(elemento('h2', t(titolo)));
    const tipo = t('tipi')[r.tipo] || r.tipo;
    const documento = lingua === 'it' ? r.documento : `${tipo} (${r.documento})`;
    const numero = r.numero ? t('numero_serie')(t('serie')[r.serie] || r.serie || '', r.numero) : undefined;
    esito.append(dettagli([
      ['tipo', documento],
      ['numero', numero],
      ['intestatario', r.intestatario],
      ['corso', r.corso],
      ['data', r.data && data(r.data)],
      ['stato', stato(r)],
      [o.codice ? 'codice_letto' : 'file_letto', o.codice || o.nome],
      ['impronta', o.impronta],
    ]));
  }

  function stato(r) {
    const parti = [];
    if (r.stato === 'valido') parti.push(t('stato_valido'));
    if (r.stato === 'revocato') {
      parti.push(t('stato_revocato')(data(r.revocato_il), r.motivo));
      if (r.sostituito_da) parti.push(t('riemesso')(r.sostituito_da.numero));
    }
    if (r.stato === 'sostituito') parti.push(t('stato_sostituito')(r.sostituito_da && r.sostituito_da.numero));
    if (r.sostituisce) parti.push(t('sostituisce')(r.sostituisce.numero));
    return parti.join('; ');
  }

  function dettagli(righe) {
    const dl = elemento('dl');
    for (const [chiave, valore] of righe) {
      if (valore === undefined || valore === null || valore === '') continue;
      const div = elemento('div');
      div.append(elemento('dt', t(chiave)), elemento('dd', valore, chiave === 'impronta' ? 'impronta' : undefined));
      dl.append(div);
    }
    return dl;
  }

  // ---- Language ----------------------------------------------------------

  function impostaLingua(nuova) {
    lingua = nuova;
    document.documentElement.lang = nuova;
    for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
    const pulsante = document.getElementById('lingua');
    pulsante.lang = nuova === 'it' ? 'en' : 'it';
    const ateneo = document.querySelector('.ateneo').textContent;
    document.title = `${t('titolo_pagina')} – ${ateneo}`;
    if (ultimo) mostra(ultimo);
    try {
      localStorage.setItem('lauream-lingua', nuova);
    } catch (e) {
      // Storage disabled: the choice lasts for this visit only.
    }
  }

  // ---- Wiring ------------------------------------------------------------

  const campo = document.getElementById('codice');
  document.getElementById('modulo-codice').addEventListener('submit', (ev) => {
    ev.preventDefault();
    verificaCodice(campo.value);
  });
  document.getElementById('file').addEventListener('change', (ev) => {
    if (ev.target.files.length) verificaFile(ev.target.files[0]);
  });
  document.getElementById('lingua').addEventListener('click', () => impostaLingua(lingua === 'it' ? 'en' : 'it'));

  // A file can be dropped anywhere on the page; the zone shows where.
  const zona = document.getElementById('zona');
  document.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    zona.classList.add('sopra');
  });
  document.addEventListener('dragleave', (ev) => {
    if (ev.relatedTarget === null) zona.classList.remove('sopra');
  });
  document.addEventListener('drop', (ev) => {
    ev.preventDefault();
    zona.classList.remove('sopra');
    const f = ev.dataTransfer && ev.dataTransfer.files;
    if (f && f.length) verificaFile(f[0]);
  });

  // The QR code opens the page with the code after '#': never sent to the
  // server, so it stays out of its logs. '?codice=' is read too, for a
  // url_verifica that ends so.
  function daIndirizzo() {
    let c = location.hash.replace(/^#/, '') || new URLSearchParams(location.search).get('codice') || '';
    try {
      c = decodeURIComponent(c);
    } catch (e) {
      // Not percent-encoded text: taken as it is.
    }
    if (c) {
      campo.value = c;
      verificaCodice(c);
    }
  }
  window.addEventListener('hashchange', daIndirizzo);

  let preferita = 'it';
  try {
    preferita = localStorage.getItem('lauream-lingua') || 'it';
  } catch (e) {
    // Storage disabled.
  }
  impostaLingua(preferita === 'en' ? 'en' : 'it');
  if (!window.crypto || !crypto.subtle) mostra({ esito: 'errore', motivo: 'errore_cripto' });
  else daIndirizzo();
})();
