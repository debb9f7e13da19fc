"""Every core: articles parsed in worker processes give the very records one process gives,
in input order, and the store gets each once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fogmap import pipeline
from fogmap.errors import InputError
from fogmap.records import RawDocument
from fogmap.settings import Settings
from fogmap.store import Store

pytestmark = pytest.mark.slow  # starts worker processes that load the model

FUSION = Path(__file__).parent / "fixtures" / "fusion"
SMALL_BATCHES = Settings(batch_size=2)


def _raws() -> list[RawDocument | InputError]:
    raws: list[RawDocument | InputError] = []
    for feed in sorted(FUSION.glob("*.jsonl")):
        for number, line in enumerate(feed.read_text().splitlines()):
            row = json.loads(line)
            raws.append(RawDocument(locator=f"{feed.name}:{number}", text=row["text"]))
    raws.insert(3, InputError("broken.txt", "empty file"))  # a file that could not be read
    raws.insert(5, RawDocument(locator="blank.txt", text=" \n "))  # read, but nothing to clean
    return raws


def test_two_workers_give_the_records_one_process_gives_in_order(nlp) -> None:
    alone = list(pipeline.extract(_raws(), nlp, "2021-08-30", SMALL_BATCHES, workers=1))
    pooled = list(pipeline.extract(_raws(), nlp, "2021-08-30", SMALL_BATCHES, workers=2))
    assert len(alone) == len(pooled) == 9  # cleaned by the workers, in order
    for one, other in zip(alone, pooled, strict=True):
        if isinstance(one, InputError):
            assert isinstance(other, InputError) and other.locator == one.locator
        else:
            assert not isinstance(other, InputError)
            assert other.to_dict() == one.to_dict()


def test_ingest_with_workers_stores_each_article_once(tmp_path: Path, nlp) -> None:
    store = Store.open(str(tmp_path / "f.db"))
    errors: list[InputError] = []
    report = pipeline.ingest(
        _raws(), store, lambda: nlp, "2021-08-30", SMALL_BATCHES, on_error=errors.append, workers=2
    )
    assert (report.stored, report.skipped, len(errors)) == (7, 2, 2)
    again = pipeline.ingest(_raws(), store, lambda: nlp, settings=SMALL_BATCHES, workers=2)
    assert (again.stored, again.unchanged) == (0, 7)
    store.close()


def test_a_dask_cluster_gives_the_records_one_process_gives(nlp) -> None:
    """A real distributed.LocalCluster of two worker processes."""
    from fogmap.engines import Engine

    alone = list(pipeline.extract(_raws(), nlp, "2021-08-30", SMALL_BATCHES, workers=1))
    clustered = list(
        pipeline.extract(
            _raws(), nlp, "2021-08-30", SMALL_BATCHES, workers=2, engine=Engine("dask")
        )
    )
    assert [type(r) for r in clustered] == [type(r) for r in alone]
    for one, other in zip(alone, clustered, strict=True):
        if not isinstance(one, InputError):
            assert not isinstance(other, InputError) and other.to_dict() == one.to_dict()


def test_a_dask_worker_killed_mid_batch_loses_nothing_and_writes_nothing_twice(
    tmp_path: Path, nlp
) -> None:
    import os
    import signal

    from fogmap.engines.dask import DaskPool
    from fogmap.pipeline import prepare

    articles = [
        prepare(raw).article for raw in _raws() if isinstance(raw, RawDocument) and raw.text.strip()
    ]
    with DaskPool(workers=2, settings=SMALL_BATCHES) as pool:
        expected = pool(articles)  # every worker has its pipeline loaded now
        waiting = pool.submit(articles)
        pids = pool._client.run(os.getpid)
        os.kill(next(iter(pids.values())), signal.SIGKILL)  # one worker dies mid-batch
        again = waiting()
    assert [d.to_dict() for d in again] == [d.to_dict() for d in expected]
    assert len(again) == len(articles)


def test_a_worker_process_lost_mid_batch_stops_the_run_with_one_clear_error(nlp) -> None:
    import os
    import signal

    from fogmap.engines.local import ProcessPool
    from fogmap.errors import EngineError
    from fogmap.pipeline import prepare

    articles = [
        prepare(raw).article for raw in _raws() if isinstance(raw, RawDocument) and raw.text.strip()
    ]
    with ProcessPool(2, SMALL_BATCHES) as pool:
        pool(articles)  # both workers have started
        waiting = pool.submit(articles)
        os.kill(next(iter(pool._pool._processes)), signal.SIGKILL)
        with pytest.raises(EngineError, match="run again to go on"):
            waiting()
