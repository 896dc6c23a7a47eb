"""Ingest: corpus/ documents → cleaned, offset-tracked passages (outputs/passages.parquet).

One module, one job:
- `encoding`   detect a text file's encoding (BOMs, UTF-16, UTF-8, GB18030, cp1251 vs kz1048, cp1252)
- `readers/`   one reader per format (txt/md, html, pdf, docx): bytes → source text + classified lines
- `cleaning`   inline cleaning of a line (markdown, HTML fragments, entities, invisible characters)
- `layout`     line roles (heading, list item, table row, footnote, page furniture), running headers
- `paragraphs` join lines into paragraphs (hard wraps, page breaks, footnotes, hyphenation)
- `segment`    sentence boundaries; splitting over-long paragraphs
- `passages`   passage ids, counts, offset maps; `passages_from_text` is the pure core
- `offsets`    `TrackedText` (cleaning that remembers source positions) and `to_source`
- `metadata`   corpus/metadata.csv parsing and row checks
- `stage`      the DVC stage: validate everything, then write atomically; `cli` its commands
"""
