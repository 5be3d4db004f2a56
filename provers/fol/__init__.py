"""First-order logic: LINC's symbolic half.

Data flow, one module per step: `syntax` (formula values) → `parse` (NLTK / FOLIO / TPTP text
→ formulas, with error positions) → `printers` (formulas → each syntax) → `signature`
(symbols used two ways: strict or repair) → `backends` (Z3, Prover9, E behind one interface)
→ `portfolio` (several backends, disagreements) → `linc` (LINC's own pipeline, reproduced) /
`robust` (repairs for what LINC rejects) → `vote` (K-sample majority) → `datasets` / `eval`
(runs over FOLIO and LINC's recorded generations) → `cli` (``workbench logic``).
"""
