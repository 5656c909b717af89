"""Greedy decoding of the trained NER in numpy: every region of a batch moves one token per step, together.

Why not spaCy's own loop: the trained ``ner`` is spaCy's transition-based parser with the BILUO moves, and its
greedy loop (``Parser.greedy_parse``) predicts and validates the moves of each state one at a time, in small
products. On the short regions ``ikrar_model_ner`` feeds it (about ten words each) that loop cost ~9 µs a word,
more than the tok2vec. In BILUO every move reads exactly one word, so all states of a batch are at the same word
at every step: one step is a handful of array operations over all of them.

What it computes is spaCy's model, read from the component's own layers (``TransitionBasedParser.v2`` with
``state_type = "ner"``):

- each word's vector goes through the parser's ``Linear`` and its precomputable affine, which gives, for each of
  the three feature slots, the word's contribution to the hidden layer (row 0 is the padding of an empty slot);
- a state's features are the current word, the first word of the open entity and the word before the current
  one (the last two only while an entity is open); their rows are summed with the bias, in that order, then
  maxout, then the output layer gives a score per move;
- the best-scoring valid move is taken, ties to the lowest move as in spaCy. A move is valid by spaCy's BILUO
  rules for a doc with no preset entities: B and I need a next word, I and L continue the open entity's label,
  B, U and O need no open entity, B and U never start on whitespace, and U without a label is never taken.

The sums run in the same order as spaCy's, in float32. The output layer's product runs on numpy's BLAS
instead of spaCy's, whose sums may round differently in the last bit; a score that close to a tie is rare
enough that dev predictions and the golden snapshot are unchanged (tests compare the two on real news).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy

# spaCy's BILUO move kinds (spacy.pipeline._parser_internals.ner), in its MOVE_NAMES order.
MISSING, BEGIN, IN, LAST, UNIT, OUT = range(6)
MOVE_KINDS = {"M": MISSING, "B": BEGIN, "I": IN, "L": LAST, "U": UNIT, "O": OUT}

Entity = tuple[int, int, str]  # token start, token end, label


@dataclass(frozen=True)
class Moves:
    """Each move class of the trained ner: its kind and its label (an index into ``labels``, -1 for none)."""

    kinds: numpy.ndarray
    label_ids: numpy.ndarray
    labels: tuple[str, ...]

    @classmethod
    def of(cls, ner) -> Moves:
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        labels = tuple(sorted({name.partition("-")[2] for name in names} - {""}))
        kinds, label_ids = [], []
        for name in names:
            kind, _, label = name.partition("-")
            kinds.append(MOVE_KINDS[kind])
            label_ids.append(labels.index(label) if label else -1)
        return cls(numpy.array(kinds), numpy.array(label_ids), labels)

    def validity_table(self) -> numpy.ndarray:
        """Valid moves by state code: ``code = (open_label + 1) * 4 + is_last * 2 + is_space``.

        ``open_label`` is the open entity's label index (-1: no entity open), ``is_last`` whether the word is the
        region's last, ``is_space`` whether it is whitespace. Shape (codes, moves), boolean.
        """
        table = numpy.zeros(((len(self.labels) + 1) * 4, len(self.kinds)), dtype=bool)
        labelled = self.label_ids >= 0
        for open_label in range(-1, len(self.labels)):
            for is_last in (0, 1):
                for is_space in (0, 1):
                    code = (open_label + 1) * 4 + is_last * 2 + is_space
                    if open_label < 0:
                        valid = (self.kinds == OUT) | (labelled & (
                            ((self.kinds == BEGIN) & (not is_last) & (not is_space))
                            | ((self.kinds == UNIT) & (not is_space))))
                    else:
                        same = self.label_ids == open_label
                        valid = same & (((self.kinds == IN) & (not is_last)) | (self.kinds == LAST))
                    table[code] = valid
        return table


def supports(ner) -> bool:
    """Whether ``ner`` is a model this decoder reproduces: greedy, BILUO, three features, an output layer."""
    model = ner.model
    if ner.cfg.get("beam_width", 1) != 1 or model.name != "parser_model" or not model.attrs.get("has_upper"):
        return False
    if model.attrs.get("unseen_classes"):
        return False
    lower = model.get_ref("lower")
    chain = model.get_ref("tok2vec").layers
    names = [layer.name for layer in chain]
    return (lower.name == "precomputable_affine" and lower.get_dim("nF") == 3
            and names[1:] == ["list2array", "linear"] and type(ner.moves).__name__ == "BiluoPushDown")


class GreedyNerDecoder:
    """The trained ner's predictions for many regions at once, from their tok2vec vectors."""

    def __init__(self, ner):
        if not supports(ner):
            raise ValueError("the ner is not a greedy BILUO parser with three features and an output layer")
        model = ner.model
        self.linear = model.get_ref("tok2vec").layers[-1]
        self.lower = model.get_ref("lower")
        upper = model.get_ref("upper")
        self.upper_weights = numpy.ascontiguousarray(upper.get_param("W").T)
        self.upper_bias = upper.get_param("b")
        self.bias = self.lower.get_param("b").reshape(-1)
        self.moves = Moves.of(ner)
        self.valid = self.moves.validity_table()
        self.n_pieces = self.lower.get_dim("nP")

    def __call__(self, vectors: list[numpy.ndarray], is_space: list[numpy.ndarray]) -> list[list[Entity]]:
        """Entities of each region, from its words' tok2vec vectors and whether each word is whitespace."""
        found: list[list[Entity]] = [[] for _ in vectors]
        lengths = numpy.array([len(v) for v in vectors], dtype=numpy.int64)
        if not lengths.any():
            return found
        # Longest regions first: the states still reading at step t are then a prefix of the batch.
        order = numpy.argsort(-lengths, kind="stable")
        lengths = lengths[order]
        lengths = lengths[lengths > 0]
        order = order[:len(lengths)]
        tokens = self.linear.predict(numpy.concatenate([vectors[i] for i in order]))
        # One row per word and feature slot, row 0 the padding: (words + 1, 3, hidden * pieces).
        rows = self.lower.predict(tokens)
        rows = rows.reshape(rows.shape[0], rows.shape[1], -1)
        spaces = numpy.concatenate([is_space[i] for i in order]).astype(numpy.int64)
        self._decode(rows, spaces, lengths, order, found)
        return found

    def _decode(self, rows: numpy.ndarray, spaces: numpy.ndarray, lengths: numpy.ndarray,
                order: numpy.ndarray, found: list[list[Entity]]) -> None:
        starts = numpy.concatenate([[0], numpy.cumsum(lengths)[:-1]])
        is_last = numpy.zeros(len(spaces), dtype=numpy.int64)
        is_last[starts + lengths - 1] = 1
        # With no entity open, a state's features are its word and two paddings: its move depends on the word
        # alone, so every word's is chosen at once. Only states inside an entity are scored step by step.
        closed_guess = self._best_moves(rows[1:, 0] + rows[0, 1] + rows[0, 2], is_last * 2 + spaces)
        open_label = numpy.full(len(lengths), -1, dtype=numpy.int64)
        entity_row = numpy.zeros(len(lengths), dtype=numpy.int64)  # row of the open entity's first word; 0: none
        kinds, label_ids = self.moves.kinds, self.moves.label_ids
        reading = len(lengths)
        for step in range(int(lengths[0])):
            while lengths[reading - 1] <= step:
                reading -= 1
            word = starts[:reading] + step  # index into the batch's words
            guess = closed_guess[word]
            inside = numpy.flatnonzero(open_label[:reading] >= 0)
            if len(inside):
                at = word[inside]
                features = rows[at + 1, 0] + rows[entity_row[inside], 1] + rows[at, 2]
                codes = (open_label[inside] + 1) * 4 + is_last[at] * 2 + spaces[at]
                guess[inside] = self._best_moves(features, codes)
            kind, label = kinds[guess], label_ids[guess]
            begins = numpy.flatnonzero(kind == BEGIN)
            open_label[begins] = label[begins]
            entity_row[begins] = word[begins] + 1
            for state in numpy.flatnonzero((kind == LAST) | (kind == UNIT)).tolist():
                first = entity_row[state] - 1 - starts[state] if kind[state] == LAST else step
                found[order[state]].append((int(first), step + 1, self.moves.labels[label[state]]))
            closes = numpy.flatnonzero(kind == LAST)
            open_label[closes] = -1
            entity_row[closes] = 0

    def _best_moves(self, features: numpy.ndarray, codes: numpy.ndarray) -> numpy.ndarray:
        """The best valid move of each state, from the sum of its feature rows and its validity code."""
        features += self.bias
        pieces = features.reshape(len(features), -1, self.n_pieces)
        hidden = pieces[:, :, 0]
        for piece in range(1, self.n_pieces):  # maxout, piece by piece: a reduction over 2 is slow in numpy
            hidden = numpy.maximum(hidden, pieces[:, :, piece])
        scores = hidden @ self.upper_weights
        scores += self.upper_bias
        scores[~self.valid[codes]] = -numpy.inf
        return scores.argmax(axis=1)
