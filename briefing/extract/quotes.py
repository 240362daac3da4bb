"""Direct quotes and their speakers.

For each paragraph: find the quotation spans (quotespans), group the paragraph's sentences so
that no quote is cut in two, then read each quote's clause for its speaker:

- after the quote:  '"...," X said' / '"...," said X, a fellow at Y' / '"..." according to X';
- before the quote: 'X said, "..."' / 'X criticized during a briefing, "..."' / a partial quote
  inside reported speech ('X described it as a "..."', partial=True);
- a second quote of the same sentence ('"...," he said, "..."' / ', adding, "..."') inherits
  the speaker of the first;
- a quote that is a whole sentence takes the speaker of the sentence before (a short one
  only right after an attributed quote of the same paragraph);
- after an opening 'According to X,': X's words (partial when reported speech comes first);
- a quote left open at the end of a paragraph whose next paragraph opens with a quotation
  mark runs to the paragraph's end (news style for quotes over several paragraphs).

Speakers are resolved within the document (resolve.DocumentActors): pronouns and short
forms to full names, titles kept apart, offices to their country. Quoted terms (a few words
and no speech verb, or a story term) are not quotes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Quote
from .actors import Gazetteer
from .parsed import ParsedDocument, Sentence
from .quotespans import Span
from .resolve import DocumentActors, Speaker
from .speakers import (
    AFTER_TOKENS,
    AFTER_WINDOW,
    MAX_WINDOW,
    Phrase,
    Token,
    has_speech_verb,
    lexicon,
    parse_after,
    parse_before,
    phrase_ending_at,
    tokenize,
)

MIN_WORDS = 2  # a one-word quote is a term ("hostile"), not a statement
MIN_PARTIAL_WORDS = 3  # a fragment inside reported speech: "described it as a 'x y z'"
MIN_SINGLE_PARTIAL_WORDS = 5  # single marks are scare quotes more often than not
MIN_STANDALONE_WORDS = 4  # a quote standing alone as a sentence
MIN_REPORTED_WORDS = 4  # a quote in a sentence whose subject speaks, with no speech verb
_SHORT_AFTER = 14  # tokens after a quote that hold a plain '," X said' attribution


@dataclass
class _Candidate:
    span: Span
    start: int  # offsets of the quoted words (trimmed)
    end: int
    words: int

    # Written out: compiled by mypyc, where the __init__ that @dataclass writes runs
    # interpreted (see docs/speed.md, "Constructors compiled").
    def __init__(self, span: Span, start: int, end: int, words: int) -> None:
        self.span = span
        self.start = start
        self.end = end
        self.words = words


def _trim(text: str, span: Span) -> tuple[int, int]:
    """The quoted words without surrounding spaces and a trailing comma."""
    start, end = span.inner_start, span.close
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _candidates(text: str, spans: Sequence[Span], gazetteer: Gazetteer) -> list[_Candidate]:
    found = []
    for span in spans:
        start, end = _trim(text, span)
        if end - start < 3:
            continue
        inner = text[start:end]
        words = inner.count(" ") + 1
        if words < MIN_WORDS or not any(c.isalpha() for c in inner[:200]):
            continue
        if words <= 6 and gazetteer.is_term(inner):
            continue
        found.append(_Candidate(span, start, end, words))
    return found


_LAST_WORD = re.compile(r"(\w+)\W*$")
_ACCORDING_TO = re.compile(r"[Aa]ccording to\b")


def _embedded(text: str, start: int, end: int) -> bool:
    """Whether a quote sits inside a clause ("described it as a '...'"), not after "X said,"."""
    before = text[max(start, end - 60) : end].rstrip()
    if not before or before[-1] in ",:" or not any(c.isalnum() for c in before):
        return False
    last = _LAST_WORD.search(before)
    return last is None or last.group(1).lower() not in lexicon().speech


def _title_case(words: str, heading: bool = False) -> bool:
    """Whether most words are capitalized ("The Evening Show with Ana Ruiz"), or, for a
    heading, whether two or more words are in capitals ("PORT TALKS RESUME")."""
    if heading:
        return sum(w.isupper() and len(w) > 1 for w in words.split()) >= 2
    long = [w for w in words.split() if len(w) > 3]
    return bool(long) and sum(w[:1].isupper() for w in long) * 10 >= len(long) * 6


def _only_punctuation(text: str, start: int, end: int) -> bool:
    return all(not c.isalnum() for c in text[start:end])


class _QuoteReader:
    """Reads the quotes of one document, paragraph by paragraph, in order."""

    def __init__(self, parsed: ParsedDocument, gazetteer: Gazetteer) -> None:
        self.parsed = parsed
        self.text = parsed.text
        self.gazetteer = gazetteer
        # The speakers resolved so far: this reader's own, made for this document.
        self.actors = DocumentActors(parsed, gazetteer)
        self.quotes: list[Quote] = []

    def read(self) -> list[Quote]:
        for index, spans in enumerate(self.parsed.spans):
            if spans:
                self._read_paragraph(index, spans)
        return self.quotes

    def _read_paragraph(self, index: int, spans: Sequence[Span]) -> None:
        candidates = _candidates(self.text, spans, self.gazetteer)
        if not candidates:
            return
        # Sentences and candidates are both in reading order: one moving index hands each
        # sentence its quotes (linear in the paragraph, however many quotes it holds).
        first, count = 0, len(candidates)
        sentences = self.parsed.sentences[index]
        for number, sentence in enumerate(sentences):
            while first < count and candidates[first].span.open < sentence.start:
                first += 1
            last = first
            while last < count and candidates[last].span.open < sentence.end:
                last += 1
            if last > first:
                following = sentences[number + 1] if number + 1 < len(sentences) else None
                quoted_next = (
                    last < count
                    and following is not None
                    and (candidates[last].span.open < following.end)
                )
                tail_end = following.end if following is not None and not quoted_next else None
                self._read_sentence(sentence, candidates[first:last], tail_end)
                first = last

    def _read_sentence(
        self, sentence: Sentence, candidates: list[_Candidate], tail_end: int | None
    ) -> None:
        """`tail_end`: the end of the next sentence of the paragraph when it holds no quote
        ('"Why now?" Ana Ruiz asked.' is split after the question mark)."""
        previous: Speaker | None = None
        clause_start = sentence.start
        for number, cand in enumerate(candidates):
            clause_end = (
                candidates[number + 1].span.open if number + 1 < len(candidates) else sentence.end
            )
            if clause_end == sentence.end and tail_end is not None and self._asks(cand, sentence):
                clause_end = tail_end
            found = self._attribute(sentence, cand, clause_start, clause_end, previous)
            if found is None:
                continue
            speaker, partial = found
            self._add(cand, speaker, partial)
            self.actors.attributed(sentence, speaker)
            previous = speaker
            clause_start = cand.span.close + 1

    def _attribute(
        self,
        sentence: Sentence,
        cand: _Candidate,
        clause_start: int,
        clause_end: int,
        previous: Speaker | None,
    ) -> tuple[Speaker, bool] | None:
        text = self.text
        before_start = max(clause_start, cand.span.open - MAX_WINDOW)
        after_end = min(clause_end, cand.span.close + 1 + AFTER_WINDOW)
        after = tokenize(text, cand.span.close + 1, after_end, _SHORT_AFTER)
        if len(after) == _SHORT_AFTER and any(t.text == "," for t in after):
            # '," said X, a research fellow at ...': read the whole appositive (tokens go on
            # where the first ones stopped: no token is read twice).
            after += tokenize(text, after[-1].end, after_end, AFTER_TOKENS - _SHORT_AFTER)
            after_read = True
        else:
            after_read = len(after) < _SHORT_AFTER  # the window ended before the limit
        phrase = parse_after(after)
        if phrase is not None:
            speaker = self._resolve(phrase, sentence, cand.span.open)
            if speaker is None:
                return None
            return speaker, _embedded(text, before_start, cand.span.open)
        if has_speech_verb(text, before_start, cand.span.open):
            found = self._introduced(sentence, cand, before_start, previous)
            if found is None:
                after = self._after(after, after_read, after_end)
                found = self._trailing(sentence, cand, after, before_start)
            if found is not None:
                return found
        elif _ACCORDING_TO.search(text, before_start, cand.span.open):
            return self._sourced(sentence, cand, before_start)
        elif _only_punctuation(text, before_start, cand.span.open) and _only_punctuation(
            text, cand.span.close + 1, after_end
        ):
            if cand.words < MIN_STANDALONE_WORDS and not self._goes_on(sentence, cand):
                return None
            speaker = previous or self.actors.previous_speaker(sentence)
            return (speaker, False) if speaker is not None else None
        after = self._after(after, after_read, after_end)
        found = self._trailing(sentence, cand, after, before_start)
        return found if found is not None else self._reported(sentence, cand, previous)

    def _resolve(
        self,
        phrase: Phrase,
        sentence: Sentence,
        offset: int,
        source_tokens: list[Token] | None = None,
        previous: Speaker | None = None,
    ) -> Speaker | None:
        """The speaker of a phrase; a pronoun the document cannot resolve keeps its own
        words ("he"): the quote is still someone's, and a guess could name the wrong one."""
        speaker = self.actors.resolve(phrase, sentence, offset, source_tokens, previous)
        if speaker is None and phrase.pronoun in self.actors.lex.person_pronouns:
            speaker = Speaker(phrase.text_in(self.text), person=True)
        return speaker

    def _after(self, after: list[Token], complete: bool, after_end: int) -> list[Token]:
        """The first AFTER_TOKENS tokens after the quote, given the first ones read
        (`complete`: they are all there are, or AFTER_TOKENS already)."""
        if complete:
            return after
        return after + tokenize(self.text, after[-1].end, after_end, AFTER_TOKENS - len(after))

    def _trailing(
        self, sentence: Sentence, cand: _Candidate, tokens: list[Token], before_start: int
    ) -> tuple[Speaker, bool] | None:
        """An attribution after a comma further on in the clause: '"..." and the port
        reopened on Monday, Ana Ruiz said.' / '... in May, said Ana Ruiz, a harbour pilot.'
        `tokens`: the first AFTER_TOKENS tokens after the quote, within the clause."""
        for c in range(1, len(tokens)):
            if tokens[c].text != ",":
                continue
            phrase = parse_after(tokens[c:])
            if phrase is not None:
                speaker = self._resolve(phrase, sentence, cand.span.open)
                if speaker is None:
                    return None
                return speaker, _embedded(self.text, before_start, cand.span.open)
        return None

    def _introducing_name(self, sentence: Sentence, cand: _Candidate) -> Speaker | None:
        """A speaker named right before a colon that opens the quote: 'Harbour pilot Ana
        Ruiz: "..."' / 'The vote did not surprise pollster Ana Ruiz: "..."'."""
        before = self.text[max(sentence.start, cand.span.open - MAX_WINDOW) : cand.span.open]
        if not before.rstrip().endswith(":"):
            return None
        start = cand.span.open - len(before)
        tokens = tokenize(self.text, start, start + len(before.rstrip()) - 1)
        if not tokens:
            return None
        phrase = phrase_ending_at(tokens, len(tokens) - 1, 0)
        if phrase is None or phrase.pronoun:
            return None
        return self.actors.resolve(phrase, sentence, cand.span.open)

    def _reported(
        self, sentence: Sentence, cand: _Candidate, previous: Speaker | None
    ) -> tuple[Speaker, bool] | None:
        """A quote inside a sentence with no attribution of its own: the words of the
        speaker of an earlier quote of the sentence ('X said it was a "y z" and a "..."'),
        else, when it is long enough to be more than a term, of the sentence's subject
        ('Ana Ruiz credited the vote to "a port that never closes"')."""
        if previous is not None:
            return previous, True
        named = self._introducing_name(sentence, cand)
        if named is not None:
            return named, False
        if cand.words < MIN_REPORTED_WORDS or cand.span.single:
            return None
        if _title_case(self.text[cand.start : cand.end]):
            return None  # the title of a show or a book, not someone's words
        speaker = self.actors.subject_of(sentence)
        if speaker is None:
            # A subject "she" that fits no one named before: her words all the same, kept
            # under the pronoun rather than given to a wrong name.
            words = self.actors.unresolved_subject(sentence)
            return (Speaker(words, person=True), True) if words else None
        if not self._named_subject(speaker):
            return None
        return speaker, True

    def _named_subject(self, speaker: Speaker) -> bool:
        """A subject that may speak without a speech verb: a person or a body named twice
        or by two words or more ("Ana Ruiz", "Ruiz" ... "Ruiz"), or a nominal ("the
        campaign"); a capitalized word opening a sentence once ("Signs") is not one, nor a
        heading in capitals."""
        name = speaker.name
        if _title_case(name, heading=True):
            return False
        return not name[:1].isupper() or len(name.split()) >= 2 or self.text.count(name) >= 2

    def _introduced(
        self, sentence: Sentence, cand: _Candidate, before_start: int, previous: Speaker | None
    ) -> tuple[Speaker, bool] | None:
        """A quote after its speaker and a speech verb: 'X said, "..."' / 'X called it "..."'."""
        clause = parse_before(tokenize(self.text, before_start, cand.span.open))
        if clause.has_verb:
            speaker = None
            if clause.subject is not None:
                speaker = self._resolve(
                    clause.subject, sentence, cand.span.open, clause.source_tokens, previous
                )
            elif previous is not None:
                speaker = previous
            if speaker is None:
                return None
            return speaker, not clause.introduced
        return None

    def _asks(self, cand: _Candidate, sentence: Sentence) -> bool:
        """A quote that ends its sentence with a question or exclamation mark: its
        attribution ('Ana Ruiz asked.') was split off as a sentence of its own."""
        inside = self.text[cand.span.inner_start : cand.span.close].rstrip()
        return inside[-1:] in ("?", "!") and not self.text[
            cand.span.close + 1 : sentence.end
        ].strip(" \"'\u201d\u2019")

    def _goes_on(self, sentence: Sentence, cand: _Candidate) -> bool:
        """A short quote that is a whole sentence right after an attributed quote of the same
        paragraph goes on with the same speaker ('"...," said X. "Nobody lost today."'); a
        short quote anywhere else is more likely a term."""
        ends_sentence = self.text[cand.end - 1 : cand.end] in (".", "!", "?")
        return ends_sentence and self.actors.quoted_just_before(sentence)

    def _sourced(
        self, sentence: Sentence, cand: _Candidate, before_start: int
    ) -> tuple[Speaker, bool] | None:
        """A quote after an opening 'According to X,': X's words, whole when the quote comes
        right after the comma, partial when reported speech stands between."""
        tokens = tokenize(self.text, before_start, cand.span.open)
        clause = parse_before(tokens)
        if clause.source is None or not clause.source_tokens:
            return None
        after_source = tokens.index(clause.source_tokens[-1]) + 1
        between = tokens[after_source:]
        if between and between[0].text != ",":
            return None  # "according to X and Y ...": not an opening adverbial of the quote
        partial = any(t.is_word for t in between)
        if partial and not any(t.capitalized for t in clause.source.tokens):
            return None  # "According to the survey, the 'x y z' stay": a term, not its words
        speaker = self.actors.resolve(clause.source, sentence, cand.span.open)
        if speaker is None:
            return None
        return speaker, partial

    def _add(self, cand: _Candidate, speaker: Speaker, partial: bool) -> None:
        minimum = MIN_WORDS
        if partial:
            minimum = MIN_SINGLE_PARTIAL_WORDS if cand.span.single else MIN_PARTIAL_WORDS
        if cand.words < minimum:
            return
        self.quotes.append(
            Quote(
                doc=self.parsed.doc.id,
                text=self.text[cand.start : cand.end],
                speaker=speaker.name,
                speaker_title=speaker.title,
                country=speaker.country,
                start=cand.start,
                end=cand.end,
                partial=partial,
                affiliation=speaker.affiliation,
                role=speaker.role,
            )
        )


def extract_quotes(parsed: ParsedDocument, gazetteer: Gazetteer) -> list[Quote]:
    """Every direct quote of the document with its speaker; offsets point into its text."""
    if not parsed.doc.paragraphs:
        return []
    return _QuoteReader(parsed, gazetteer).read()
