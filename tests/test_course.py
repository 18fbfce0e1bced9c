"""The nbgrader course end to end: student versions, validate, grading a class (hostile too).

Most checks run on a tiny two-assignment course built in tmp_path (tests/fixtures/
coursework.py) to stay fast; the same checks are parametrised over every real
assignment found in exercises/source/, so a new exercise is covered as soon as it exists.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, tool
from fixtures import coursework as cw

from thinksmall_kit import course as C

COURSE = ROOT / "exercises"
REAL = C.list_assignments(COURSE)
EXPORT_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
                  "email", "raw_score", "late_submission_penalty", "score", "max_score"]

# Plausible wrong answers for every autograded question of the real assignments:
# {assignment: {answer grade_id: [code replacing the solution region, ...]}}.
# Each must fail a visible or hidden test that follows the answer. A new exercise needs
# its entry here (test_every_real_question_has_a_wrong_answer says which).
REAL_WRONG: dict[str, dict[str, list[str]]] = {
    "01-numbers-vs-relationships": {
        "most_followed": [
            # the least followed platform instead of the most
            'platforms = net.platforms\n'
            'return str(platforms.loc[platforms["followers"].idxmin(), "platform"])'],
        "conversation_rate": [
            # every incoming event (likes too) counted as conversation
            'ev = net.interactions[net.interactions["platform"] == platform]\n'
            'received = (ev["direction"] == "in").sum()\n'
            'posts = ((ev["direction"] == "out") & (ev["kind"] == "post")).sum()\n'
            'return float(received / max(posts, 1))',
            # divided by the posts even when there are none
            'ev = net.interactions[net.interactions["platform"] == platform]\n'
            'received = ((ev["direction"] == "in") & ev["kind"].isin(["comment", "reply"])).sum()\n'
            'posts = ((ev["direction"] == "out") & (ev["kind"] == "post")).sum()\n'
            'return float(received / posts)'],
        "quiet_crowds": [
            # threshold of 80% instead of 90%
            't = tsk.engagement(net).table\n'
            'quiet = (t["followers"] >= 500) & (t["latent_ties"] >= 0.8 * t["followers"])\n'
            'return sorted(t.index[quiet])',
            # more than 90% instead of at least 90%
            't = tsk.engagement(net).table\n'
            'quiet = (t["followers"] >= 500) & (t["latent_ties"] > 0.9 * t["followers"])\n'
            'return sorted(t.index[quiet])'],
        "two_way_people": [
            # people heard from, not people heard from AND written to
            'ev = net.interactions.dropna(subset=["contact_id"])\n'
            'return int(ev.loc[ev["direction"] == "in", "contact_id"].nunique())'],
    },
    "02-audit-your-networks": {
        "weekly_hours": ['return float(net.platforms["minutes_per_week"].sum())'],  # minutes
        "keepers": ["return tsk.audit(net).keep"],  # ignores keep
        "freed_hours": [
            "return tsk.audit(net, keep=keep).kept_minutes / 60",  # kept, not cut
            "return tsk.audit(net, keep=keep).freed_minutes"],  # minutes, not hours
        "tribe_first": ["return tsk.audit(net).keep"],  # weights left at the defaults
        "most_within_budget": [
            # the first keep that no longer fits, instead of the last one that does
            "for k in range(1, len(net.platforms) + 1):\n"
            "    if tsk.audit(net, keep=k).kept_minutes > budget_minutes:\n"
            "        return k\n"
            "return len(net.platforms)",
            # every platform kept is never tried
            "best = 0\n"
            "for k in range(1, len(net.platforms)):\n"
            "    if tsk.audit(net, keep=k).kept_minutes <= budget_minutes:\n"
            "        best = k\n"
            "return best",
            # under the budget instead of at most the budget
            "best = 0\n"
            "for k in range(1, len(net.platforms) + 1):\n"
            "    if tsk.audit(net, keep=k).kept_minutes < budget_minutes:\n"
            "        best = k\n"
            "return best"],
    },
    "03-map-your-tribe": {
        "q1-answer": [
            "return tsk.tribe(net).table.index[-n:].tolist()",  # the weakest ties
            "return tsk.tribe(net).table.index[1:n + 1].tolist()"],  # the top one skipped
        "q2-answer": [
            # no contact at all counted as perfectly reciprocal
            "low, high = np.minimum(n_in, n_out), np.maximum(n_in, n_out)\n"
            "return np.where(high > 0, low / np.where(high > 0, high, 1), 1.0)"],
        "q3-answer": [  # any layer
            't = tribe.table\nreturn t[t["status"] == "red"].index.tolist()'],
        "q4-answer": [
            # the HHI itself instead of its inverse
            'counts = table["n_in"] + table["n_out"]\n'
            "p = counts / counts.sum()\n"
            "return float((p**2).sum())"],
    },
    "04-converse-dont-post": {
        "q1-answer": [
            # the best, not the worst
            'busy = talk.table.drop(index="all")\n'
            'busy = busy[busy["messages_in"] >= 100]\n'
            'worst_platform = busy["reply_ratio"].idxmax()'],
        "q2-answer": [  # everyone written to first, pitch or not
            'instagram_pitch_first = int(talk.table.loc["instagram", "first_messages"])'],
        "q3-answer": [
            # nothing removed
            "my_rules = tsk.PromotionRules()\n"
            "my_agreement = tsk.promotion_agreement(net, rules=my_rules).agreement",
            # the right phrase removed, the agreement stored as a percentage
            'culprit = check.disagreements["sales_word"].mode()[0]\n'
            "my_rules = tsk.PromotionRules()\n"
            "my_rules.sales_words.remove(culprit)\n"
            "my_agreement = tsk.promotion_agreement(net, rules=my_rules).agreement * 100"],
        "q4-answer": [
            'my_post = "New bowls in the shop! 20% off every bowl https://example.com"'],
    },
    "05-give-first": {
        "q1-answer": ["return gives / max(asks, 1)"],  # a ratio, not a share
        "q2-answer": [  # the least asked
            'most_asked_role = str(talk.contacts.groupby("role", observed=True)'
            '["asks"].sum().idxmin())'],
        "q3-answer": [
            # or instead of and
            'one_sided = talk.contacts[(talk.contacts["received"] >= 5) | '
            '(talk.contacts["given"] == 0)]',
            # the received >= 5 condition forgotten
            'one_sided = talk.contacts[talk.contacts["given"] == 0]'],
        "q4-answer": [
            'plan = tsk.give_first_plan(net, n=5, max_layer=15, as_of="2025-10-01")',  # five
            "plan = tsk.give_first_plan(net, n=3, max_layer=15)"],  # the date left out
    },
    "06-small-habits": {
        "q1-answer": ["m = 0.5 ** (1 / 13)\nreturn m ** n"],  # the decay, not the growth
        "q2-answer": ['my_recipe = tsk.recipe("open my laptop", "ask", "Orla Wexcombe")'],
        "q3-answer": [
            # one week instead of two
            "plan = tsk.plan_habits(tribe, minutes_per_day=4, weeks=1, "
            'rest_days=("sat", "sun"), seed=7)',
            # the seed left out
            'plan = tsk.plan_habits(tribe, minutes_per_day=4, weeks=2, rest_days=("sat", "sun"))'],
        "q4-answer": ['return float(plan.table["minutes"].mean())'],  # mean, not total
        "q5-answer": [
            # the rest day forgotten
            "progress = tsk.habit_progress(log)\n"
            'return int((progress.table["status"] == "not_done").sum())'],
    },
    "07-review-and-grow": {
        "q1-answer": [  # reversed
            'return float(after.platforms["minutes_per_week"].sum()\n'
            '             - before.platforms["minutes_per_week"].sum())'],
        "q2-answer": [
            # worse instead of better
            "review = tsk.review(before, after)\n\n\n"
            "def improved(review):\n"
            '    return review.table.index[review.table["verdict"] == "worse"].tolist()',
            # sorted instead of in the table's order
            "review = tsk.review(before, after)\n\n\n"
            "def improved(review):\n"
            '    return sorted(review.table.index[review.table["verdict"] == "better"])'],
        "q3-answer": [
            # the mean of per-person ratios instead of the weighted sum
            'i = net.interactions[net.interactions["contact_id"].notna()]\n'
            'counts = pd.crosstab(i["contact_id"], i["direction"].astype(str))\n'
            'counts = counts.reindex(columns=["in", "out"], fill_value=0)\n'
            "return float((counts.min(axis=1) / counts.max(axis=1)).mean())",
            # totals over everything, broadcasts included, instead of per person
            'n_in = int((net.interactions["direction"] == "in").sum())\n'
            'n_out = int((net.interactions["direction"] == "out").sum())\n'
            "return min(n_in, n_out) / max(n_in, n_out)"],
        "q4-answer": [
            # red only, yellow forgotten
            "t = tribe.table\n"
            'inner = (t["layer"] <= max_layer).fillna(False).astype(bool)\n'
            'return int((inner & (t["status"] == "red")).sum())'],
    },
}

# Other correct answers (a learner's natural variants): each must get full marks on every
# autograded question of its assignment. {assignment: {answer grade_id: [code, ...]}}
REAL_RIGHT: dict[str, dict[str, list[str]]] = {
    "01-numbers-vs-relationships": {
        "conversation_rate": [
            'ev = net.interactions[net.interactions["platform"] == platform]\n'
            'received = ((ev["direction"] == "in") & ev["kind"].isin(["comment", "reply"])).sum()\n'
            'posts = ((ev["direction"] == "out") & (ev["kind"] == "post")).sum()\n'
            "return float(received / posts) if posts else float(received)"],
        "quiet_crowds": [
            "t = tsk.engagement(net).table\n"
            't = t[(t["followers"] >= 500) & (t["latent_ties"] / t["followers"] >= 0.9)]\n'
            "return sorted(t.index)"],
    },
    "02-audit-your-networks": {
        "most_within_budget": [
            "fits = [k for k in range(1, len(net.platforms) + 1)\n"
            "        if tsk.audit(net, keep=k).kept_minutes <= budget_minutes]\n"
            "return max(fits, default=0)"],
    },
    "03-map-your-tribe": {
        # divides 0 by 0 before np.where picks 0: the warning must not cost points
        "q2-answer": ["low, high = np.minimum(n_in, n_out), np.maximum(n_in, n_out)\n"
                      "return np.where(high > 0, low / high, 0.0)"],
    },
    "04-converse-dont-post": {
        "q2-answer": ["m = talk.messages\n"
                      'instagram_pitch_first = int((m["first_message"] & m["promotional"]\n'
                      '                             & (m["home"] == "instagram")).sum())'],
    },
    "05-give-first": {
        "q3-answer": ['one_sided = talk.contacts.query("received >= 5 and given == 0")'],
    },
    "06-small-habits": {
        "q1-answer": ["m = 0.5 ** (1 / 13)\n"
                      "score = 0.0\n"
                      "for _ in range(n):\n"
                      "    score = score * m + 1 * (1 - m)\n"
                      "return score"],
    },
    "07-review-and-grow": {
        "q2-answer": ["review = tsk.review(before, after)\n\n\n"
                      "def improved(review):\n"
                      '    return [m for m, v in review.table["verdict"].items()\n'
                      '            if v == "better"]'],
        "q3-answer": ['i = net.interactions.dropna(subset=["contact_id"])\n'
                      'counts = i.groupby([i["contact_id"].astype(str),\n'
                      '                    i["direction"].astype(str)]).size()\n'
                      "counts = counts.unstack(fill_value=0).reindex(columns=['in', 'out'], "
                      "fill_value=0)\n"
                      "return float(counts.min(axis=1).sum() / counts.max(axis=1).sum())"],
    },
}


def run_cli(*args, timeout=600):
    return subprocess.run([tool("thinksmall"), "course", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout)


def read_csv(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def row(report, student, assignment=cw.A1):
    t = report.table
    found = t[(t["student"] == student) & (t["assignment"] == assignment)]
    assert len(found) == 1, t.to_string()
    return found.iloc[0]


# ----------------------------------------------------------------- the tiny course


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    course = cw.make_course(tmp_path_factory.mktemp("tiny") / "course")
    C.build(course)
    return course


def nb_of(folder, name):
    return nbformat.read(folder / name / f"{name}.ipynb", as_version=4)


def solution_and_hidden_lines(source_nb) -> dict[str, list[str]]:
    """Per cell grade id: the lines a student must not see (solution and hidden-test bodies)."""
    secret = {}
    for gid, cell in cw.cells_by_id(source_nb).items():
        lines = []
        for begin, end in (("### BEGIN SOLUTION", "### END SOLUTION"),
                           ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")):
            inside = False
            for line in cell.source.splitlines():
                if begin in line:
                    inside = True
                elif end in line:
                    inside = False
                elif inside and line.strip() and not line.strip().startswith("#"):
                    lines.append(line.strip())
        secret[gid] = lines
    return secret


def check_release(source_nb, release_nb, name):
    text = json.dumps(release_nb)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text, f"{name}: the student version still contains {marker!r}"
    released = cw.cells_by_id(release_nb)
    for gid, lines in solution_and_hidden_lines(source_nb).items():
        assert gid in released, f"{name}: cell {gid} is missing from the student version"
        for line in lines:
            assert line not in released[gid].source, (
                f"{name}: cell {gid} of the student version shows {line!r}")
    assert not any(c.get("outputs") for c in release_nb.cells if c.cell_type == "code")


def check_visible_tests(source_nb, release_nb, name):
    released = cw.cells_by_id(release_nb)
    for answer, tests in cw.tests_after(source_nb).items():
        visible = [t for t in tests if released[t].metadata["nbgrader"].get("points", 0) > 0
                   and any(line.strip() and not line.strip().startswith("#")
                           for line in released[t].source.splitlines())]
        assert visible, f"{name}: answer {answer} has no visible test after it ({tests})"


def test_build_writes_student_versions_without_secrets(tiny):
    for name in (cw.A1, cw.A2):
        check_release(nb_of(tiny / "source", name), nb_of(tiny / "release", name), name)
        check_visible_tests(nb_of(tiny / "source", name), nb_of(tiny / "release", name), name)
    stub = cw.cells_by_id(nb_of(tiny / "release", cw.A1))["double"].source
    assert "raise NotImplementedError()" in stub and "def double(x):" in stub
    assert not (tiny / "gradebook.db").exists(), "build must not write the course's gradebook"


def test_check_catches_a_hidden_test_left_visible(tiny):
    source, release = nb_of(tiny / "source", cw.A1), nb_of(tiny / "release", cw.A1)
    leaky = nb_of(tiny / "release", cw.A1)
    cw.cells_by_id(leaky)["test_double"].source += (
        "\nassert double(-3) == -6, 'negative numbers too'")
    with pytest.raises(AssertionError, match="shows"):
        check_release(source, leaky, "leaky")
    no_test = nb_of(tiny / "release", cw.A1)
    cw.cells_by_id(no_test)["test_total"].source = "# nothing checked here"
    with pytest.raises(AssertionError, match="no visible test"):
        check_visible_tests(source, no_test, "no_test")
    check_release(source, release, "fine")


def test_build_check_reports_stale_then_build_fixes_it(tmp_path):
    course = cw.make_course(tmp_path / "course")
    assert C.build(course, check=True).changed == [cw.A1, cw.A2]
    assert not (course / "release").exists(), "--check must write nothing"
    assert C.build(course).changed == [cw.A1, cw.A2]
    assert C.build(course, check=True).changed == []
    path = course / "source" / cw.A2 / f"{cw.A2}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += " (revised)"
    nbformat.write(nb, str(path))
    out = run_cli("build", "--check", "--course", course)
    assert out.returncode == 1 and cw.A2 in out.stdout and "thinksmall course build" in out.stdout
    assert run_cli("build", "--course", course).returncode == 0
    assert C.build(course, check=True).changed == []
    shutil.rmtree(course / "source" / cw.A2)
    C.build(course)
    assert not (course / "release" / cw.A2).exists(), "a removed assignment leaves release/"


# ----------------------------------------------------------------- validate


def answered_file(tiny, tmp_path, wrong=None, name="nb.ipynb"):
    nb = cw.answered(nb_of(tiny / "release", cw.A1), nb_of(tiny / "source", cw.A1), wrong)
    return cw.write_nb(tmp_path / name, nb)


def test_validate_passes_a_correct_notebook(tiny, tmp_path):
    report = C.validate(answered_file(tiny, tmp_path), course=tiny, timeout=20)
    assert report.ok
    assert dict(zip(report.table["question"], report.table["status"], strict=True)) == {
        "test_double": "pass", "test_total": "pass", "reflection": "manual"}
    assert "2 of 2 checks pass" in report.summary()


def test_validate_names_the_failing_question_with_its_message(tiny, tmp_path):
    path = answered_file(tiny, tmp_path, {"double": "return x * 3"})
    out = run_cli("validate", path, "--course", tiny)
    assert out.returncode == 1, out.stdout + out.stderr
    assert re.search(r"FAIL\s+test_double \(2 points\): AssertionError: double\(2\) should be 4",
                     out.stdout), out.stdout
    assert re.search(r"pass\s+test_total", out.stdout)
    assert "1 of 2 checks pass" in out.stdout
    assert "Kernel" not in out.stderr, "kernel chatter leaks to the learner"


def test_validate_flags_an_edited_test_cell_and_still_checks_the_rest(tiny, tmp_path):
    nb = cw.answered(nb_of(tiny / "release", cw.A1), nb_of(tiny / "source", cw.A1))
    cw.cells_by_id(nb)["test_double"].source = "assert True"
    report = C.validate(cw.write_nb(tmp_path / "e.ipynb", nb), course=tiny, timeout=20)
    status = dict(zip(report.table["question"], report.table["status"], strict=True))
    assert status == {"test_double": "changed", "test_total": "pass", "reflection": "manual"}
    assert not report.ok and "edited" in report.summary()


def test_validate_blank_student_version_fails_with_a_hint(tiny):
    report = C.validate(tiny / "release" / cw.A1 / f"{cw.A1}.ipynb", course=tiny, timeout=20)
    messages = dict(zip(report.table["question"], report.table["message"], strict=True))
    assert messages["test_double"].startswith("NotImplementedError")
    assert "replace `raise NotImplementedError()`" in messages["test_double"]
    assert not report.ok


@pytest.mark.parametrize("make, expected", [
    (lambda p: p, "no such file"),
    (lambda p: (p.write_text("hello"), p)[1], "not a Jupyter notebook"),
    (lambda p: (p.write_text("{nope"), p)[1], "cannot be read as a notebook"),
    (lambda p: (p.write_text('{"cells": []}'), p)[1], "no graded cells"),
], ids=["missing", "text-file", "invalid-json", "no-graded-cells"])
def test_validate_clear_errors(tmp_path, make, expected):
    name = "notes.txt" if expected == "not a Jupyter notebook" else "x.ipynb"
    path = make(tmp_path / name)
    with pytest.raises(C.CourseError, match=expected):
        C.validate(path)


# ----------------------------------------------------------------- grade: errors


def test_grade_clear_errors(tiny, tmp_path):
    out = run_cli("grade", tmp_path / "nowhere", "--out", tmp_path / "o", "--course", tiny)
    assert out.returncode == 2 and "no such folder" in out.stderr
    (tmp_path / "empty").mkdir()
    out = run_cli("grade", tmp_path / "empty", "--out", tmp_path / "o", "--course", tiny)
    assert out.returncode == 2 and "no submissions" in out.stderr
    (tmp_path / "file.txt").write_text("x")
    out = run_cli("grade", tmp_path / "file.txt", "--out", tmp_path / "o", "--course", tiny)
    assert out.returncode == 2 and "not a folder" in out.stderr
    cw.write_nb(tmp_path / "class" / "ann" / cw.A1 / f"{cw.A1}.ipynb", nb_of(tiny / "release",
                                                                         cw.A1))
    out = run_cli("grade", tmp_path / "class", "--out", tmp_path / "o", "--course", tiny,
                  "--assignment", "nope")
    assert out.returncode == 2 and "unknown assignment 'nope'" in out.stderr
    assert cw.A1 in out.stderr
    (tmp_path / "odd" / "bob" / "homework").mkdir(parents=True)
    (tmp_path / "odd" / "bob" / "homework" / "x.ipynb").write_text("{}")
    out = run_cli("grade", tmp_path / "odd", "--out", tmp_path / "o", "--course", tiny)
    assert out.returncode == 2 and "no notebook of any assignment" in out.stderr
    assert "'homework' is not an assignment" in out.stderr


def test_grade_checks_every_input_before_making_out(tiny, tmp_path):
    """A mistake leaves no --out folder behind and prints no traceback."""
    (tmp_path / "empty").mkdir()
    out = run_cli("grade", tmp_path / "empty", "--out", tmp_path / "o", "--course", tiny)
    assert out.returncode == 2 and "no submissions" in out.stderr
    (tmp_path / "taken.txt").write_text("x")
    for given, says in ((tmp_path / "taken.txt", "is a file, not a folder"),
                        (tmp_path / "taken.txt" / "o", "is inside")):
        out = run_cli("grade", tmp_path / "empty", "--out", given, "--course", tiny)
        assert out.returncode == 2 and says in out.stderr, out.stderr
        assert "Traceback" not in out.stderr and "choose another --out" in out.stderr
    cw.write_nb(tmp_path / "class" / "ann" / cw.A1 / f"{cw.A1}.ipynb", nb_of(tiny / "release",
                                                                         cw.A1))
    for flags, says in ((["--timeout", "nan"], "--timeout must be a number of seconds"),
                        (["--timeout", "inf"], "--timeout must be a number of seconds"),
                        (["--hard-limit", "-1"], "--hard-limit must be a number of seconds"),
                        (["--hard-limit", "nan"], "--hard-limit must be a number of seconds")):
        out = run_cli("grade", tmp_path / "class", "--out", tmp_path / "o", "--course", tiny,
                      *flags)
        assert out.returncode == 2 and says in out.stderr, out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class", "empty", "taken.txt"]
    assert (tmp_path / "taken.txt").read_text() == "x"


def test_validate_checks_its_timeout_and_course(tiny, tmp_path):
    notebook = tiny / "release" / cw.A1 / f"{cw.A1}.ipynb"
    for timeout in (float("inf"), float("nan"), 0, -5):
        with pytest.raises(C.CourseError, match="--timeout must be a number of seconds"):
            C.validate(notebook, course=tiny, timeout=timeout)
    with pytest.raises(TypeError, match="--timeout: expected a number of seconds"):
        C.validate(notebook, course=tiny, timeout="10")
    with pytest.raises(C.CourseError, match="no nbgrader course found"):
        C.validate(notebook, course=tmp_path / "nowhere", timeout=20)


# ----------------------------------------------------------------- grade: a hostile class


@pytest.fixture(scope="module")
def hostile(tiny, tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    expect = cw.hostile_class(tiny, tiny / "release", base / "class")
    cw.stubborn_loop(tiny, tiny / "release", base / "class")
    for gid, code in cw.TINY_WRONG[cw.A1].items():
        cw.write_nb(base / "class" / f"wrong-{gid}" / cw.A1 / f"{cw.A1}.ipynb",
                    cw.answered(nb_of(tiny / "release", cw.A1), nb_of(tiny / "source", cw.A1),
                                {gid: code}))
    lines = []
    report = C.grade(base / "class", base / "out", jobs=2, course=tiny, timeout=3,
                     hard_limit=30, progress=lambda d, t, s: lines.append((d, t, s.student)))
    return expect, report, lines


@pytest.mark.slow
@pytest.mark.parametrize("student", ["good", "blank", "loop", "deleted-tests", "edited-tests",
                                     "stderr", "syntax", "renamed", "missing", "badjson", "huge",
                                     "other"])
def test_hostile_submission_gets_its_defined_grade(hostile, student):
    expect, report, _ = hostile
    got, want = row(report, student), expect[student]
    assert (got["status"], got["score"]) == (want["status"], want["score"]), got.to_dict()
    assert got["max_score"] == 4.0
    if want["note"]:
        assert want["note"] in got["note"]
    if want["status"] == "graded":
        assert 0 < got["seconds"] < 30, "nbgrader's time per submission is reported"
        html = report.out / "feedback" / student / cw.A1 / f"{cw.A1}.html"
        assert html.is_file() and html.stat().st_size < 2_000_000, "feedback is written and small"
    else:
        assert not (report.out / "feedback" / student).exists()


@pytest.mark.slow
def test_a_loop_that_ignores_interrupts_is_killed_and_costs_no_one_else(hostile):
    _, report, _ = hostile
    got = row(report, "stubborn")
    # nbgrader interrupts at the 3 s timeout, gets no answer, gives up on the notebook.
    assert (got["status"], got["score"]) == ("error", 0.0), got.to_dict()
    assert "CellTimeoutError" in got["note"] and "timed out" in got["note"]
    # a failure in a parallel run is graded once more alone (a gradebook collision must not
    # cost a grade); a truly broken notebook fails again, and says so
    assert "graded a second time, alone" in got["note"]
    graded = report.table[report.table["status"] == "graded"]
    assert len(graded) == 11  # everyone else with a notebook was graded


@pytest.mark.slow
def test_grades_csv_is_nbgraders_export(hostile):
    expect, report, _ = hostile
    with open(report.out / "grades.csv") as fh:
        assert fh.readline().strip().split(",") == EXPORT_COLUMNS
    rows = {r["student_id"]: r for r in read_csv(report.out / "grades.csv")}
    assert set(rows) == set(report.table["student"])
    for student, want in expect.items():
        assert float(rows[student]["score"]) == want["score"], student
        assert rows[student]["max_score"] == "4.0" and rows[student]["assignment"] == cw.A1
    written = read_csv(report.out / "report.csv")
    assert [k for k in written[0]] == C.REPORT_COLUMNS and len(written) == len(report.table)


@pytest.mark.slow
def test_progress_counts_every_submission(hostile):
    _, report, lines = hostile
    total = len(report.table)
    assert [d for d, _, _ in lines] == list(range(total - len(lines) + 1, total + 1))
    assert {t for _, t, _ in lines} == {total}


@pytest.mark.slow
def test_every_tiny_question_exercised(tiny, hostile):
    _, report, _ = hostile
    q = report.questions
    auto = q[q["auto"]]
    good = auto[auto["student"] == "good"]
    assert (good["score"] == good["max_score"]).all() and len(good) == 2
    blank = auto[auto["student"] == "blank"]
    assert blank["score"].sum() == 0 and len(blank) == 2
    after = cw.tests_after(nb_of(tiny / "source", cw.A1))
    for gid in cw.TINY_WRONG[cw.A1]:
        mine = auto[(auto["student"] == f"wrong-{gid}") & auto["question"].isin(after[gid])]
        assert (mine["score"] < mine["max_score"]).any(), f"wrong answer to {gid} passed"


@pytest.mark.slow
def test_grade_cli_with_zips_prints_progress_and_summary(tiny, hostile, tmp_path):
    folder = tmp_path / "class"
    src = hostile[1].out.parent / "class"
    for student in ("good", "blank", "renamed", "badjson"):
        shutil.copytree(src / student, folder / student)
    zips = cw.zip_class(folder, tmp_path / "zips")
    (zips / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    out = run_cli("grade", zips, "--jobs", "2", "--out", tmp_path / "out", "--course", tiny,
                  "--timeout", "10")
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"graded 5/5", out.stdout) and "graded 1/5" in out.stdout
    assert re.search(r"a1-tiny\s+3/5", out.stdout), out.stdout  # the summary table
    assert "broken/a1-tiny: missing" in out.stdout and "not a readable zip" in out.stdout
    rows = {r["student_id"]: float(r["score"]) for r in read_csv(tmp_path / "out" / "grades.csv")}
    assert rows == {"good": 3.0, "blank": 0.0, "renamed": 3.0, "badjson": 0.0, "broken": 0.0}


# ----------------------------------------------------------------- PostgreSQL gradebook


def _postgres_bin() -> Path | None:
    """Debian puts initdb and pg_ctl in /usr/lib/postgresql/<version>/bin (not on PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[4]) if Path(p).parts[4].isdigit() else 0)
    return Path(found[-1]).parent if found else None


