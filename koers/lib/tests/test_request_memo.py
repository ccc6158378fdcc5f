"""Reads remembered for one reading request only (issue #18, "Speed")."""

from __future__ import annotations

import threading

from koers.lib.request_memo import reading_request, remembered


def counter():
    calls = []

    def load():
        calls.append(1)
        return len(calls)

    return calls, load


def test_outside_a_reading_request_every_call_loads():
    calls, load = counter()
    assert [remembered("k", load) for _ in range(3)] == [1, 2, 3]


def test_inside_one_the_first_load_is_shared_and_forgotten_at_the_end():
    calls, load = counter()
    with reading_request():
        assert [remembered("k", load) for _ in range(3)] == [1, 1, 1]
        assert remembered("other", load) == 2
        with reading_request():  # nested: the same memo
            assert remembered("k", load) == 1
    assert remembered("k", load) == 3, "the next request (or a write) reads again"
    with reading_request():
        assert remembered("k", load) == 4


def test_another_thread_never_sees_this_requests_memo():
    calls, load = counter()
    seen = []
    with reading_request():
        remembered("k", load)
        thread = threading.Thread(target=lambda: seen.append(remembered("k", load)))
        thread.start()
        thread.join()
    assert seen == [2]
