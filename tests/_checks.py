"""What the check tests share: run chosen checks on sentence pairs, and read back the flagged text."""
from mtcheck.checks import pairs_from_sentences, run_checks


def check_sentences(src, tgt, enabled=None, links=None, encoder=None, **run_options):
    """Pairs of English `src` and French `tgt` (strings or lists of sentences) with the
    `enabled` checks (default all) run on them; `run_options` go to `run_checks`."""
    src = [src] if isinstance(src, str) else src
    tgt = [tgt] if isinstance(tgt, str) else tgt
    pairs = pairs_from_sentences(src, tgt, links)
    failed = run_checks(pairs, src_lang="en", tgt_lang="fr", encoder=encoder, enabled=enabled, **run_options)
    # a check that raised flags nothing: a test expecting no flag would pass for that reason
    assert not failed, f"checks failed: {failed}"
    return pairs


def flagged(pairs, code=None):
    """The text under each flag's span (the translation when a flag has no span)."""
    return [(p.tgt if f.side != "src" else p.src)[f.span[0]:f.span[1]] if f.span else p.tgt
            for p in pairs for f in p.flags if code is None or f.code == code]