@pytest.fixture
def postgres(tmp_path):
    """A PostgreSQL server of our own on a free port; yields its SQLAlchemy URL."""
    import socket
    import tempfile

    bindir = _postgres_bin()
    is_root = os.geteuid() == 0
    if bindir is None and is_root:
        subprocess.run([str(ROOT / "tools" / "ensure-debian-packages.sh"), "initdb:postgresql"],
                       check=True)
        bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server not installed (as root: `make postgres`, or "
                    "apt-get install postgresql)")
    pytest.importorskip("psycopg2", reason="needs psycopg2-binary (pip install -e '.[test]')")
    # PostgreSQL refuses to run as root: as root, run it as the postgres user in
    # a folder that user owns (pytest's tmp_path is private to root).
    data_root = Path(tempfile.mkdtemp(prefix="thinksmall-pg-")) if is_root else tmp_path / "pg"
    data_root.mkdir(exist_ok=True)
    prefix = []
    if is_root:
        shutil.chown(data_root, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = data_root / "data"

    def pg(cmd, *args):
        return subprocess.run([*prefix, str(bindir / cmd), *args], capture_output=True,
                              text=True, timeout=120)

    out = pg("initdb", "-D", str(data), "-U", "grader", "--auth=trust", "-E", "UTF8")
    assert out.returncode == 0, out.stderr
    opts = f"-p {port} -k {data_root} -c listen_addresses=127.0.0.1 -c fsync=off"
    out = pg("pg_ctl", "-D", str(data), "-o", opts, "-l", str(data_root / "log"), "-w", "start")
    assert out.returncode == 0, out.stdout + out.stderr
    try:
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=port, user="grader", dbname="postgres")
        conn.autocommit = True
        conn.cursor().execute("CREATE DATABASE thinksmall")
        conn.close()
        yield f"postgresql+psycopg2://grader@127.0.0.1:{port}/thinksmall", port
    finally:
        pg("pg_ctl", "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(data_root, ignore_errors=True)


@pytest.mark.slow
def test_grade_with_a_postgresql_gradebook(tiny, tmp_path, postgres):
    import psycopg2

    db_url, port = postgres
    release, source = nb_of(tiny / "release", cw.A1), nb_of(tiny / "source", cw.A1)
    for student, nb in (("ann", cw.answered(release, source)), ("bo", release),
                        ("cy", cw.answered(release, source, {"total": "total = 11"}))):
        cw.write_nb(tmp_path / "class" / student / cw.A1 / f"{cw.A1}.ipynb", nb)
    expected = {"ann": 3.0, "bo": 0.0, "cy": 2.0}
    for grader in ("first", "second"):  # a second grader works on the same gradebook
        out = run_cli("grade", tmp_path / "class", "--jobs", "2", "--out", tmp_path / grader,
                      "--course", tiny, "--db-url", db_url, "--timeout", "10")
        assert out.returncode == 0, out.stdout + out.stderr
        rows = {r["student_id"]: float(r["score"]) for r in read_csv(tmp_path / grader /
                                                                       "grades.csv")}
        assert rows == expected
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="grader", dbname="thinksmall")
    with conn, conn.cursor() as cur:
        cur.execute("SELECT s.student_id FROM submitted_assignment s JOIN assignment a "
                    "ON a.id = s.assignment_id WHERE a.name = %s ORDER BY 1", (cw.A1,))
        assert [r[0] for r in cur.fetchall()] == sorted(expected)
    conn.close()
    assert not (tiny / "gradebook.db").exists()


