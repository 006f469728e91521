#!/usr/bin/env bash
# Throughput benchmark: lauream build against the plain `typst compile` CLI,
# in one run on one machine, so that the ratios are comparable even on a
# shared, noisy machine.
#
#   bash bench/throughput.sh [WORKDIR]
#
# Measures, for N = 2,000, 10,000 and 25,000 synthetic people (override with
# BENCH_SIZES="2000 10000 25000"):
#   - `lauream build` cold (empty output) and unchanged rerun: wall time,
#     CPU time, documents per second, peak RSS (median of BENCH_RUNS runs,
#     BENCH_RUNS_GRANDI for N above 2,000), and the wall time without the
#     verification site (its own time, as the build prints it, subtracted);
# on the certificates of the first size's dataset (same template, same data):
#   - `lauream build --kind attestato`, cold;
#   - the same with the program before this change, when LAUREAM_PRIMA names
#     its binary (side by side, in the same run);
#   - `typst compile`, one process per certificate, two at a time (xargs -P 2);
#   - one `typst compile` of a single document holding all those pages: the
#     engine's floor;
# and a year of at least 10,000 certificates (BENCH_PERSONE_DIECIMILA people,
# 12,700 by default: 10,154 certificates), `lauream build --kind attestato`
# cold, without and with the electronic seal (an ECDSA P-256 test key, made
# as bench/sigillo.sh makes it, when the test tools are installed);
# then prints the throughput ratios. Installs typst-cli 0.15.1 with cargo if
# it is missing. Needs GNU time (/usr/bin/time) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=${1:-$(mktemp -d -t lauream-bench-XXXXXX)}
mkdir -p "$WORK"
SIZES=${BENCH_SIZES:-"2000 10000 25000"}
RUNS=${BENCH_RUNS:-3}
RUNS_GRANDI=${BENCH_RUNS_GRANDI:-1}
PERSONE_DIECIMILA=${BENCH_PERSONE_DIECIMILA:-12700}
TYPST_VERSION=0.15.1

# Output folders of earlier runs are moved here, and deleted when the script
# ends: never just before a measured build. On ext4 without a journal, a new
# file's inode is searched for past the inodes freed in the last minutes, so
# a cold build right after deleting tens of thousands of files paid for that
# deletion in kernel time (a sixth of a build's CPU, measured with perf).
CESTINO="$WORK/.cestino"
mkdir -p "$CESTINO"
trap 'rm -rf "$CESTINO"' EXIT
togli() {
  local p
  for p in "$@"; do
    [ -e "$p" ] && mv "$p" "$CESTINO/$(date +%s%N)-$(basename "$p")"
  done
  return 0
}

if ! command -v /usr/bin/time >/dev/null; then
  echo "serve GNU time: apt-get install -y time" >&2
  exit 1
fi
# BENCH_SENZA_CLI=1 leaves out the plain CLI (and does not install it).
CLI=${BENCH_SENZA_CLI:+no}
# The CLI's certificates are checked against lauream's with poppler.
if [ -z "$CLI" ] && ! command -v pdffonts >/dev/null; then
  echo "serve poppler-utils (pdftotext, pdffonts): apt-get install -y poppler-utils" >&2
  exit 1
fi
if [ -z "$CLI" ] && ! typst --version 2>/dev/null | grep -q "$TYPST_VERSION"; then
  echo "installo typst-cli $TYPST_VERSION (cargo install)…" >&2
  cargo install typst-cli --locked --version "$TYPST_VERSION"
fi
cargo build --release --quiet
LAUREAM="$ROOT/target/release/lauream"

# "wall user sys maxrss_kb site_s" of a command, its output discarded;
# site_s is the verification site's own time as a build prints it (0 when
# it prints none).
misura() {
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/.time" "$@" >/dev/null 2>"$WORK/.stderr" || {
    cat "$WORK/.stderr" >&2
    return 1
  }
  echo "$(cat "$WORK/.time") $(tempo_sito <"$WORK/.stderr")"
}

# The verification site alone, after a cold build into $1 with the rest of
# the arguments: the site removed, an unchanged rebuild makes it again, every
# key derived anew. Its CPU time is what the cold build spent on the site.
misura_sito() {
  local out=$1; shift
  rm -rf "$out/verifica" "$out/verifica-riservato.txt"
  misura "$@"
}

# The seconds of "sito di verifica: … (…, 1,3 s)" or "(…, 2 min 5 s)".
tempo_sito() {
  python3 -c '
import re, sys
m = None
for riga in sys.stdin:
    if riga.startswith("sito di verifica:"):
        m = re.search(r"(?:(\d+) min )?([\d.,]+) s\)\s*$", riga)
if not m:
    print(0)
else:
    print(int(m.group(1) or 0) * 60 + float(m.group(2).replace(".", "").replace(",", ".")))'
}

