"""Staff sign-in: a growing delay after wrong passwords (per session and for the whole process),
a session that expires, the password never logged nor kept; a link full of bad values gives one
grouped notice, not one toast per value."""
from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from asemus_data.access import Throttle

PASSWORD = "correct horse battery staple"


class Clock:
    """A clock the test moves by hand (for the throttle's monotonic time and the sign-in time)."""

    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture()
def clock(monkeypatch):
    import ui
    from asemus_data import access
    c = Clock()
    monkeypatch.setattr(access.time, "monotonic", c)
    monkeypatch.setattr(ui.time, "time", c)
    ui.STAFF_THROTTLE.reset()
    yield c
    ui.STAFF_THROTTLE.reset()


def _login_app():
    import streamlit as st

    import ui
    st.write("staff" if ui.staff_login("pw") else "visitor")


def _app(monkeypatch, password=PASSWORD):
    monkeypatch.setenv("ASEMUS_STAFF_PASSWORD", password)
    return AppTest.from_function(_login_app).run()


def _try(at, password) -> tuple[str, str]:
    at.text_input(key="pw").input(password).run()
    assert not at.exception
    return at.markdown[0].value, " ".join(e.value for e in at.error)


def test_throttle_grows_and_resets():
    t = Throttle(free=3, base=1.0, cap=60.0)
    assert [t.delay(n) for n in range(8)] == [0, 0, 0, 1, 2, 4, 8, 16]
    assert t.delay(40) == 60.0
    for _ in range(3):
        t.failed("k", now=100.0)
    assert t.wait("k", now=100.0) == 1.0 and t.wait("k", now=101.5) == 0.0
    assert t.wait("other", now=100.0) == 0.0
    t.succeeded("k")
    assert t.wait("k", now=100.0) == 0.0


def test_wrong_passwords_slow_the_session_down(monkeypatch, clock):
    at = _app(monkeypatch)
    for _ in range(3):
        assert _try(at, "guess") == ("visitor", "Wrong password. The next try is checked in 1 s."
                                     if _ == 2 else "Wrong password.")
    # during the delay even the right password is refused, unchecked, with the time to wait
    who, msg = _try(at, PASSWORD)
    assert who == "visitor" and "wait 1 s" in msg and "not checked" in msg
    clock.t += 1.5
    who, msg = _try(at, "guess")                   # the 4th wrong one: now 2 s
    assert who == "visitor" and "2 s" in msg
    clock.t += 2.5
    assert _try(at, PASSWORD) == ("staff", "")


def test_forty_tries_in_27_seconds_check_only_a_few(monkeypatch, clock):
    """The issue's attack: 40 attempts in 27 s. Each is answered at once (no sleeping)."""
    at = _app(monkeypatch)
    checked = 0
    for _ in range(40):
        _who, msg = _try(at, "guess")
        checked += msg.startswith("Wrong password")
        clock.t += 27 / 40
    assert checked <= 7  # 3 free, then 1 s, 2 s, 4 s, 8 s... gaps


def test_new_sessions_do_not_reset_the_delay(monkeypatch, clock):
    """A script opening a fresh session per guess meets the process-wide delay."""
    for _ in range(10):
        assert _try(_app(monkeypatch), "guess")[0] == "visitor"
    who, msg = _try(_app(monkeypatch), PASSWORD)
    assert who == "visitor" and "wait" in msg
    clock.t += 2
    assert _try(_app(monkeypatch), PASSWORD)[0] == "staff"


def test_staff_session_expires(monkeypatch, clock):
    at = _app(monkeypatch)
    assert _try(at, PASSWORD)[0] == "staff"
    clock.t += 7.9 * 3600
    at.run()
    assert at.markdown[0].value == "staff"
    clock.t += 0.2 * 3600
    at.run()
    assert at.markdown[0].value == "visitor" and "expired" in " ".join(e.value for e in at.error)
    monkeypatch.setenv("ASEMUS_STAFF_SESSION_HOURS", "0.5")
    assert _try(at, PASSWORD)[0] == "staff"
    clock.t += 0.6 * 3600
    at.run()
    assert at.markdown[0].value == "visitor"


def test_password_is_never_logged_nor_kept(monkeypatch, clock, caplog):
    caplog.set_level(logging.DEBUG)
    at = _app(monkeypatch)
    _try(at, "my-wrong-" + PASSWORD)
    assert _try(at, PASSWORD)[0] == "staff"
    assert "wrong staff password" in caplog.text
    assert PASSWORD not in caplog.text
    assert not any(PASSWORD in repr(v) for v in at.session_state.values())


def test_a_link_with_1500_bad_values_gives_one_notice(built_store, clear_streamlit_caches):
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.query_params["country"] = ",".join(f"X{i:04d}" for i in range(1500))
    at.run()
    assert not at.exception
    assert len(at.toast) == 1 and at.toast[0].value.startswith("1,500 notices")
    infos = [i.value for i in at.sidebar.info]
    assert len(infos) == 1 and "and 1,495 more" in infos[0] and len(infos[0]) < 1500


def test_changing_the_password_ends_sessions_signed_in_with_the_old_one(monkeypatch, clock):
    at = _app(monkeypatch)
    assert _try(at, PASSWORD)[0] == "staff"
    monkeypatch.setenv("ASEMUS_STAFF_PASSWORD", "a new password after a leak")
    at.run()
    assert at.markdown[0].value == "visitor"
    assert "changed" in " ".join(e.value for e in at.error)
    assert not any("a new password" in repr(v) for v in at.session_state.values())
