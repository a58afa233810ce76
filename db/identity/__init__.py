"""Who is who: everything that decides which names are one entity, in one package.

The words, used the same way everywhere:

- a name's **spelling** (``keys.normalise_name``: case, width, quotes and a leading "the" folded) and its
  **key** (``keys.entity_key``: the transliteration key of ``db.extract.names``, so Haniyeh / Haniyya meet);
- **linking** (``linking``): an extracted name finds its entity by key, or by an analyst's merge, else
  becomes a new entity; names the analyst split apart never link together again;
- a **merge proposal** (``proposals``): close but unequal keys, offered to the analyst, never applied alone;
  **keeping apart** rejects one for good (a ``split`` decision between the two keys);
- a **merge** and a **split** (``merge_split``), each one audited, undoable step remembered through
  re-extraction: by key in ``entity_decisions``, and for splits by spelling too (``spellings_apart``),
  because the people an analyst splits apart are often exactly those whose names share a key.

Entity corrections that are not about identity (delete a junk name, retype, rename) live with the other
corrections in ``db/corrections.py``.
"""
