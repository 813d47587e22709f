"""Writes the Netflux fixtures (small .xlsx files) used by tests/interop.rs.

Run from this folder with `python3 make_netflux.py` (needs openpyxl). The layout follows the
Netflux template: a title row, a header row, then one species or reaction per row.

openpyxl stores any string that starts with '=' as a formula, which is exactly what Excel does
when someone types the input rule `=> A`: the fixture keeps that trap on purpose.
"""

from openpyxl import Workbook


def workbook(species, reactions):
    book = Workbook()
    sheet = book.active
    sheet.title = "species"
    sheet.append(["Species"])
    sheet.append(["module", "ID", "name", "Yinit", "Ymax", "tau"])
    for row in species:
        sheet.append(row)
    sheet = book.create_sheet("reactions")
    sheet.append(["Reactions"])
    sheet.append(["module", "ID", "Rule", "Weight", "n", "EC50", "notes"])
    for row in reactions:
        sheet.append(row)
    return book


# A small hypertrophy-like network: an input stimulus, an AND gate with an inhibitor, an
# inhibition, names with spaces (in the name column) and hyphens, non-default parameters.
good = workbook(
    species=[
        ["input", "NE", "norepinephrine", 0, 1, 0.1],
        ["receptor", "b1AR", "beta1-adrenergic receptor", 0, 1, 0.1],
        ["signal", "cAMP", "cAMP", 0.1, 1, 0.5],
        ["signal", "PKA", "protein kinase A", 0, 1, 1],
        ["signal", "PKI", "PKA inhibitor", 0, 0.8, 1],
        ["output", "hypertrophy", "cell hypertrophy", 0, 1, 10],
        ["", "orphan", "not in any reaction", 0, 1, 1],
    ],
    reactions=[
        ["input", "r1", "=> NE", 0.6, 1.4, 0.5, "stimulus, typed in Excel as a formula"],
        ["", "r2", "NE => b1AR", 1, 1.4, 0.5],
        ["", "r3", "b1AR => cAMP", 0.9, 2, 0.4],
        ["", "r4", "cAMP & !PKI => PKA", 1, 1.4, 0.5, "gate"],
        ["", "r5", "!PKA => PKI", 1, 1.4, 0.5],
        ["", "r6", "PKA -> hypertrophy", 1, 1.4, 0.5, "new arrow syntax"],
        [],
        ["", "r7", "cAMP AND NOT PKI => hypertrophy", 0.5, 1, 0.3, "new gate syntax"],
    ],
)
good.save("netflux-model.xlsx")

# Mistakes a reader must locate: an unknown species, a rule without '=>', a weight above 1.
bad = workbook(
    species=[
        ["", "A", "A", 0, 1, 1],
        ["", "B", "B", 0, 1, 1],
    ],
    reactions=[
        ["", "r1", "A => C", 1, 1.4, 0.5],
        ["", "r2", "A B", 1, 1.4, 0.5],
        ["", "r3", "A => B", 1.5, 1.4, 0.5],
    ],
)
bad.save("netflux-bad.xlsx")
