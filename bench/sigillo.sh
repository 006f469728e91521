#!/usr/bin/env bash
# Cost of the electronic seal.
#
#   bash bench/sigillo.sh [WORKDIR]
#
# 1. Sealing alone, in process: the CPU time per document of sealing the
#    demo's rendered PDFs with an ECDSA P-256 and an RSA-2048 test key (the
#    test `costo_del_sigillo_per_documento`, which also provisions the test
#    tools: certomancer makes the test PKI).
# 2. End to end: `lauream build` of the demo without seal and with each
#    key, median of BENCH_RUNS cold builds: wall and CPU time.
# Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-$(mktemp -d -t lauream-sigillo-XXXXXX)}
mkdir -p "$WORK"
RUNS=${BENCH_RUNS:-3}

if ! command -v /usr/bin/time >/dev/null; then
  echo "serve GNU time: apt-get install -y time" >&2
  exit 1
fi
cargo build --release --quiet
LAUREAM="$(pwd)/target/release/lauream"
echo "macchina: $(nproc) core, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo

echo "1. sigillo da solo (CPU del thread che sigilla):"
cargo test --release --quiet --test sigillo costo_del_sigillo_per_documento -- --nocapture 2>&1 |
  grep '^sigillo ' | sed 's/^/   /'
echo

# The test PKI, with the tests' own environment (made by step 1).
VENV=target/tmp/strumenti-test/venv
PASSWORD=bench-$$
"$VENV/bin/python" tests/strumenti/pki_di_prova.py "$WORK/pki" "$PASSWORD"
export LAUREAM_SEAL_PASSWORD=$PASSWORD

echo "2. build della demo, mediana di $RUNS build a freddo (s: reale, utente, sistema):"
for modo in "senza sigillo" "ECDSA P-256" "RSA-2048"; do
  case $modo in
    "senza sigillo") args=() ;;
    "ECDSA P-256") args=(--seal "$WORK/pki/sigillo.p12") ;;
    "RSA-2048") args=(--seal "$WORK/pki/sigillo-rsa.p12") ;;
  esac
  : >"$WORK/tempi"
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/out"
    /usr/bin/time -f "%e %U %S" -o "$WORK/.t" "$LAUREAM" build fixtures/demo --out "$WORK/out" "${args[@]}" \
      >/dev/null 2>"$WORK/.err" || { cat "$WORK/.err" >&2; exit 1; }
    cat "$WORK/.t" >>"$WORK/tempi"
  done
  python3 - "$modo" "$WORK/tempi" <<'PY'
import statistics, sys
righe = [list(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
reale, utente, sistema = (statistics.median(c) for c in zip(*righe))
print(f"   {sys.argv[1]:<14} {reale:6.2f} {utente:6.2f} {sistema:6.2f}")
PY
done