# ----------------------------------------------------------------- the real assignments


def test_real_assignments_found_or_none_yet():
    for name in REAL:
        assert (COURSE / "source" / name / f"{name}.ipynb").is_file(), (
            f"exercises/source/{name}/ should hold {name}.ipynb (one notebook named like "
            "its folder)")


def test_committed_student_versions_are_current():
    stale = C.build(COURSE, check=True).changed
    assert not stale, (f"exercises/release/ is stale for {stale}: run "
                       "`.venv/bin/thinksmall course build` and commit exercises/release/")


@pytest.mark.parametrize("name", REAL)
def test_real_student_version_hides_solutions_and_has_visible_tests(name):
    source, release = nb_of(COURSE / "source", name), nb_of(COURSE / "release", name)
    check_release(source, release, name)
    check_visible_tests(source, release, name)


@pytest.mark.parametrize("name", REAL)
def test_every_real_question_has_a_wrong_answer(name):
    answers = set(cw.tests_after(nb_of(COURSE / "source", name)))
    missing = answers - set(REAL_WRONG.get(name, {}))
    assert not missing, (f"{name}: add a plausible wrong answer for {sorted(missing)} to "
                         "REAL_WRONG in tests/test_course.py")
    unknown = (set(REAL_WRONG.get(name, {})) | set(REAL_RIGHT.get(name, {}))) - answers
    assert not unknown, f"{name}: REAL_WRONG or REAL_RIGHT names no answer cell {sorted(unknown)}"