# Median of the lines on stdin, column by column.
mediana() {
  python3 -c '
import sys, statistics
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
print(" ".join("%g" % statistics.median(c) for c in zip(*rows)))'
}

conta_pdf() { find "$1" -name '*.pdf' -not -path '*/ocfl/*' | wc -l; }

echo "macchina: $(nproc) core, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "lauream $("$LAUREAM" --version | cut -d' ' -f2), $([ -z "$CLI" ] && typst --version || echo "senza typst-cli")"
echo

RISULTATI="$WORK/risultati.txt"
: >"$RISULTATI"
N0=$(echo "$SIZES" | cut -d' ' -f1)
: >"$WORK/picchi"
for N in $SIZES; do
  CORSI=$(( N / 100 < 7 ? 7 : N / 100 ))
  DS="$WORK/dataset-$N"
  [ -d "$DS" ] || "$LAUREAM" synth --people "$N" --courses "$CORSI" "$DS" 2>/dev/null
  : >"$WORK/cold-$N" ; : >"$WORK/rerun-$N"
  R=$RUNS; [ "$N" -gt 2000 ] && R=$RUNS_GRANDI
  for r in $(seq "$R"); do
    togli "$WORK/out-$N"
    # The registry in the output folder, removed with it: a cold build
    # allocates every number, as the published figures measured.
    misura "$LAUREAM" build "$DS" --out "$WORK/out-$N" --registry "$WORK/out-$N/registro.sqlite" >>"$WORK/cold-$N"
    for k in 1 2 3; do
      misura "$LAUREAM" build "$DS" --out "$WORK/out-$N" --registry "$WORK/out-$N/registro.sqlite" >>"$WORK/rerun-$N"
    done
  done
  DOCS=$(conta_pdf "$WORK/out-$N")
  read -r cw cu cs cm csito < <(mediana <"$WORK/cold-$N")
  read -r rw ru rs rm_ rsito < <(mediana <"$WORK/rerun-$N")
  python3 - "$N" "$DOCS" "$cw" "$cu" "$cs" "$cm" "$csito" "$rw" "$ru" "$rs" "$rm_" <<'PY' | tee -a "$RISULTATI"
import sys
n, docs = int(sys.argv[1]), int(sys.argv[2])
cw, cu, cs, cm, csito, rw, ru, rs, rm = map(float, sys.argv[3:])
print(f"N={n}: {docs} documenti")
print(f"  build a freddo:     {cw:7.2f} s wall, {cu+cs:7.2f} s CPU, {docs/cw:7.0f} doc/s, {(cu+cs)/docs*1000:5.2f} ms CPU/doc, picco RSS {cm/1024:6.0f} MiB")
print(f"    senza il sito di verifica ({csito:.1f} s): {cw-csito:7.2f} s wall, {docs/(cw-csito):7.0f} doc/s")
print(f"  rerun invariato:    {rw:7.3f} s wall, {ru+rs:7.3f} s CPU, {cw/rw:7.0f}x più veloce del freddo, picco RSS {rm/1024:6.0f} MiB")
PY
  echo "$N $cm" >>"$WORK/picchi"
done
python3 - "$WORK/picchi" <<'PY' | tee -a "$RISULTATI"
import sys
righe = [l.split() for l in open(sys.argv[1]) if l.strip()]
(n0, m0), (n1, m1) = righe[0], righe[-1]
print(f"\npicco RSS a N={n1} : N={n0} = {float(m1)/float(m0):.2f}x ({float(m1)/1024:.0f} : {float(m0)/1024:.0f} MiB; obiettivo ≤ 1,5x e < 400 MiB)")
PY

# The same certificates through lauream and through the plain CLI.
DS="$WORK/dataset-$N0"
TPL="$WORK/cli-templates"
FONT_CLI="--ignore-system-fonts --ignore-embedded-fonts --font-path $ROOT/fonts"
rm -rf "$TPL"
togli "$WORK/cli-out" "$WORK/out-attestati"
cp -r "$ROOT/templates" "$TPL"
mkdir -p "$TPL/dati" "$WORK/cli-out"
# The data each certificate is rendered with: the plan's, plus what the
# registry adds at build time (number, verification code, URL and the QR
# image, drawn as lauream draws it), so that the CLI does the same work.
python3 -c 'import qrcode' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check qrcode
togli "$WORK/out-attestati-numeri"
"$LAUREAM" build "$DS" --kind attestato --out "$WORK/out-attestati-numeri" \
  --registry "$WORK/out-attestati-numeri/registro.sqlite" 2>/dev/null
