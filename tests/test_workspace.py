"""Tests for thinksmall_kit/workspace.py: a real SQLite file, real child processes, no mocks."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _workspace_writer import SIZES, make_network

from thinksmall_kit.network import ROLES, DataError, Network
from thinksmall_kit.workspace import (
    APPLICATION_ID,
    ENV_VAR,
    MIGRATIONS,
    Migration,
    Workspace,
    WorkspaceError,
    open_workspace,
)

WRITER = Path(__file__).with_name("_workspace_writer.py")
REPO = Path(__file__).resolve().parent.parent


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edge_network() -> Network:
    """A small network touching every dtype edge the workspace must keep."""
    # Non-UTC input: a Europe/Berlin column, with nanoseconds (across a DST change).
    berlin = pd.Series(pd.to_datetime([
        "2025-03-01 10:00:00.123456789", "2025-03-30 03:30:00.000000000",
        "2025-01-01 01:00:00.000000001"]).tz_localize("Europe/Berlin"))
    return Network(
        platforms=pd.DataFrame({
            "platform": ["instagram", "newsletter"],
            "handle": ["@clay", ""],
            "followers": [12_000, 0],
            "minutes_per_week": [240.5, 0.0],
            "audience_fit": [0.25, np.nan],
            "purpose": ["sell mugs — and say hello", ""],
        }),
        contacts=pd.DataFrame({
            "contact_id": ["ana", "ben", "9001"],
            "display_name": ["Ana Ø", None, "Shop 9001"],
            "role": ["customer", "partner", "unknown"],
            # a non-UTC offset, an empty value, and a date
            "first_seen": ["2024-05-01T09:00:00+05:30", None, "2024-01-01T00:00:00Z"],
        }),
        interactions=pd.DataFrame({
            "timestamp": berlin,
            "platform": ["instagram", "offline", "instagram"],
            "contact_id": ["ana", None, "9001"],
            "direction": ["out", "in", "in"],
            "kind": ["dm", "email", "like"],
            "thread_id": ["t1", None, ""],
            "text": ["Hi 👋 'quoted' \"text\"\nsecond line", None, ""],
            "has_link": [True, False, False],
            "is_promotional": [False, True, False],
        }),
    )


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "folder" / "workspace.sqlite"


# --------------------------------------------------------------------------- round trips


def test_round_trip_keeps_every_value_and_dtype(ws_path: Path) -> None:
    """A network with NA text, NaN, NaT, categories, bools and non-UTC input comes back equal."""
    net = edge_network()
    with Workspace(ws_path) as ws:
        ws.save_network(net)
    with Workspace(ws_path) as ws:  # a new connection reads the file itself
        back = ws.load_network()
    assert back == net
    for name, table in net.tables().items():
        pd.testing.assert_frame_equal(back.tables()[name], table, check_exact=True)
    c, i = back.contacts, back.interactions
    assert c["first_seen"].isna().tolist() == [False, True, False]
    assert c.loc[0, "first_seen"] == pd.Timestamp("2024-05-01T03:30:00", tz="UTC")
    # sorted by time: the 1-nanosecond row first; "" became NA in the nullable text columns
    assert i["text"].isna().tolist() == [True, False, True]
    assert i["thread_id"].isna().tolist() == [True, False, True]
    assert i["kind"].tolist() == ["like", "dm", "email"]
    assert i["has_link"].tolist() == [False, True, False]
    assert i["timestamp"].iloc[0] == pd.Timestamp("2025-01-01T00:00:00.000000001", tz="UTC")
    assert np.isnan(back.platforms.loc[1, "audience_fit"])
    assert list(c["role"].cat.categories) == list(ROLES)


def test_round_trip_of_an_empty_network(ws_path: Path) -> None:
    """An empty network is still a network: saved, reported, and equal when loaded."""
    with Workspace(ws_path) as ws:
        assert not ws.has_network()
        ws.save_network(Network())
        assert ws.has_network()
        assert ws.load_network() == Network()
    with Workspace(ws_path) as ws:
        assert ws.load_network() == Network()


def test_saving_again_replaces_the_network(ws_path: Path) -> None:
    """The second save replaces every table; nothing of the first remains."""
    with Workspace(ws_path) as ws:
        ws.save_network(make_network("A"))
        ws.save_network(edge_network())
        assert ws.load_network() == edge_network()
    with Workspace(ws_path) as ws:
        assert ws.load_network() == edge_network()


def test_every_sample_persona_round_trips(ws_path: Path) -> None:
    """The sample personas (the lessons' data) come back equal, tags aside."""
    from thinksmall_kit import list_personas, load_persona

    names = list_personas()
    if not names:
        pytest.skip("no sample personas built yet (make personas)")
    with Workspace(ws_path) as ws:
        for name in names:
            net = load_persona(name)
            ws.save_network(net)
            with Workspace(ws_path) as fresh:  # read from the file, not remembered
                assert fresh.load_network() == net, name


def test_a_second_load_is_a_separate_copy(ws_path: Path) -> None:
    """Loading twice (answered without reading the file again) gives independent networks."""
    with Workspace(ws_path) as ws:
        ws.save_network(edge_network())
        first = ws.load_network()
        first.interactions.loc[0, "text"] = "edited by the learner"
        first.contacts.loc[0, "display_name"] = "Someone else"
        second = ws.load_network()
        assert second == edge_network()
        assert first.interactions.loc[0, "text"] == "edited by the learner"
        second.interactions.loc[1, "text"] = "edited again"
        assert ws.load_network() == edge_network()
        # Nor do edits to the network that was saved, after saving it.
        saved = edge_network()
        ws.save_network(saved)
        saved.interactions.loc[0, "text"] = "changed after saving"
        saved.contacts.loc[0, "role"] = "vendor"
        assert ws.load_network() == edge_network()
        assert ws.load_network(apply_tags=False) == edge_network()


def test_a_load_sees_every_write_since_the_last(ws_path: Path) -> None:
    """Writes through this workspace, or through another connection to the file, show at once."""
    with Workspace(ws_path) as ws:
        ws.save_network(edge_network())
        assert ws.load_network().contacts.loc[0, "role"] == "customer"
        ws.tag_role("ana", "fan")  # this connection
        assert ws.load_network().contacts.loc[0, "role"] == "fan"
        assert ws.load_network(apply_tags=False).contacts.loc[0, "role"] == "customer"
        with Workspace(ws_path) as other:  # another connection, as another notebook has
            other.save_network(make_network("A"))
        assert ws.load_network() == make_network("A")
        # Another process, too.
        subprocess.run([sys.executable, "-c", (
            "import sys; sys.path.insert(0, sys.argv[2]); "
            "from _workspace_writer import make_network; "
            "from thinksmall_kit.workspace import Workspace; "
            "Workspace(sys.argv[1]).save_network(make_network('B'))"),
            str(ws_path), str(WRITER.parent)], check=True, cwd=REPO)
        assert ws.load_network() == make_network("B")


def test_load_without_a_network_says_how_to_save_one(ws_path: Path) -> None:
    with Workspace(ws_path) as ws, pytest.raises(WorkspaceError,
                                                 match=r"ws\.save_network\(load_persona"):
        ws.load_network()


def test_save_network_wants_a_network(ws_path: Path) -> None:
    with Workspace(ws_path) as ws, pytest.raises(TypeError, match="expected a Network"):
        ws.save_network(edge_network().contacts)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tags and notes


def test_tags_and_notes_persist_and_tags_apply(ws_path: Path) -> None:
    """Role tags and notes survive close/reopen; load_network applies the tags."""
    net = edge_network()
    with Workspace(ws_path) as ws:
        ws.save_network(net)
        before = pd.Timestamp.now(tz="UTC")
        ws.tag_role("ben", "Friend")
        ws.tag_role("9001", "vendor")
        ws.tag_role("9001", "buyer")  # a second tag replaces the first
        first = ws.add_note("ana", "Asked about the workshop in May.")
        second = ws.add_note("ana", "Sent her the glaze recipe ✓")
        ws.add_note("ben", "Met at the market.")
    assert second == first + 1
    with Workspace(ws_path) as ws:
        tags = ws.role_tags()
        assert tags["contact_id"].tolist() == ["9001", "ben"]
        assert tags["role"].tolist() == ["buyer", "friend"]
        assert str(tags["tagged_at"].dtype) == "datetime64[ns, UTC]"
        assert (tags["tagged_at"] >= before.floor("s")).all()
        notes = ws.notes()
        assert notes.columns.tolist() == ["note_id", "contact_id", "text", "created_at"]
        assert notes["text"].tolist()[1] == "Sent her the glaze recipe ✓"
        assert ws.notes("ana")["note_id"].tolist() == [first, second]
        assert ws.notes("nobody").empty
        assert ws.load_network().contacts["role"].tolist() == ["customer", "friend", "buyer"]
        assert ws.load_network(apply_tags=False) == net
        assert ws.untag("ben") is True
        assert ws.untag("ben") is False
        assert ws.load_network().contacts["role"].tolist() == ["customer", "partner", "buyer"]


def test_tag_role_rejects_an_unknown_role_and_lists_the_valid_ones(ws_path: Path) -> None:
    with Workspace(ws_path) as ws:
        ws.save_network(edge_network())
        with pytest.raises(DataError) as err:
            ws.tag_role("ana", "influencer")
        assert "influencer" in str(err.value)
        assert ", ".join(ROLES) in str(err.value)
        assert ws.role_tags().empty


def test_unknown_contact_is_refused_with_a_suggestion(ws_path: Path) -> None:
    with Workspace(ws_path) as ws:
        ws.save_network(edge_network())
        with pytest.raises(DataError, match="did you mean 'ana'"):
            ws.tag_role("anna", "fan")
        with pytest.raises(DataError, match="not a contact"):
            ws.add_note("zed", "who?")
        with pytest.raises(DataError, match="non-empty"):
            ws.add_note("ana", "   ")
        assert ws.notes().empty


def test_closed_workspace_says_how_to_reopen(ws_path: Path) -> None:
    with Workspace(ws_path) as ws:
        pass
    assert "closed" in repr(ws)
    ws.close()  # twice is fine
    with pytest.raises(WorkspaceError, match="open_workspace"):
        ws.notes()


# --------------------------------------------------------------------------- where it lives


def test_path_precedence_argument_then_env_then_default(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The argument wins, then THINKSMALL_WORKSPACE, then ~/thinksmall/workspace.sqlite."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv(ENV_VAR, raising=False)
    with Workspace() as ws:
        assert ws.path == home / "thinksmall" / "workspace.sqlite"
    assert ws.path.is_file()

    monkeypatch.setenv(ENV_VAR, "~/elsewhere/env.sqlite")
    with Workspace() as ws:
        assert ws.path == home / "elsewhere" / "env.sqlite"
    with Workspace("~/given.sqlite") as ws:
        assert ws.path == home / "given.sqlite"
    with Workspace(tmp_path / "absolute.sqlite") as ws:
        assert ws.path == tmp_path / "absolute.sqlite"
    assert ws.path.is_file()


def test_open_workspace_prints_where_it_is_and_what_it_holds(
        ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_workspace(ws_path) as ws:
        ws.save_network(make_network("A"))
        ws.tag_role("c001", "fan")
        ws.add_note("c001", "x")
    assert capsys.readouterr().out == f"Workspace: {ws_path} (new)\n"
    with open_workspace(ws_path) as ws:
        assert str(ws_path) in repr(ws)
    _, n_contacts, n_events = SIZES["A"]
    assert capsys.readouterr().out == (
        f"Workspace: {ws_path} (network: {n_contacts} contacts, {n_events} interactions; "
        f"1 role tag; 1 note)\n")
    with Workspace(ws_path):
        pass
    assert capsys.readouterr().out == ""  # Workspace(...) itself stays quiet


def test_an_empty_file_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "touched.sqlite"
    path.touch()
    with Workspace(path) as ws:
        ws.save_network(edge_network())
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert con.execute("PRAGMA user_version").fetchone()[0] == MIGRATIONS[-1].version
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


# --------------------------------------------------------------------------- foreign files


def _random_bytes(path: Path) -> None:
    path.write_bytes(np.random.default_rng(0).bytes(8192))


def _text_file(path: Path) -> None:
    path.write_text("platform,handle\ninstagram,@clay\n")


def _foreign_sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE songs (title TEXT, artist TEXT)")
    con.execute("INSERT INTO songs VALUES ('Clay', 'Kiln')")
    con.commit()
    con.close()


def _other_app_id(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA application_id = 1234")
    con.commit()
    con.close()


def _newer_workspace(path: Path) -> None:
    with Workspace(path) as ws:
        ws.save_network(edge_network())
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()


def _fake_header(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 16)


@pytest.mark.parametrize(("make", "message"), [
    (_random_bytes, "not a SQLite database"),
    (_text_file, "not a SQLite database"),
    (_fake_header, "cannot be read"),
    (_foreign_sqlite, "another program .*tables songs"),
    (_other_app_id, "another program .*application id 1234"),
    (_newer_workspace, "(?s)newer Think Small Kit .*schema version 99.*upgrade"),
])
def test_a_file_that_is_not_a_usable_workspace_is_refused_and_untouched(
        tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "file.sqlite"
    make(path)
    before = sha256(path)
    with pytest.raises(WorkspaceError, match=message) as err:
        open_workspace(path)
    text = str(err.value)
    assert str(path) in text
    assert "expected" in text
    assert "open_workspace(" in text or ENV_VAR in text or "upgrade" in text
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.sqlite"]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="is a folder") as err:
        Workspace(tmp_path)
    assert ENV_VAR in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_location_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(WorkspaceError, match="cannot create the workspace"):
        Workspace(blocker / "workspace.sqlite")
    assert blocker.read_text() == "a file where a folder should be"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root may write anywhere")
def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(WorkspaceError, match="cannot"):
            Workspace(locked / "workspace.sqlite")
    finally:
        locked.chmod(0o700)


# --------------------------------------------------------------------------- damaged files


def _saved_workspace(path: Path) -> Path:
    with Workspace(path) as ws:
        ws.save_network(make_network("A"))
        ws.tag_role("c001", "fan")
        ws.add_note("c001", "met at the market")
    return path


def _sql(path: Path, statement: str) -> None:
    con = sqlite3.connect(path)
    con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.parametrize("fill", [bytes(4096), bytes(range(256)) * 16])
def test_a_damaged_page_is_reported_with_how_to_recover(tmp_path: Path, fill: bytes) -> None:
    """A page in the middle zeroed or overwritten: a WorkspaceError, not a raw sqlite3 error."""
    path = _saved_workspace(tmp_path / "file.sqlite")
    con = sqlite3.connect(path)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'interactions'"
                       ).fetchone()[0]
    con.close()
    assert 1 < root < path.stat().st_size // page_size  # a page in the middle of the file
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(fill[:page_size])
    before = sha256(path)
    with pytest.raises(WorkspaceError, match="looks damaged") as err, \
            open_workspace(path) as ws:
        ws.load_network()
    text = str(err.value)
    assert str(path) in text and "malformed" in text and ".recover" in text
    assert "move it aside" in text and ENV_VAR in text
    # the first error is the one reported, not the failed COMMIT after it
    assert isinstance(err.value.__cause__, sqlite3.DatabaseError)
    assert sha256(path) == before


@pytest.mark.parametrize("table", ["notes", "interactions", "network_info", "habit_checkins"])
def test_a_workspace_that_lost_a_table_is_refused_on_opening(tmp_path: Path, table: str) -> None:
    path = _saved_workspace(tmp_path / "file.sqlite")
    _sql(path, f"DROP TABLE {table}")
    before = sha256(path)
    with pytest.raises(WorkspaceError, match=f"looks damaged.*lost the kit's table {table}"
                       ) as err:
        open_workspace(path)
    assert ".recover" in str(err.value) and "move it aside" in str(err.value)
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.sqlite"]


def test_a_table_dropped_while_open_is_reported_and_nothing_changes(tmp_path: Path) -> None:
    path = _saved_workspace(tmp_path / "file.sqlite")
    with Workspace(path) as ws:
        _sql(path, "DROP TABLE role_tags")
        with pytest.raises(WorkspaceError, match=r"looks damaged.*no such table: role_tags"):
            ws.role_tags()
        with pytest.raises(WorkspaceError, match=r"looks damaged.*no such table: role_tags"):
            ws.load_network()
        with pytest.raises(WorkspaceError, match=r"(?s)looks damaged.*nothing was changed"):
            ws.tag_role("c002", "fan")
        assert not ws._connection().in_transaction
        assert ws.notes()["text"].tolist() == ["met at the market"]  # still usable


def test_a_failing_read_ends_its_transaction_and_keeps_its_own_error(ws_path: Path) -> None:
    """The read's cleanup never hides the error that stopped it."""
    with Workspace(ws_path) as ws:
        with pytest.raises(KeyError, match="the first error"), ws._read() as con:
            con.execute("ROLLBACK")  # as SQLite does by itself after some errors
            raise KeyError("the first error")
        with pytest.raises(ZeroDivisionError), ws._read() as con:
            con.execute("SELECT count(*) FROM notes")
            1 / 0  # noqa: B018
        assert not ws._connection().in_transaction
        ws.add_note("x", "still writable")  # no transaction left open
        with ws._write() as con:  # a read inside a write is part of it, not its end
            con.execute("DELETE FROM notes")
            assert ws.has_network() is False and ws.notes().empty
            assert ws._connection().in_transaction
        assert ws.notes().empty


@pytest.mark.parametrize(("statement", "read", "message"), [
    ("UPDATE interactions SET timestamp = 'yesterday' WHERE position = 3", "load_network",
     r"interactions\.timestamp is 'yesterday' in the row with position 3"),
    ("UPDATE contacts SET role = 'Customer' WHERE position = 2", "load_network",
     r"(?s)contacts\.role is 'Customer' in the row with position 2.*did you mean 'customer'"),
    ("UPDATE platforms SET followers = 'many' WHERE position = 1", "load_network",
     r"platforms\.followers is 'many' in the row with position 1"),
    ("UPDATE role_tags SET role = 'Customer'", "load_network",
     r"(?s)role_tags\.role is 'Customer' in the tag of contact_id 'c001'.*"
     r"ws\.tag_role\('c001', 'customer'\)"),
    ("UPDATE role_tags SET role = 'Customer'", "role_tags",
     r"role_tags\.role is 'Customer' in the tag of contact_id 'c001'"),
    ("UPDATE notes SET created_at = 'soon'", "notes",
     r"notes\.created_at is 'soon' in the note with note_id 1"),
])
def test_a_hand_edited_value_is_named_with_its_table_column_and_row(
        tmp_path: Path, statement: str, read: str, message: str) -> None:
    """Not a pandas ValueError, and never a value silently turned into NaN."""
    path = _saved_workspace(tmp_path / "file.sqlite")
    _sql(path, statement)
    before = sha256(path)
    with Workspace(path) as ws:
        with pytest.raises(WorkspaceError, match=message) as err:
            getattr(ws, read)()
        assert "expected:" in str(err.value) and "UPDATE " in str(err.value)
        if "role_tags" in statement:
            assert ws.load_network(apply_tags=False) == make_network("A")
    assert sha256(path) == before


def test_wrong_argument_types_name_the_argument(ws_path: Path) -> None:
    with Workspace(ws_path) as ws:
        ws.save_network(make_network("A"))
        ws.tag_role("c001", "fan")
        with pytest.raises(TypeError, match=r"notes: contact_id must be text.*got list"):
            ws.notes(["c001"])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"untag: contact_id must be text.*got list"):
            ws.untag(["c001"])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="apply_tags must be True or False, got str 'no'"):
            ws.load_network(apply_tags="no")  # type: ignore[arg-type]
        assert ws.load_network(apply_tags=np.bool_(False)) == make_network("A")
        assert len(ws.role_tags()) == 1  # nothing was untagged
    for wrong in (123, b"workspace.sqlite", ["workspace.sqlite"]):
        with pytest.raises(TypeError, match="path: expected the workspace file as text"):
            open_workspace(wrong)  # type: ignore[arg-type]


def test_an_empty_path_is_refused_rather_than_using_the_variable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """'' is refused (pass None for the variable); None still means variable, then default."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env.sqlite"))
    for empty in ("", "  "):
        with pytest.raises(WorkspaceError, match=r"(?s)is empty.*leave it out \(None\)"):
            open_workspace(empty)
    assert list(tmp_path.iterdir()) == []
    with open_workspace(None) as ws:
        assert ws.path == tmp_path / "from-env.sqlite"


# --------------------------------------------------------------------------- migrations


def test_an_older_file_is_upgraded_in_place_and_keeps_its_data(
        ws_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A schema-1 file (network only) gains the tag and note tables; the network stays."""
    net = edge_network()
    with monkeypatch.context() as m:
        m.setattr("thinksmall_kit.workspace.MIGRATIONS", MIGRATIONS[:1])
        with Workspace(ws_path) as ws:
            assert ws.schema_version == 1
            ws.save_network(net)
    con = sqlite3.connect(ws_path)
    assert "notes" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()
    with open_workspace(ws_path) as ws:
        assert ws.schema_version == MIGRATIONS[-1].version
        assert ws.load_network() == net
        ws.add_note("ana", "after the upgrade")
    latest = MIGRATIONS[-1].version
    assert (f"(upgraded from schema 1 to {latest}; network: 3 contacts"
            in capsys.readouterr().out)


def test_a_later_module_adds_its_table_through_a_migration(
        ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The extension point: append a Migration; existing files upgrade and keep their data."""
    with Workspace(ws_path) as ws:
        ws.save_network(edge_network())
        ws.add_note("ana", "kept")
    checkins = Migration(len(MIGRATIONS) + 1, "habit check-ins", (
        "CREATE TABLE checkins (day TEXT NOT NULL, habit TEXT NOT NULL)",
        "INSERT INTO checkins VALUES ('2025-03-01', 'reply to two comments')",
    ))
    monkeypatch.setattr("thinksmall_kit.workspace.MIGRATIONS", [*MIGRATIONS, checkins])
    with Workspace(ws_path) as ws:
        assert ws.schema_version == checkins.version
        assert ws.notes()["text"].tolist() == ["kept"]
        assert ws.load_network() == edge_network()
    con = sqlite3.connect(ws_path)
    assert con.execute("SELECT habit FROM checkins").fetchall() == [("reply to two comments",)]
    con.close()


def test_a_failing_migration_changes_nothing(
        ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All pending migrations run in one transaction: a broken one rolls every one back."""
    with Workspace(ws_path) as ws:
        ws.save_network(edge_network())
    version = MIGRATIONS[-1].version
    good = Migration(version + 1, "fine", ("CREATE TABLE plans (habit TEXT)",))
    bad = Migration(version + 2, "broken", ("CREATE TABLE oops (", ))
    monkeypatch.setattr("thinksmall_kit.workspace.MIGRATIONS", [*MIGRATIONS, good, bad])
    with pytest.raises(WorkspaceError, match="nothing was changed"):
        Workspace(ws_path)
    monkeypatch.undo()
    con = sqlite3.connect(ws_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == version
    assert "plans" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()
    with Workspace(ws_path) as ws:
        assert ws.load_network() == edge_network()


# --------------------------------------------------------------------------- real processes


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.12, 0.35, 0.8])
def test_a_killed_save_loses_nothing_saved_before(tmp_path: Path, delay: float) -> None:
    """SIGKILL during a save of B: the file is intact and holds A or B whole, never a mix."""
    path = tmp_path / "workspace.sqlite"
    child = subprocess.Popen([sys.executable, str(WRITER), "kill", str(path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=_child_env(), cwd=REPO)
    watchdog = threading.Timer(120, child.kill)
    watchdog.start()
    try:
        first = child.stdout.readline()  # type: ignore[union-attr]
        assert first == "saved\n", child.stderr.read()  # type: ignore[union-attr]
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate()
    finally:
        watchdog.cancel()
    assert child.returncode == -signal.SIGKILL, err
    committed_b = out.count("committed B")

    assert _integrity(path) == "ok"
    with Workspace(path) as ws:
        back = ws.load_network()
    counts = (len(back.platforms), len(back.contacts), len(back.interactions))
    assert counts in (SIZES["A"], SIZES["B"])
    if committed_b:  # B was reported saved before the kill: it must still be there
        assert back == make_network("B")
    else:
        assert back in (make_network("A"), make_network("B"))


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    """Two kernels, 2 x 200 tags and 2 x 200 notes (and a save) on one new file at once."""
    path = tmp_path / "shared" / "workspace.sqlite"
    n = 200
    children = [
        subprocess.Popen([sys.executable, str(WRITER), "concurrent", str(path), name, str(n),
                          save], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=_child_env(), cwd=REPO)
        for name, save in (("one", "1"), ("two", "0"))
    ]
    for child in children:
        assert child.stdout.readline() == "ready\n"  # type: ignore[union-attr]
    for child in children:  # both start at once, on a file neither has created yet
        child.stdin.write("go\n")  # type: ignore[union-attr]
        child.stdin.flush()  # type: ignore[union-attr]
    spans = []
    for child in children:
        out, err = child.communicate(timeout=180)
        assert (child.returncode, err) == (0, "")
        word, start, end = out.split()
        assert word == "done"
        spans.append((float(start), float(end)))
    # They really did run at the same time (otherwise this test proved nothing).
    assert max(s for s, _ in spans) < min(e for _, e in spans)

    assert _integrity(path) == "ok"
    with Workspace(path) as ws:
        notes = ws.notes()
        assert len(notes) == 2 * n
        for name in ("one", "two"):
            mine = notes.loc[notes["text"].str.startswith(name + " "), "text"]
            assert mine.tolist() == [f"{name} {i}" for i in range(n)]
        assert len(ws.role_tags()) == 60
        assert ws.load_network(apply_tags=False) == make_network("A")


def test_practice_keeps_the_learners_workspace_clean(tmp_path, capsys) -> None:
    """Without a network of the learner's own, practice goes to a file beside it."""
    from thinksmall_kit import load_persona

    own = tmp_path / "workspace.sqlite"
    sample = load_persona("organiser")
    with open_workspace(own, practice=sample) as ws:
        assert ws.path == tmp_path / "practice-workspace.sqlite"
        assert ws.load_network() == sample
        ws.tag_role(sample.contacts["contact_id"].iloc[0], "fan")
    assert "practice workspace" in capsys.readouterr().out
    # Another lesson practises on another sample: it replaces the practice network
    # (tags and the rest stay), so a review never compares the wrong data.
    later = load_persona("organiser", later=True)
    with open_workspace(own, practice=later) as ws:
        assert ws.load_network(apply_tags=False) == later
        assert len(ws.role_tags()) == 1
    with open_workspace(own, practice=sample) as ws:
        assert ws.load_network(apply_tags=False) == sample
    with open_workspace(own) as ws:
        assert not ws.has_network()
        mine = edge_network()
        ws.save_network(mine)
    with open_workspace(own, practice=sample) as ws:
        assert ws.path == own and ws.load_network() == mine
