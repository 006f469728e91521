"""qpdf's structural check of each PDF named on the command line, through
pikepdf (which bundles qpdf): prints the problems and exits 1 when any."""
import sys

import pikepdf

problemi = []
for percorso in sys.argv[1:]:
    with pikepdf.open(percorso) as pdf:
        problemi += [f"{percorso}: {p}" for p in pdf.check_pdf_syntax()]
print("\n".join(problemi))
sys.exit(1 if problemi else 0)