"$LAUREAM" plan "$DS" --kind attestato 2>/dev/null | python3 -c '
import json, sqlite3, struct, sys, zlib
import qrcode

dest, registro, ateneo = sys.argv[1:4]
url = json.load(open(ateneo)).get("url_verifica")
righe = {
    r[0]: r[1:]
    for r in sqlite3.connect(registro).execute(
        "SELECT identificativo, progressivo, anno, codice FROM documenti WHERE stato = \"valido\"")
}

def qr_png(testo):
    # One pixel per module and a quiet zone of four, one bit per pixel, as
    # lauream draws it (render::qr_png).
    q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    q.add_data(testo)
    q.make(fit=True)
    m = q.get_matrix()
    n = len(m)
    righe = b""
    for riga in m:
        bit = "".join("0" if scuro else "1" for scuro in riga).ljust((n + 7) // 8 * 8, "1")
        righe += b"\0" + int(bit, 2).to_bytes((n + 7) // 8, "big")
    def blocco(tipo, dati):
        return struct.pack(">I", len(dati)) + tipo + dati + struct.pack(">I", zlib.crc32(tipo + dati))
    return (b"\x89PNG\r\n\x1a\n" + blocco(b"IHDR", struct.pack(">IIBBBBB", n, n, 1, 0, 0, 0, 0))
            + blocco(b"IDAT", zlib.compress(righe)) + blocco(b"IEND", b""))

piano = json.load(sys.stdin)
nomi = []
for i, doc in enumerate(piano["documenti"]):
    nome = "%05d" % i
    dati = doc["dati"]
    progressivo, anno, codice = righe[doc["identificativo"]]
    d = dati["documento"]
    d["registro"] = "Registro dei certificati"
    d["numero_registro"] = f"{progressivo}/{anno}"
    d["codice_verifica"] = codice
    d["url_verifica"] = f"{url}{codice}" if url else None
    d["sito_verifica"] = url
    d["qr"] = f"/dati/{nome}-qr.png"
    with open(f"{dest}/dati/{nome}-qr.png", "wb") as f:
        f.write(qr_png(d["url_verifica"] or codice))
    with open(f"{dest}/dati/{nome}.json", "w") as f:
        json.dump(dati, f, ensure_ascii=False)
    nomi.append(nome)
with open(f"{dest}/dati/elenco.json", "w") as f:
    json.dump([f"/dati/{n}.json" for n in nomi], f)
with open(f"{dest}/dati/identificativi.json", "w") as f:
    json.dump({n: doc["identificativo"] for n, doc in zip(nomi, piano["documenti"])}, f)
with open(f"{dest}/elenco.txt", "w") as f:
    f.write("\n".join(nomi) + "\n")
' "$TPL" "$WORK/out-attestati-numeri/registro.sqlite" "$DS/ateneo.json"
CERT=$(wc -l <"$TPL/elenco.txt")
# The engine floor: one document holding every certificate's page(s).
cat >"$TPL/pavimento.typ" <<'TYP'
#import "/attestato/attestato.typ": attestato
#for f in json("/dati/elenco.json") { attestato(json(f)) }
TYP

: >"$WORK/lauream-att" ; : >"$WORK/lauream-prima" ; : >"$WORK/lauream-att-sito" ; : >"$WORK/lauream-prima-sito" ; : >"$WORK/cli-loop" ; : >"$WORK/cli-floor"
for r in $(seq "$RUNS"); do
  togli "$WORK/out-attestati" "$WORK/cli-out"; mkdir -p "$WORK/cli-out"
  misura "$LAUREAM" build "$DS" --kind attestato --out "$WORK/out-attestati" \
    --registry "$WORK/out-attestati/registro.sqlite" >>"$WORK/lauream-att"
  misura_sito "$WORK/out-attestati" "$LAUREAM" build "$DS" --kind attestato --out "$WORK/out-attestati" \
    --registry "$WORK/out-attestati/registro.sqlite" >>"$WORK/lauream-att-sito"
  if [ -n "${LAUREAM_PRIMA:-}" ]; then
    togli "$WORK/out-attestati-prima"
    misura "$LAUREAM_PRIMA" build "$DS" --kind attestato --out "$WORK/out-attestati-prima" \
      --registry "$WORK/out-attestati-prima/registro.sqlite" >>"$WORK/lauream-prima"
    misura_sito "$WORK/out-attestati-prima" "$LAUREAM_PRIMA" build "$DS" --kind attestato \
      --out "$WORK/out-attestati-prima" --registry "$WORK/out-attestati-prima/registro.sqlite" >>"$WORK/lauream-prima-sito"
  fi
  [ -n "$CLI" ] && continue
  # pagine=1: the page count lauream gives a one-page certificate, so that
  # the CLI, like lauream, lays each out once.
  # lauream's fonts: the TrueType faces of Libertinus Serif in fonts/, not
  # the CLI's embedded CFF ones (src/caratteri.rs).
  misura sh -c "xargs -P 2 -I{} typst compile $FONT_CLI --pdf-standard a-2b \
      --root '$TPL' --input pagine=1 --input data=/dati/{}.json '$TPL/attestato/main.typ' '$WORK/cli-out/{}.pdf' <'$TPL/elenco.txt'" >>"$WORK/cli-loop"
  misura typst compile $FONT_CLI --pdf-standard a-2b --root "$TPL" --input pagine=1 \
      "$TPL/pavimento.typ" "$WORK/pavimento.pdf" >>"$WORK/cli-floor"
done
# Both made the same certificates: the same text, set in the same fonts.
[ -z "$CLI" ] && python3 - "$TPL/dati/identificativi.json" "$WORK/out-attestati" "$WORK/cli-out" <<'PY'
import json, random, subprocess, sys

nomi, out, cli = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
percorsi = {v["id"]: v["path"] for v in json.load(open(f"{out}/index.json"))["documents"]}
def testo(f):
    return subprocess.run(["pdftotext", "-layout", f, "-"], capture_output=True, check=True).stdout
def caratteri(f):
    righe = subprocess.run(["pdffonts", f], capture_output=True, check=True, text=True).stdout.splitlines()[2:]
    return sorted({(r.split()[0].split("+")[-1], r.split()[1]) for r in righe})
campione = random.Random(0).sample(sorted(nomi), min(50, len(nomi)))
for nome in campione:
    a, b = f"{out}/{percorsi[nomi[nome]]}", f"{cli}/{nome}.pdf"
    assert testo(a) == testo(b), f"testo diverso: {a} e {b}"
    assert caratteri(a) == caratteri(b), f"caratteri diversi: {caratteri(a)} e {caratteri(b)}"
print(f"CLI e lauream: stesso testo e stessi caratteri tipografici su {len(campione)} certificati")
PY
if [ -z "$CLI" ]; then
  PAGINE=$(python3 -c 'import sys,re; print(len(re.findall(rb"/Type\s*/Page[^s]", open(sys.argv[1],"rb").read())))' "$WORK/pavimento.pdf")
else
  PAGINE=$CERT; echo "0 0 0 0 0" >"$WORK/cli-loop"; echo "0 0 0 0 0" >"$WORK/cli-floor"
fi
read -r lw lu ls lm lsito < <(mediana <"$WORK/lauream-att")
read -r pw pu ps pm psito < <( [ -s "$WORK/lauream-prima" ] && mediana <"$WORK/lauream-prima" || echo "0 0 0 0 0")
read -r _ lsu lss _ _ < <(mediana <"$WORK/lauream-att-sito")
read -r _ psu pss _ _ < <( [ -s "$WORK/lauream-prima-sito" ] && mediana <"$WORK/lauream-prima-sito" || echo "0 0 0 0 0")
read -r xw xu xs xm _ < <(mediana <"$WORK/cli-loop")
read -r fw fu fs fm _ < <(mediana <"$WORK/cli-floor")
python3 - "$CERT" "$PAGINE" "$lw" "$lu" "$ls" "$lm" "$lsito" "$pw" "$pu" "$ps" "$pm" "$psito" "$xw" "$xu" "$xs" "$fw" "$fu" "$fs" "$fm" "$lsu" "$lss" "$psu" "$pss" <<'PY' | tee -a "$RISULTATI"
import sys
cert, pagine = int(sys.argv[1]), int(sys.argv[2])
lw, lu, ls, lm, lsito, pw, pu, ps, pm, psito, xw, xu, xs, fw, fu, fs, fm, lsu, lss, psu, pss = map(float, sys.argv[3:])
# CPU of the build without the site: the site's own CPU (measured apart) taken off.
lc, pc = lu + ls - lsu - lss, pu + ps - psu - pss
print(f"\nStessi {cert} attestati (stesso template, stessi dati), {pagine} pagine:")
print(f"  lauream build --kind attestato: {lw:6.2f} s wall, {cert/lw:7.0f} doc/s, {(lu+ls)/cert*1000:5.2f} ms CPU/doc, picco RSS {lm/1024:.0f} MiB")
print(f"    senza il sito di verifica ({lsito:.1f} s, {lsu+lss:.1f} s CPU): {lw-lsito:6.2f} s wall, {cert/(lw-lsito):7.0f} doc/s, {lc/cert*1000:5.2f} ms CPU/doc")
if pw > 0:
    print(f"  prima di questa modifica:       {pw:6.2f} s wall, {cert/pw:7.0f} doc/s, {(pu+ps)/cert*1000:5.2f} ms CPU/doc, picco RSS {pm/1024:.0f} MiB")
    print(f"    senza il sito di verifica ({psito:.1f} s, {psu+pss:.1f} s CPU): {pw-psito:6.2f} s wall, {cert/(pw-psito):7.0f} doc/s, {pc/cert*1000:5.2f} ms CPU/doc")
if xw > 0:
    print(f"  typst compile, un processo per documento, 2 alla volta: {xw:6.2f} s wall, {cert/xw:7.0f} doc/s, {(xu+xs)/cert*1000:5.2f} ms CPU/doc")
    print(f"  typst compile di un solo documento con tutte le pagine (pavimento): {fw:6.2f} s wall, {(fu+fs)/pagine*1000:5.2f} ms CPU/pagina, picco RSS {fm/1024:.0f} MiB")
    print(f"  rapporto doc/s lauream : CLI×2   = {(cert/lw)/(cert/xw):5.1f}x, senza il sito {(cert/(lw-lsito))/(cert/xw):5.1f}x   (obiettivo ≥ 6x)")
    print(f"  rapporto CPU/doc lauream : pavimento = {((lu+ls)/cert)/((fu+fs)/pagine):5.2f}x, senza il sito {(lc/cert)/((fu+fs)/pagine):5.2f}x   (obiettivo ≤ 2x)")
if pw > 0:
    print(f"  prima : dopo senza il sito = {(pw-psito)/(lw-lsito):5.2f}x in wall, {pc/lc:5.2f}x in CPU")
PY

# At least 10,000 certificates: the certificates of a year of
# PERSONE_DIECIMILA people, cold, without and with the seal.
DS="$WORK/dataset-attestati-$PERSONE_DIECIMILA"
[ -d "$DS" ] || "$LAUREAM" synth --people "$PERSONE_DIECIMILA" --courses $((PERSONE_DIECIMILA / 100)) "$DS" 2>/dev/null
SIGILLO=()
VENV=target/tmp/strumenti-test/venv
if [ -x "$VENV/bin/python" ]; then
  export LAUREAM_SEAL_PASSWORD=bench-$$
  "$VENV/bin/python" tests/strumenti/pki_di_prova.py "$WORK/pki" "$LAUREAM_SEAL_PASSWORD" >/dev/null
  SIGILLO=(--seal "$WORK/pki/sigillo.p12")
else
  echo "(strumenti dei test assenti: niente misura con il sigillo; li installa cargo test --release --test sigillo)" >&2
fi
for modo in senza con; do
  [ "$modo" = con ] && [ ${#SIGILLO[@]} -eq 0 ] && continue
  args=(); [ "$modo" = con ] && args=("${SIGILLO[@]}")
  : >"$WORK/diecimila-$modo"
  for r in $(seq "$RUNS_GRANDI"); do
    togli "$WORK/out-diecimila"
    misura "$LAUREAM" build "$DS" --kind attestato --out "$WORK/out-diecimila" \
      --registry "$WORK/out-diecimila/registro.sqlite" "${args[@]}" >>"$WORK/diecimila-$modo"
  done
  CERTL=$(find "$WORK/out-diecimila" -name '*.pdf' -not -path '*/ocfl/*' | wc -l)
  read -r dw du ds_ dm dsito < <(mediana <"$WORK/diecimila-$modo")
  python3 - "$CERTL" "$modo" "$dw" "$du" "$ds_" "$dm" "$dsito" <<'PY' | tee -a "$RISULTATI"
import sys
cert, modo = int(sys.argv[1]), sys.argv[2]
dw, du, ds, dm, dsito = map(float, sys.argv[3:])
print(f"\n{cert} attestati, {modo} sigillo: {dw:6.2f} s wall, {du+ds:6.2f} s CPU, {cert/dw:5.0f} doc/s, picco RSS {dm/1024:.0f} MiB")
print(f"  senza il sito di verifica ({dsito:.1f} s): {dw-dsito:6.2f} s wall, {cert/(dw-dsito):5.0f} doc/s (obiettivo: 10.000 in < 30 s)")
PY
done
echo
echo "risultati in $RISULTATI"