@pytest.mark.slow
@pytest.mark.skipif(not REAL, reason="no real assignments in exercises/source/ yet")
def test_real_assignments_solution_full_blank_zero_wrong_fails_right_full(tmp_path):
    before = sorted(p.name for p in COURSE.iterdir())
    folder = tmp_path / "class"
    for name in REAL:
        source, release = nb_of(COURSE / "source", name), nb_of(COURSE / "release", name)
        cw.write_nb(folder / "solution" / name / f"{name}.ipynb", cw.answered(release, source))
        cw.write_nb(folder / "blank" / name / f"{name}.ipynb", release)
        for gid, codes in REAL_WRONG.get(name, {}).items():
            for i, code in enumerate(codes):
                cw.write_nb(folder / f"wrong-{gid}-{i}" / name / f"{name}.ipynb",
                            cw.answered(release, source, {gid: code}))
        for gid, codes in REAL_RIGHT.get(name, {}).items():
            for i, code in enumerate(codes):
                cw.write_nb(folder / f"right-{gid}-{i}" / name / f"{name}.ipynb",
                            cw.answered(release, source, {gid: code}))
    report = C.grade(folder, tmp_path / "out", jobs=2, progress=None)
    q = report.questions[report.questions["auto"]]
    problems = report.table[report.table["student"].isin(["solution", "blank"])
                            & (report.table["status"] != "graded")]
    assert problems.empty, problems.to_string()
    for name in REAL:
        mine = q[q["assignment"] == name]
        full = mine[mine["student"] == "solution"]
        assert len(full) and (full["score"] == full["max_score"]).all(), full.to_string()
        assert mine[mine["student"] == "blank"]["score"].sum() == 0
        after = cw.tests_after(nb_of(COURSE / "source", name))
        for gid, codes in REAL_WRONG.get(name, {}).items():
            for i in range(len(codes)):
                tests = mine[(mine["student"] == f"wrong-{gid}-{i}")
                             & mine["question"].isin(after[gid])]
                assert len(tests) and (tests["score"] < tests["max_score"]).any(), (
                    f"{name}: wrong answer {i} to {gid} passes every test after it")
        for gid, codes in REAL_RIGHT.get(name, {}).items():
            for i in range(len(codes)):
                assert row(report, f"right-{gid}-{i}", name)["status"] == "graded"
                right = mine[mine["student"] == f"right-{gid}-{i}"]
                assert len(right) and (right["score"] == right["max_score"]).all(), (
                    f"{name}: correct variant {i} of {gid} loses points:\n{right.to_string()}")
    assert sorted(p.name for p in COURSE.iterdir()) == before, "grading wrote into exercises/"
