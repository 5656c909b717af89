from pipelines.scoring.commitments import Item, match, summarize


def item(start, end, trigger, actors, **kw):
    defaults = {"speaker": None, "targets": frozenset(), "modality": "intent", "negated": False,
                "status": "future", "domains": frozenset()}
    defaults.update(kw)
    return Item(start, end, trigger, actors=frozenset(actors), **defaults)


def test_match_requires_overlap_and_equal_actors():
    gold = [item(0, 10, 2, {"country:IDN"})]
    assert match(gold, [item(0, 10, 2, {"country:JPN"})], require_actors=True) == []
    assert match(gold, [item(20, 30, 22, {"country:IDN"})], require_actors=True) == []
    assert len(match(gold, [item(5, 15, 7, {"country:IDN"})], require_actors=True)) == 1


def test_match_is_one_to_one_by_nearest_trigger():
    gold = [item(0, 50, 5, {"a"}), item(0, 50, 30, {"a"})]
    predicted = [item(0, 50, 29, {"a"})]
    pairs = match(gold, predicted, require_actors=True)
    assert [(g.trigger, p.trigger) for g, p in pairs] == [(30, 29)]


def test_summary_counts_precision_recall_and_attributes():
    from pipelines.scoring.commitments import ArticleScore

    gold = [item(0, 10, 2, {"a"}, speaker="s"), item(20, 30, 22, {"b"})]
    predicted = [item(0, 10, 2, {"a"}, speaker="x"), item(40, 50, 42, {"c"})]
    score = ArticleScore("t", "id", "dev", gold, predicted, match(gold, predicted, True), match(gold, predicted, False))
    summary = summarize([score])
    assert summary["detection"]["precision"] == 0.5
    assert summary["detection"]["recall"] == 0.5
    assert summary["attributes"]["speaker"] == 0.0
    assert summary["attributes"]["modality"] == 1.0
