"""The shared lake with the real parts: the catalog in PostgreSQL, the data files in an
S3-compatible server (moto), both started on 127.0.0.1 by these tests; two app servers on it."""

from __future__ import annotations

import multiprocessing
import os
import signal

from tests.test_store import _killed_mid_write, _threads, link_ids, rows
from upr_data import queries, store
from upr_data.filters import Filters


def test_the_bundled_data_in_postgres_and_s3(shared_lake, servers):
    _, s3 = servers
    store.replace_base(shared_lake, store.read_bundled())
    con = queries.connect(shared_lake)
    assert queries.count(con, Filters()) == 296
    bucket = os.environ["UPR_LAKE_DATA"].split("/")[2]
    keys = [o["Key"] for o in s3.client().list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert any(k.endswith(".parquet") for k in keys)


def test_eight_writers_in_two_processes_keep_every_row_once(shared_lake):
    store.replace_base(shared_lake, store.read_bundled())
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    procs = [context.Process(target=_threads, args=(shared_lake, p, start)) for p in range(2)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(180)
        assert p.exitcode == 0
    ids = link_ids(shared_lake)
    assert ids.count("E-shared") == 1
    assert len([i for i in ids if i.startswith("E-own")]) == 8


def test_a_writer_killed_mid_transaction_leaves_no_row(shared_lake):
    store.replace_base(shared_lake, store.read_bundled())
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    before, ids = store.version(shared_lake), link_ids(shared_lake)
    child = context.Process(target=_killed_mid_write, args=(shared_lake, ready))
    child.start()
    assert ready.wait(60)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert link_ids(shared_lake) == ids and store.version(shared_lake) == before
    store.append(shared_lake, {"evidence_links": rows(["E-after"])})
    assert link_ids(shared_lake)[-1] == "E-after"
